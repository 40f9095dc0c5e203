package art.atelier.image.vqvae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import art.atelier.AtelierException;
import art.atelier.UsageException;
import art.atelier.Workspace;
import art.atelier.corpus.BadFilePolicy;
import art.atelier.corpus.ImageCorpus;
import art.atelier.image.ImageModel;
import art.atelier.image.ImageTraining;
import art.atelier.image.Picture;
import art.atelier.image.PngCodec;
import art.atelier.train.Checkpoint;
import art.atelier.train.ModelCard;
import art.atelier.train.TrainingListener;
import art.atelier.train.TrainingResult;
import art.atelier.util.Hashing;

import com.google.gson.JsonObject;

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

/**
 * The VQ-VAE's two-stage training on pictures drawn here: a tiny model on 16-pixel squares and
 * discs. The small runs (6 autoencoder steps, then 4 prior steps) check checkpoints, resumption and
 * determinism; two longer ones check that the autoencoder learns to reconstruct and the prior to
 * memorise.
 */
class VqVaeTrainingTest {


    private static final int SIZE = 16;
    private static final int AUTOENCODER_STEPS = 6;
    private static final int PRIOR_STEPS = 4;
    private static final int TOTAL = AUTOENCODER_STEPS + PRIOR_STEPS;
    private static final int CODES = 16;
    /** An evaluation inside each stage: at step 5 (the autoencoder's) and at the end (the prior's). */
    private static final int EVAL_EVERY = 5;
    /** Every file of a checkpoint that must match byte for byte. */
    private static final List<String> FILES = List.of(Checkpoint.WEIGHTS, VqVaeTraining.AUTOENCODER_OPTIMIZER,
            VqVaeTraining.PRIOR_OPTIMIZER);

    private static final int[][] COLOURS = {
        {220, 30, 30}, {30, 160, 40}, {40, 60, 220}, {240, 190, 20}, {150, 40, 170}, {20, 170, 180}};

    @TempDir
    static Path shared;

    /** Ten different squares and discs. */
    static Path shapes;
    /** Two pictures, in eight files (a corpus has at least eight). */
    static Path few;
    /** The small run straight through, the one the others are compared with. */
    static Workspace straight;
    static TrainingResult straightResult;

    @TempDir
    Path dir;

    @BeforeAll
    static void drawAndTrain() throws IOException {
        shapes = shared.resolve("shapes");
        Files.createDirectories(shapes);
        for (int i = 0; i < 10; i++) {
            write(shapes.resolve(String.format("shape-%02d.png", i)), shape(i));
        }
        few = shared.resolve("few");
        Files.createDirectories(few);
        for (int i = 0; i < 8; i++) {
            write(few.resolve(String.format("copy-%02d.png", i)), shape(i % 2));
        }
        straight = Workspace.at(shared.resolve("straight"));
        straightResult = VqVaeTraining.train(straight, request("m", 11L), small(), new TrainingListener() {},
                () -> false);
    }

    /** A square (even i) or a disc (odd i) of one colour on white, placed and sized by i. */
    static Picture shape(int i) {
        int[] rgb = COLOURS[i % COLOURS.length];
        boolean disc = i % 2 == 1;
        int cx = 5 + (i * 3) % 6;
        int cy = 5 + (i * 5) % 6;
        int r = 3 + i % 2;
        byte[] px = new byte[SIZE * SIZE * 3];
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                boolean in = disc ? (x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r
                        : Math.abs(x - cx) <= r && Math.abs(y - cy) <= r;
                for (int c = 0; c < 3; c++) {
                    px[(y * SIZE + x) * 3 + c] = (byte) (in ? rgb[c] : 255);
                }
            }
        }
        return new Picture(SIZE, SIZE, 3, px);
    }

    /** The mean squared error, on the [0, 1] scale, of the ten shapes from their mean picture. */
    static double meanPictureError() {
        int n = 10;
        int values = SIZE * SIZE * 3;
        double[] mean = new double[values];
        for (int i = 0; i < n; i++) {
            byte[] px = shape(i).pixels();
            for (int j = 0; j < values; j++) {
                mean[j] += (px[j] & 0xFF) / 255.0 / n;
            }
        }
        double error = 0;
        for (int i = 0; i < n; i++) {
            byte[] px = shape(i).pixels();
            for (int j = 0; j < values; j++) {
                double t = (px[j] & 0xFF) / 255.0 - mean[j];
                error += t * t;
            }
        }
        return error / n / values;
    }

    private static void write(Path file, Picture p) throws IOException {
        Files.write(file, PngCodec.encode(p, Map.of()));
    }

    /** A new model on the ten shapes: {@code steps} autoencoder steps. */
    static ImageTraining.Request request(Path corpus, String name, int steps, int batch, float lr, long seed) {
        return new ImageTraining.Request(corpus, name, VqVaeConfig.FAMILY, SIZE, 3, ImageCorpus.Fit.PAD, steps, batch,
                lr, seed, EVAL_EVERY, 1000, false, false, BadFilePolicy.STOP);
    }

    static ImageTraining.Request request(String name, long seed) {
        return request(shapes, name, AUTOENCODER_STEPS, 8, 3e-3f, seed);
    }

    /** The small runs' own options: the tiny preset with 16 codes, a 4-step prior on batches of 8. */
    static VqVaeTraining.Options small() {
        return new VqVaeTraining.Options(VqVaeConfig.TINY, CODES, null, PRIOR_STEPS, 8, null, null);
    }

    /** The same model resumed: nothing but the name, the corpus and the cadence given again. */
    static ImageTraining.Request resumed(ImageTraining.Request r, Integer steps) {
        return new ImageTraining.Request(r.data(), r.name(), null, null, null, null, steps, null, null, null,
                r.sampleEvery(), r.checkpointEvery(), true, false, r.badFiles());
    }

    /** Trains until {@code stopAt} steps are done, then stops (saving). */
    static TrainingResult trainUntil(Workspace ws, ImageTraining.Request r, VqVaeTraining.Options o, int stopAt) {
        AtomicBoolean stop = new AtomicBoolean();
        return VqVaeTraining.train(ws, r, o, new TrainingListener() {
            @Override
            public void onStep(StepReport s) {
                if (s.step() == stopAt) {
                    stop.set(true);
                }
            }
        }, stop::get);
    }

    static String hash(Workspace ws, String name, String file) throws IOException {
        return Hashing.sha256(ws.model(name).resolve(file));
    }

    static void assertSameCheckpoint(Workspace a, Workspace b, String name, String as) throws IOException {
        for (String file : FILES) {
            assertThat(hash(a, name, file)).as(as + ": " + file).isEqualTo(hash(b, name, file));
        }
        ModelCard ca = Checkpoint.readCard(a.model(name));
        ModelCard cb = Checkpoint.readCard(b.model(name));
        assertThat(ca.step()).as(as).isEqualTo(cb.step());
        assertThat(ca.rng()).as(as + ": the generator").isEqualTo(cb.rng());
        assertThat(ca.metrics()).as(as + ": the last step").isEqualTo(cb.metrics());
        assertThat(ca.evaluation()).as(as + ": the last evaluation").isEqualTo(cb.evaluation());
        assertThat(ca.training()).as(as + ": the settings").isEqualTo(cb.training());
        assertThat(ca.config()).as(as + ": the recipe").isEqualTo(cb.config());
    }

    @Test
    void theAutoencoderLearnsToReconstructTheShapesAndKeepsSeveralCodesInUse() {
        int steps = 200;
        List<Double> mse = new ArrayList<>();
        List<Double> perplexity = new ArrayList<>();
        ImageTraining.Request r = new ImageTraining.Request(shapes, "recon", VqVaeConfig.FAMILY, SIZE, 3,
                ImageCorpus.Fit.PAD, steps, 16, 3e-3f, 7L, steps, 1000, false, false, BadFilePolicy.STOP);
        TrainingResult result = VqVaeTraining.train(Workspace.at(dir), r,
                new VqVaeTraining.Options(VqVaeConfig.TINY, null, null, 1, 8, null, null), new TrainingListener() {
                    @Override
                    public void onStep(StepReport s) {
                        if (s.step() <= steps) {
                            mse.add(s.metrics().get("mse"));
                            perplexity.add(s.metrics().get("perplexity"));
                        }
                    }
                }, () -> false);
        assertThat(mse).hasSize(steps);
        double first = mse.subList(0, 3).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double last = mse.subList(steps - 20, steps).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        // on the [0, 1] scale: the untrained model is about 0.22 from the shapes, their mean picture
        // (the best reconstruction that ignores its input) about 0.046; this run ends near 0.012
        double average = meanPictureError();
        assertThat(average).isBetween(0.04, 0.05);
        assertThat(first).as("MSE of the first steps").isGreaterThan(0.15);
        assertThat(last).as("MSE of the last 20 steps").isLessThan(0.025).isLessThan(first / 8)
                .isLessThan(average / 2);
        // no collapse onto one code: the last batches and the held-out evaluation use several (this
        // run: a perplexity near 10 per batch, 8 codes)
        assertThat(perplexity.subList(steps - 20, steps)).allMatch(p -> p > 4);
        assertThat(result.lastEvaluation().get("codes_used")).isGreaterThanOrEqualTo(4.0);
        assertThat(result.lastEvaluation().get("val_perplexity")).isGreaterThan(2.0);
    }

    @Test
    void thePriorMemorisesTheCodeGridsOfAFewPictures() {
        int autoencoder = 50;
        int prior = 100;
        List<Double> priorLoss = new ArrayList<>();
        ImageTraining.Request r = new ImageTraining.Request(few, "few", VqVaeConfig.FAMILY, SIZE, 3,
                ImageCorpus.Fit.PAD, autoencoder, 16, 3e-3f, 7L, 1000, 1000, false, false, BadFilePolicy.STOP);
        TrainingResult result = VqVaeTraining.train(Workspace.at(dir), r,
                new VqVaeTraining.Options(VqVaeConfig.TINY, null, null, prior, 8, 1e-2f, null), new TrainingListener() {
                    @Override
                    public void onStep(StepReport s) {
                        if (s.step() > autoencoder) {
                            priorLoss.add(s.metrics().get("loss"));
                        }
                    }
                }, () -> false);
        // two pictures and their mirror images: at most four grids, so the floor is near ln(4)/16 per
        // code; this run ends near 0.1
        double logK = Math.log(32); // the tiny preset's codebook
        assertThat(priorLoss).hasSize(prior);
        assertThat(priorLoss.get(0)).as("the prior's first loss: about log(K + 1)").isGreaterThan(0.9 * logK);
        assertThat(result.lastEvaluation().get("prior_train_loss")).as("the prior's training loss at the end")
                .isLessThan(0.2 * logK);
        assertThat(priorLoss.subList(prior - 10, prior)).allMatch(l -> l < 0.2 * logK);
        assertThat(result.lastEvaluation().get("codes_used")).isGreaterThan(1.0);
    }

    @Test
    void twoFreshRunsWithTheSameSeedWriteTheSameBytes() throws IOException {
        Workspace again = Workspace.at(dir.resolve("again"));
        TrainingResult r = VqVaeTraining.train(again, request("m", 11L), small(), new TrainingListener() {},
                () -> false);
        assertThat(r.lastStep()).isEqualTo(straightResult.lastStep());
        assertThat(r.lastEvaluation()).isEqualTo(straightResult.lastEvaluation());
        assertSameCheckpoint(straight, again, "m", "same seed");
        // and the seed matters: another one ends elsewhere
        Workspace other = Workspace.at(dir.resolve("other"));
        VqVaeTraining.train(other, request("m", 12L), small(), new TrainingListener() {}, () -> false);
        assertThat(hash(other, "m", Checkpoint.WEIGHTS)).isNotEqualTo(hash(straight, "m", Checkpoint.WEIGHTS));
    }

    @Test
    void aRunStoppedInsideTheAutoencoderStageResumesExactlyAcrossTheStageBoundary() throws IOException {
        Workspace halves = Workspace.at(dir);
        ImageTraining.Request r = request("m", 11L);
        TrainingResult first = trainUntil(halves, r, small(), 3);
        assertThat(first.stopped()).isTrue();
        assertThat(first.step()).isEqualTo(3);
        TrainingResult rest = VqVaeTraining.train(halves, resumed(r, null), VqVaeTraining.Options.defaults(),
                new TrainingListener() {}, () -> false);
        assertThat(rest.step()).isEqualTo(TOTAL);
        assertThat(rest.lastStep()).isEqualTo(straightResult.lastStep());
        assertThat(rest.lastEvaluation()).isEqualTo(straightResult.lastEvaluation());
        assertSameCheckpoint(straight, halves, "m", "stopped at step 3");
    }

    @Test
    void aRunStoppedAtTheStageBoundaryOrInsideThePriorStageResumesExactly() throws IOException {
        // 6: the autoencoder is done and the prior has not started; 8: the prior has taken two steps
        for (int stopAt : new int[] {AUTOENCODER_STEPS, AUTOENCODER_STEPS + 2}) {
            Workspace halves = Workspace.at(dir.resolve("stop-" + stopAt));
            ImageTraining.Request r = request("m", 11L);
            TrainingResult first = trainUntil(halves, r, small(), stopAt);
            assertThat(first.step()).isEqualTo(stopAt);
            TrainingResult rest = VqVaeTraining.train(halves, resumed(r, null), VqVaeTraining.Options.defaults(),
                    new TrainingListener() {}, () -> false);
            assertThat(rest.step()).isEqualTo(TOTAL);
            assertThat(rest.lastStep()).as("stopped at %d", stopAt).isEqualTo(straightResult.lastStep());
            assertThat(rest.lastEvaluation()).as("stopped at %d", stopAt).isEqualTo(straightResult.lastEvaluation());
            assertSameCheckpoint(straight, halves, "m", "stopped at step " + stopAt);
        }
    }

    @Test
    void theAutoencodersStepsMayGrowBeforeThePriorStarts() throws IOException {
        // a run planned with 3 autoencoder steps, stopped after them, resumed with --steps 6: the
        // same model as 6 planned from the start (the autoencoder's rate is constant)
        Workspace grown = Workspace.at(dir);
        ImageTraining.Request r = request(shapes, "m", 3, 8, 3e-3f, 11L);
        trainUntil(grown, r, small(), 3);
        TrainingResult rest = VqVaeTraining.train(grown, resumed(r, AUTOENCODER_STEPS),
                VqVaeTraining.Options.defaults(), new TrainingListener() {}, () -> false);
        assertThat(rest.step()).isEqualTo(TOTAL);
        assertSameCheckpoint(straight, grown, "m", "grown from 3 to 6 autoencoder steps");
    }

    @Test
    void theCardNamesTheFamilyItsRecipeAndItsCodebook() throws IOException {
        ModelCard card = Checkpoint.readCard(straight.model("m"));
        assertThat(card.medium()).isEqualTo(ImageModel.MEDIUM);
        assertThat(card.family()).isEqualTo("vqvae");
        assertThat(card.preset()).isEqualTo(VqVaeConfig.TINY);
        assertThat(card.step()).isEqualTo(TOTAL);
        assertThat(card.training().steps()).isEqualTo(TOTAL);
        assertThat(card.styles()).isEmpty(); // no sub-folders: an unstyled prior
        assertThat(card.corpus().unit()).isEqualTo("pictures");
        assertThat(card.corpus().files()).isEqualTo(10);

        VqVaeTraining.Recipe recipe = VqVaeTraining.recipe(card);
        assertThat(recipe.autoencoderSteps()).isEqualTo(AUTOENCODER_STEPS);
        assertThat(recipe.prior().steps()).isEqualTo(PRIOR_STEPS);
        assertThat(recipe.prior().batch()).isEqualTo(8);
        assertThat(recipe.mirror()).isTrue();
        VqVaeConfig model = recipe.model();
        assertThat(model).isEqualTo(VqVaeConfig.of(VqVaeConfig.TINY, SIZE, 3, 0, CODES, null));
        assertThat(model.codes()).isEqualTo(CODES);
        assertThat(model.grid()).isEqualTo(4);
        assertThat(model.prior().vocabSize()).isEqualTo(CODES + 1);
        assertThat(model.styled()).isFalse();

        JsonObject book = card.vocabulary().getAsJsonObject("codebook");
        assertThat(book.get("codes").getAsInt()).isEqualTo(CODES);
        assertThat(book.get("dimension").getAsInt()).isEqualTo(model.codeDim());
        assertThat(book.get("grid").getAsInt()).isEqualTo(4);
        assertThat(book.get("start_token").getAsInt()).isEqualTo(CODES);
        assertThat(card.vocabulary().get("size").getAsInt()).isEqualTo(SIZE);

        assertThat(card.evaluation()).containsKeys("val_mse", "val_psnr", "val_perplexity", "codes_used",
                "prior_train_loss", "prior_bits_per_dim");
        assertThat(card.metrics()).containsKeys("loss", "lr", "grad_norm"); // the last step was the prior's
        // reconstructions at the autoencoder's evaluation, prior samples at the prior's
        try (Stream<Path> grids = Files.list(straight.run("m").resolve("samples"))) {
            assertThat(grids.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly("step-0000005.png", "step-0000010.png");
        }
        // a card whose config is not a recipe is refused by name
        ModelCard broken = new ModelCard(card.format(), card.medium(), card.family(), card.name(), card.preset(),
                new JsonObject(), card.vocabulary(), card.styles(), card.corpus(), card.training(), card.step(),
                card.metrics(), card.evaluation(), card.rng(), card.software(), card.created(), card.updated());
        assertThatThrownBy(() -> VqVaeTraining.recipe(broken)).isInstanceOf(AtelierException.class)
                .hasMessageContaining("'m' has a bad VQ-VAE config");
    }

    @Test
    void aResumedRunRefusesANewCodebookAndNewAutoencoderStepsOnceThePriorHasStarted() throws IOException {
        Workspace ws = Workspace.at(dir);
        copy(straight.model("m"), ws.model("m"));
        ImageTraining.Request r = request("m", 11L);
        String before = hash(ws, "m", Checkpoint.WEIGHTS);
        VqVaeTraining.Options moreCodes = new VqVaeTraining.Options(null, 32, null, 6, null, null, null);
        assertThatThrownBy(() -> VqVaeTraining.train(ws, resumed(r, null), moreCodes, new TrainingListener() {},
                () -> false)).isInstanceOf(UsageException.class).hasMessageContaining("--codes 32 differs");
        VqVaeTraining.Options morePrior = new VqVaeTraining.Options(null, null, null, 6, null, null, null);
        assertThatThrownBy(() -> VqVaeTraining.train(ws, resumed(r, 8), morePrior, new TrainingListener() {},
                () -> false)).isInstanceOf(UsageException.class)
                .hasMessageContaining("finished its autoencoder at step 6")
                .hasMessageContaining("only --prior-steps can change now");
        assertThatThrownBy(() -> VqVaeTraining.train(ws, resumed(r, null), VqVaeTraining.Options.defaults(),
                new TrainingListener() {}, () -> false)).isInstanceOf(UsageException.class)
                .hasMessageContaining("pass --prior-steps N");
        assertThat(hash(ws, "m", Checkpoint.WEIGHTS)).as("a refused run leaves the model alone").isEqualTo(before);
        // what may change does: two more prior steps
        TrainingResult more = VqVaeTraining.train(ws, resumed(r, AUTOENCODER_STEPS), morePrior,
                new TrainingListener() {}, () -> false);
        assertThat(more.step()).isEqualTo(TOTAL + 2);
        assertThat(VqVaeTraining.recipe(Checkpoint.readCard(ws.model("m"))).prior().steps()).isEqualTo(6);
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }
}
