package art.atelier.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import art.atelier.AtelierException;
import art.atelier.UsageException;
import art.atelier.Workspace;
import art.atelier.corpus.BadFilePolicy;
import art.atelier.corpus.TextCorpus;
import art.atelier.demo.SampleTexts;
import art.atelier.train.AdamW;
import art.atelier.train.Checkpoint;
import art.atelier.train.LanguageModelTask;
import art.atelier.train.ModelCard;
import art.atelier.train.TokenDataset;
import art.atelier.train.TrainSettings;
import art.atelier.train.TrainingListener;
import art.atelier.train.TrainingLoop;
import art.atelier.train.TrainingResult;
import art.atelier.util.Json;
import art.atelier.util.Rng;

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

class TextTrainingTest {

    @TempDir
    static Path shared;

    static Path corpus;

    @TempDir
    Path dir;

    @BeforeAll
    static void writeCorpus() throws IOException {
        corpus = shared.resolve("poems");
        SampleTexts.write(corpus, 1);
    }

    private static TextTraining.Request request(String name, int steps, Float dropout) {
        return new TextTraining.Request(corpus, name, "tiny", "char", null, steps, 8, null, 5L, dropout, null, 10, 10,
                false, false, BadFilePolicy.STOP);
    }

    private static TextTraining.Request resumed(TextTraining.Request r) {
        return new TextTraining.Request(r.data(), r.name(), null, null, null, null, null, null, null, null, null,
                r.evalEvery(), r.checkpointEvery(), true, false, r.badFiles());
    }

    @Test
    void resumingContinuesExactlyAsIfNeverStopped() throws IOException {
        Workspace straight = Workspace.at(dir.resolve("straight"));
        Workspace halves = Workspace.at(dir.resolve("halves"));
        TextTraining.Request r = request("m", 40, 0.1f); // dropout on: its randomness must resume too
        TextTraining.train(straight, r, new TrainingListener() {}, () -> false);

        AtomicBoolean stop = new AtomicBoolean();
        TrainingResult first = TextTraining.train(halves, r, new TrainingListener() {
            @Override
            public void onStep(StepReport s) {
                if (s.step() == 23) {
                    stop.set(true);
                }
            }
        }, stop::get);
        assertThat(first.stopped()).isTrue();
        assertThat(first.step()).isEqualTo(23);
        assertThat(Checkpoint.readCard(halves.model("m")).step()).isEqualTo(23);
        TrainingResult second = TextTraining.train(halves, resumed(r), new TrainingListener() {}, () -> false);
        assertThat(second.step()).isEqualTo(40);

        Path a = straight.model("m");
        Path b = halves.model("m");
        assertThat(Files.readAllBytes(b.resolve(Checkpoint.WEIGHTS))).isEqualTo(Files.readAllBytes(a.resolve(Checkpoint.WEIGHTS)));
        assertThat(Files.readAllBytes(b.resolve(Checkpoint.OPTIMIZER))).isEqualTo(Files.readAllBytes(a.resolve(Checkpoint.OPTIMIZER)));
        ModelCard ca = Checkpoint.readCard(a);
        ModelCard cb = Checkpoint.readCard(b);
        assertThat(cb.rng()).isEqualTo(ca.rng());
        assertThat(cb.evaluation()).isEqualTo(ca.evaluation());
        assertThat(cb.created()).isEqualTo(Checkpoint.readCard(b).created());
    }

    @Test
    void aModelCaughtBetweenTheTwoRenamesOfASwapIsFoundAndResumed() throws IOException {
        Workspace ws = Workspace.at(dir);
        TextTraining.Request r = request("m", 20, null);
        AtomicBoolean stop = new AtomicBoolean();
        TextTraining.train(ws, r, new TrainingListener() {
            @Override
            public void onStep(StepReport s) {
                stop.set(s.step() >= 10);
            }
        }, stop::get);
        // a crash after the old checkpoint was moved aside and before the new one took its place
        Files.move(ws.model("m"), ws.models().resolve(".m.previous"));
        TrainingResult resumed = TextTraining.train(ws, resumed(r), new TrainingListener() {}, () -> false);
        assertThat(resumed.step()).isEqualTo(20);
        assertThat(Checkpoint.readCard(ws.model("m")).step()).isEqualTo(20);
    }

    @Test
    void memoryStaysFlatOverManySteps() {
        TextCorpus c = TextCorpus.load(corpus, BadFilePolicy.STOP);
        List<String[]> parts = c.split(0.9);
        List<String> texts = new ArrayList<>();
        c.documents().forEach(d -> texts.add(d.text()));
        Tokenizer tok = CharTokenizer.build(texts, true);
        TokenDataset data = TextTraining.dataset(c, parts, tok, false);
        TrainSettings s = TrainSettings.nanoGpt(120, 4, 1e-3f, 3).withEvaluation(40, 2).withCheckpointEvery(1000);
        try (TextModel model = TextModel.create("m", art.atelier.nn.GptPreset.TINY.config(tok.vocabSize(), 1, false), tok, 3);
                AdamW opt = new AdamW(model.model().getNDManager(), model.gpt().getParameters(), s, AdamW.NANO_GPT_DECAY)) {
            LanguageModelTask task = new LanguageModelTask(model.gpt(), model.store(), data, s, opt, new Rng(3),
                    (out, step, last, eval, rng) -> { });
            List<Integer> live = new ArrayList<>();
            Runtime rt = Runtime.getRuntime();
            TrainingLoop.run(task, new TrainingLoop.Plan("m", 0, 120, 40, 1000, dir.resolve("m")),
                    model.model().getNDManager(), new TrainingListener() {
                        @Override
                        public void onStep(StepReport r) {
                            if (r.step() == 10 || r.step() == 60 || r.step() == 119) {
                                live.add(model.model().getNDManager().getManagedArrays().size());
                            }
                        }
                    }, () -> false);
            assertThat(live).hasSize(3);
            assertThat(live.get(1)).isEqualTo(live.get(0));
            assertThat(live.get(2)).isEqualTo(live.get(0));
        }
    }

    @Test
    void anExistingModelIsNeitherOverwrittenNorResumedByAccident() {
        Workspace ws = Workspace.at(dir);
        TextTraining.Request r = request("m", 12, null);
        TextTraining.train(ws, r, new TrainingListener() {}, () -> false);
        assertThatThrownBy(() -> TextTraining.train(ws, r, new TrainingListener() {}, () -> false))
                .isInstanceOf(AtelierException.class)
                .hasMessageContaining("already exists (12 of 12 steps)")
                .hasMessageContaining("--resume")
                .hasMessageContaining("--force");
        assertThatThrownBy(() -> TextTraining.train(ws, resumed(r), new TrainingListener() {}, () -> false))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("has finished its 12 steps");
        TextTraining.Request more = new TextTraining.Request(corpus, "m", null, null, null, 14, 16, null, null, null,
                null, null, null, true, false, BadFilePolicy.STOP);
        assertThatThrownBy(() -> TextTraining.train(ws, more, new TrainingListener() {}, () -> false))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("--batch 16 differs from the model's 8");
        assertThatThrownBy(() -> TextTraining.train(ws, resumed(request("other", 5, null)), new TrainingListener() {},
                () -> false)).hasMessageContaining("no model named 'other' to resume");
    }

    @Test
    void aResumeOnAChangedCorpusIsRefused() throws IOException {
        Path copy = dir.resolve("copy");
        Files.createDirectories(copy);
        Files.writeString(copy.resolve("a.txt"), "the heron waits by the river ".repeat(40));
        Workspace ws = Workspace.at(dir.resolve("ws"));
        TextTraining.Request r = new TextTraining.Request(copy, "m", "tiny", null, null, 10, 4, null, null, null,
                null, null, null, false, false, BadFilePolicy.STOP);
        AtomicBoolean stop = new AtomicBoolean();
        TextTraining.train(ws, r, new TrainingListener() {
            @Override
            public void onStep(StepReport s) {
                stop.set(s.step() >= 5);
            }
        }, stop::get);
        Files.writeString(copy.resolve("a.txt"), "the river waits by the heron ".repeat(40));
        assertThatThrownBy(() -> TextTraining.train(ws, resumed(r), new TrainingListener() {}, () -> false))
                .hasMessageContaining("is not the one 'm' was trained on");
    }

    @Test
    void badOptionsAreUsageErrors() {
        Workspace ws = Workspace.at(dir);
        TextTraining.Request vocabForChars = new TextTraining.Request(corpus, "m", "tiny", "char", 500, 5, null, null,
                null, null, null, null, null, false, false, BadFilePolicy.STOP);
        assertThatThrownBy(() -> TextTraining.train(ws, vocabForChars, new TrainingListener() {}, () -> false))
                .isInstanceOf(UsageException.class).hasMessageContaining("--vocab applies to --tokenizer bpe");
        TextTraining.Request preset = new TextTraining.Request(corpus, "m", "huge", null, null, 5, null, null, null,
                null, null, null, null, false, false, BadFilePolicy.STOP);
        assertThatThrownBy(() -> TextTraining.train(ws, preset, new TrainingListener() {}, () -> false))
                .isInstanceOf(UsageException.class).hasMessageContaining("unknown preset 'huge'");
        assertThatThrownBy(() -> ws.model("../evil")).isInstanceOf(UsageException.class);
    }

    @Test
    void bpeModelsTrainAndTheirTokenizerIsSaved() {
        Workspace ws = Workspace.at(dir);
        TextTraining.Request r = new TextTraining.Request(corpus, "b", "tiny", "bpe", 300, 10, 4, null, null, null,
                true, null, null, false, false, BadFilePolicy.STOP);
        TrainingResult res = TextTraining.train(ws, r, new TrainingListener() {}, () -> false);
        assertThat(res.lastEvaluation()).containsKeys("train_loss", "val_loss");
        ModelCard card = Checkpoint.readCard(ws.model("b"));
        assertThat(card.vocabulary().get("kind").getAsString()).isEqualTo("bpe");
        assertThat(card.config().get("bias").getAsBoolean()).isTrue();
        assertThat(card.styles()).containsExactly("couplets", "haiku");
        try (TextModel m = TextModel.load(ws.model("b"))) {
            assertThat(m.tokenizer().vocabSize()).isLessThanOrEqualTo(300).isEqualTo(m.gpt().config().vocabSize());
        }
    }

    @Test
    void checkpointsOfAnotherKindOrANewerFormatAreRefused() throws IOException {
        Workspace ws = Workspace.at(dir);
        TextTraining.train(ws, request("m", 5, null), new TrainingListener() {}, () -> false);
        Path model = ws.model("m");
        JsonObject card = Json.gson().fromJson(Files.readString(model.resolve("model.json")), JsonObject.class);

        JsonObject image = card.deepCopy();
        image.addProperty("medium", "image");
        image.addProperty("family", "dcgan");
        Files.writeString(model.resolve("model.json"), Json.write(image));
        assertThatThrownBy(() -> TextModel.load(model)).hasMessageContaining("is an image model of family 'dcgan'");

        JsonObject future = card.deepCopy();
        future.addProperty("format", 99);
        Files.writeString(model.resolve("model.json"), Json.write(future));
        assertThatThrownBy(() -> TextModel.load(model)).hasMessageContaining("newer Atelier (checkpoint format 99");

        Files.writeString(model.resolve("model.json"), Json.write(card));
        byte[] weights = Files.readAllBytes(model.resolve(Checkpoint.WEIGHTS));
        Files.write(model.resolve(Checkpoint.WEIGHTS), java.util.Arrays.copyOf(weights, weights.length / 2));
        assertThatThrownBy(() -> TextModel.load(model)).hasMessageContaining("weights.params does not fit")
                .hasMessageContaining("ends early");

        TextTraining.Request wider = new TextTraining.Request(corpus, "w", "baby", null, null, 1, 2, null, null, null,
                null, null, null, false, false, BadFilePolicy.STOP);
        TextTraining.train(ws, wider, new TrainingListener() {}, () -> false);
        Files.copy(ws.model("w").resolve(Checkpoint.WEIGHTS), model.resolve(Checkpoint.WEIGHTS),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> TextModel.load(model)).hasMessageContaining("does not fit this model");
    }

    @Test
    void aTinyCorpusStillTrainsWithShorterWindows() throws IOException {
        Path tiny = dir.resolve("tiny.txt");
        Files.writeString(tiny, "an ode\n"); // 6 characters to train on, 1 held out
        List<String> notes = new ArrayList<>();
        TextTraining.Request r = new TextTraining.Request(tiny, "t", "tiny", null, null, 5, 2, null, null, null, null,
                null, null, false, false, BadFilePolicy.STOP);
        TrainingResult res = TextTraining.train(Workspace.at(dir.resolve("ws")), r, new TrainingListener() {
            @Override
            public void onNote(String message) {
                notes.add(message);
            }
        }, () -> false);
        assertThat(res.step()).isEqualTo(5);
        assertThat(notes).anyMatch(n -> n.contains("training windows are")).anyMatch(n -> n.contains("validation"));
        assertThat(res.lastStep().get("loss")).isFinite();
        assertThat(Map.copyOf(res.lastEvaluation())).containsKey("train_loss");
    }
}
