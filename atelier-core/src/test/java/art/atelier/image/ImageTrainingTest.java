package art.atelier.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import art.atelier.AtelierException;
import art.atelier.UsageException;
import art.atelier.Workspace;
import art.atelier.corpus.BadFilePolicy;
import art.atelier.corpus.ImageCorpus;
import art.atelier.demo.SamplePictures;
import art.atelier.train.Checkpoint;
import art.atelier.train.ModelCard;
import art.atelier.train.TrainingListener;
import art.atelier.train.TrainingResult;
import art.atelier.util.Hashing;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

class ImageTrainingTest {

    @TempDir
    static Path shared;

    static Path corpus;

    @TempDir
    Path dir;

    @BeforeAll
    static void drawCorpus() throws IOException {
        corpus = draw(shared);
    }

    /** Two styles of 12 icons, 24 px, drawn by the project itself. */
    static Path draw(Path where) throws IOException {
        Path icons = where.resolve("icons");
        SamplePictures.write(icons, 12, 24, 3);
        return icons;
    }

    static ImageTraining.Request request(String name, String family, int steps, Integer channels) {
        return request(corpus, name, family, steps, channels);
    }

    static ImageTraining.Request request(Path corpus, String name, String family, int steps, Integer channels) {
        return new ImageTraining.Request(corpus, name, family, 16, channels, ImageCorpus.Fit.PAD, steps, 8, null, 9L,
                4, 4, false, false, BadFilePolicy.STOP);
    }

    private static ImageTraining.Request resumed(ImageTraining.Request r) {
        return new ImageTraining.Request(r.data(), r.name(), null, null, null, null, null, null, null, null,
                r.sampleEvery(), r.checkpointEvery(), true, false, r.badFiles());
    }

    @Test
    void bothFamiliesTrainWithFiniteLossesAndChangeTheirWeights() throws IOException {
        Workspace ws = Workspace.at(dir);
        for (String family : List.of("atelier", "dcgan")) {
            List<Map<String, Double>> steps = new ArrayList<>();
            TrainingResult r = ImageTraining.train(ws, request(family, family, 6, 4), new TrainingListener() {
                @Override
                public void onStep(StepReport s) {
                    steps.add(s.metrics());
                }
            }, () -> false);
            assertThat(r.step()).isEqualTo(6);
            assertThat(steps).hasSize(6).allSatisfy(m -> {
                assertThat(m).containsKeys("d_loss", "g_loss", "d_real", "d_fake");
                assertThat(m.values()).allMatch(Double::isFinite);
            });
            ModelCard card = Checkpoint.readCard(ws.model(family));
            assertThat(card.medium()).isEqualTo("image");
            assertThat(card.preset()).isEqualTo(family);
            assertThat(card.styles()).isEqualTo(family.equals("atelier") ? List.of("suns", "tiles") : List.of());
            assertThat(card.corpus().unit()).isEqualTo("pictures");
            assertThat(card.evaluation()).containsKeys("d_train", "d_val");
            // the grids of fixed-seed samples an artist watches
            try (Stream<Path> grids = Files.list(ws.run(family).resolve("samples"))) {
                assertThat(grids.map(p -> p.getFileName().toString()).sorted().toList())
                        .containsExactly("step-0000004.png", "step-0000006.png");
            }
        }
        // a fresh model of the same seed differs from the trained one: training changed the weights
        ImageTraining.Request fresh = request("atelier0", "atelier", 1, 4);
        ImageTraining.train(ws, fresh, new TrainingListener() {}, () -> false);
        assertThat(Hashing.sha256(ws.model("atelier0").resolve(Checkpoint.WEIGHTS)))
                .isNotEqualTo(Hashing.sha256(ws.model("atelier").resolve(Checkpoint.WEIGHTS)));
    }

    @Test
    void adaptiveAugmentationResumesWithItsProbability() throws IOException {
        Workspace ws = Workspace.at(dir.resolve("ada"));
        ImageTraining.Request r = request("m", "atelier", 2, 3);
        TrainingResult first = ImageTraining.train(ws, r, new TrainingListener() {}, () -> false);
        assertThat(first.lastStep()).containsKeys(art.atelier.image.gan.GanTask.AUGMENT_P, "r_t");
        // as if the run had raised p to one half: the resumed run starts from there
        Path model = ws.model("m");
        ModelCard c = Checkpoint.readCard(model);
        Map<String, Double> metrics = new java.util.HashMap<>(c.metrics());
        metrics.put(art.atelier.image.gan.GanTask.AUGMENT_P, 0.5);
        Checkpoint.writeCard(model, new ModelCard(c.format(), c.medium(), c.family(), c.name(), c.preset(), c.config(),
                c.vocabulary(), c.styles(), c.corpus(), c.training(), c.step(), metrics, c.evaluation(), c.rng(),
                c.software(), c.created(), c.updated()));
        ImageTraining.Request more = new ImageTraining.Request(r.data(), r.name(), null, null, null, null, 3, null, null,
                null, r.sampleEvery(), r.checkpointEvery(), true, false, r.badFiles());
        TrainingResult rest = ImageTraining.train(ws, more, new TrainingListener() {}, () -> false);
        double step = 8.0 / art.atelier.image.gan.GanTask.ADAPT_PICTURES; // one step of batch 8 moves p this much
        assertThat(rest.lastStep().get(art.atelier.image.gan.GanTask.AUGMENT_P))
                .isIn(0.5 - step, 0.5 + step);
    }

    @Test
    void resumingContinuesExactlyAsIfNeverStopped() throws IOException {
        Workspace straight = Workspace.at(dir.resolve("straight"));
        Workspace halves = Workspace.at(dir.resolve("halves"));
        ImageTraining.Request r = request("m", "atelier", 8, 3);
        TrainingResult whole = ImageTraining.train(straight, r, new TrainingListener() {}, () -> false);

        AtomicBoolean stop = new AtomicBoolean();
        TrainingResult first = ImageTraining.train(halves, r, new TrainingListener() {
            @Override
            public void onStep(StepReport s) {
                if (s.step() == 3) {
                    stop.set(true);
                }
            }
        }, stop::get);
        assertThat(first.stopped()).isTrue();
        assertThat(first.step()).isEqualTo(3);
        TrainingResult rest = ImageTraining.train(halves, resumed(r), new TrainingListener() {}, () -> false);
        assertThat(rest.step()).isEqualTo(8);
        assertThat(rest.lastStep()).isEqualTo(whole.lastStep());
        for (String file : List.of(Checkpoint.WEIGHTS, ImageModel.GENERATOR, "optimizer-g.bin", "optimizer-d.bin")) {
            assertThat(Hashing.sha256(halves.model("m").resolve(file))).as(file)
                    .isEqualTo(Hashing.sha256(straight.model("m").resolve(file)));
        }
    }

    @Test
    void memoryStaysFlatOverManySteps() {
        for (String family : List.of("atelier", "dcgan")) {
            ImageTraining.Request r = new ImageTraining.Request(corpus, "flat-" + family, family, 16, 3,
                    ImageCorpus.Fit.PAD, 40, 4, null, 9L, 1000, 1000, false, false, BadFilePolicy.STOP);
            List<Integer> live = new ArrayList<>();
            ImageTraining.train(Workspace.at(dir), r, new TrainingListener() {
                @Override
                public void onStep(StepReport s) {
                    if (s.step() == 5 || s.step() == 20 || s.step() == 39) {
                        // every array of the process, the model's and any a step left behind
                        try (ai.djl.ndarray.NDManager probe = art.atelier.nn.Compute.newManager()) {
                            live.add(probe.getParentManager().getManagedArrays().size());
                        }
                    }
                }
            }, () -> false);
            assertThat(live).as(family).hasSize(3).containsOnly(live.get(0));
        }
    }

    @Test
    void aResumedRunKeepsItsSettingsAndItsCorpus() throws IOException {
        Workspace ws = Workspace.at(dir);
        ImageTraining.Request r = request("m", "atelier", 2, 3);
        ImageTraining.train(ws, r, new TrainingListener() {}, () -> false);
        assertThatThrownBy(() -> ImageTraining.train(ws, r, new TrainingListener() {}, () -> false))
                .isInstanceOf(AtelierException.class).hasMessageContaining("already exists");
        ImageTraining.Request bigger = new ImageTraining.Request(corpus, "m", null, 32, null, null, 4, null, null,
                null, null, null, true, false, BadFilePolicy.STOP);
        assertThatThrownBy(() -> ImageTraining.train(ws, bigger, new TrainingListener() {}, () -> false))
                .isInstanceOf(UsageException.class).hasMessageContaining("--size 32 differs");
        Path other = dir.resolve("other");
        SamplePictures.write(other, 5, 24, 4);
        ImageTraining.Request elsewhere = new ImageTraining.Request(other, "m", null, null, null, null, 4, null, null,
                null, null, null, true, false, BadFilePolicy.STOP);
        assertThatThrownBy(() -> ImageTraining.train(ws, elsewhere, new TrainingListener() {}, () -> false))
                .isInstanceOf(AtelierException.class).hasMessageContaining("is not the one 'm' was trained on");
    }

    @Test
    void aTextModelIsNotAPictureModel() throws IOException {
        Workspace ws = Workspace.at(dir);
        ImageTraining.train(ws, request("pics", "dcgan", 1, 1), new TrainingListener() {}, () -> false);
        assertThatThrownBy(() -> art.atelier.text.TextModel.load(ws.model("pics")))
                .isInstanceOf(AtelierException.class).hasMessageContaining("is an image model of family 'gan'");
    }
}
