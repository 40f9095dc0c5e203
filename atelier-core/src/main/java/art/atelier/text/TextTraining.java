package art.atelier.text;

import art.atelier.UsageException;
import art.atelier.Workspace;
import art.atelier.corpus.BadFile;
import art.atelier.corpus.BadFilePolicy;
import art.atelier.corpus.TextCorpus;
import art.atelier.novelty.Indexes;
import art.atelier.nn.GptConfig;
import art.atelier.nn.GptPreset;
import art.atelier.train.Checkpoint;
import art.atelier.train.GptModel;
import art.atelier.train.ModelCard;
import art.atelier.train.Runs;
import art.atelier.train.TokenDataset;
import art.atelier.train.TrainSettings;
import art.atelier.train.TrainingListener;
import art.atelier.train.TrainingResult;
import art.atelier.util.Rng;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * {@code atelier train text}: corpus → tokenizer → token streams → GPT → the shared training loop →
 * checkpoint. A new model, or {@code --resume} of one, which continues exactly where it stopped.
 */
public final class TextTraining {

    /** Share of every document used for training; the rest is the validation split. */
    public static final double TRAIN_FRACTION = 0.9;
    /** Default vocabulary for byte-level BPE. */
    public static final int DEFAULT_BPE_VOCAB = 1024;

    /**
     * What to train. Null fields take the preset's (or, on resume, the checkpoint's) value.
     *
     * @param data the corpus file or folder
     * @param name the model's name
     * @param preset tiny, baby or small
     * @param tokenizer "char" or "bpe"
     * @param vocab BPE vocabulary size
     * @param steps total steps
     * @param batch batch size
     * @param learningRate peak learning rate
     * @param seed seed
     * @param dropout dropout probability
     * @param bias biases in Linear and LayerNorm layers
     * @param evalEvery steps between evaluations
     * @param checkpointEvery steps between checkpoints
     * @param resume continue the existing model
     * @param force replace an existing model
     * @param badFiles what to do with unusable files
     */
    public record Request(Path data, String name, String preset, String tokenizer, Integer vocab, Integer steps,
            Integer batch, Float learningRate, Long seed, Float dropout, Boolean bias, Integer evalEvery,
            Integer checkpointEvery, boolean resume, boolean force, BadFilePolicy badFiles) {

        /**
         * @param data the corpus
         * @param name the model's name
         * @return a request with every option at its default
         */
        public static Request of(Path data, String name) {
            return new Request(data, name, null, null, null, null, null, null, null, null, null, null, null,
                    false, false, BadFilePolicy.STOP);
        }
    }

    private TextTraining() {}

    /**
     * Trains.
     *
     * @param workspace where the model goes
     * @param request what to train
     * @param listener the metrics stream
     * @param stop polled before every step; when true the run saves and returns
     * @return how the run ended
     */
    public static TrainingResult train(Workspace workspace, Request request, TrainingListener listener,
            BooleanSupplier stop) {
        Path dir = workspace.model(request.name());
        ModelCard existing = Runs.target(workspace, request.name(), request.resume(), request.force());
        TextCorpus corpus = TextCorpus.load(request.data(), request.badFiles());
        for (BadFile b : corpus.skipped()) {
            listener.onNote("left out " + b);
        }
        return existing != null ? resume(workspace, dir, existing, request, corpus, listener, stop)
                : fresh(workspace, dir, request, corpus, listener, stop);
    }

    private static TrainingResult fresh(Workspace ws, Path dir, Request r, TextCorpus corpus,
            TrainingListener listener, BooleanSupplier stop) {
        GptPreset preset = GptPreset.of(r.preset() == null ? "tiny" : r.preset());
        List<String[]> parts = corpus.split(TRAIN_FRACTION);
        boolean withEnd = corpus.documents().size() > 1;
        String kind = r.tokenizer() == null ? "char" : r.tokenizer();
        Tokenizer tokenizer = switch (kind) {
            case "char" -> {
                if (r.vocab() != null) {
                    throw new UsageException("--vocab applies to --tokenizer bpe; a char tokenizer's vocabulary is"
                            + " the corpus's characters");
                }
                List<String> all = new ArrayList<>();
                corpus.documents().forEach(d -> all.add(d.text()));
                yield CharTokenizer.build(all, withEnd);
            }
            case "bpe" -> {
                List<String> train = new ArrayList<>();
                parts.forEach(p -> train.add(p[0]));
                yield ByteBpeTokenizer.train(train, r.vocab() == null ? DEFAULT_BPE_VOCAB : r.vocab(), withEnd);
            }
            default -> throw new UsageException("unknown tokenizer '" + kind + "'; choose char or bpe");
        };
        if (tokenizer instanceof ByteBpeTokenizer bpe && r.vocab() != null && tokenizer.vocabSize() < r.vocab()) {
            listener.onNote("the corpus supports only " + bpe.mergeCount() + " merges (no other pair occurs twice):"
                    + " the vocabulary is " + tokenizer.vocabSize() + ", not " + r.vocab());
        }
        int styles = corpus.styles().size();
        GptConfig config = preset.config(tokenizer.vocabSize(), styles, Boolean.TRUE.equals(r.bias()));
        if (r.dropout() != null) {
            config = config.withDropout(r.dropout());
        }
        long seed = r.seed() == null ? 1337L : r.seed();
        TrainSettings settings = TrainSettings.nanoGpt(
                Objects.requireNonNullElse(r.steps(), preset.defaultSteps()),
                Objects.requireNonNullElse(r.batch(), preset.defaultBatch()),
                Objects.requireNonNullElse(r.learningRate(), preset.defaultLearningRate()), seed);
        settings = Runs.cadence(settings, r.evalEvery(), r.checkpointEvery());
        TokenDataset data = dataset(corpus, parts, tokenizer, config.styles() > 0);
        checkWindow(data, config, listener);
        String created = Instant.now().toString();
        try (TextModel model = TextModel.create(r.name(), config, tokenizer, seed)) {
            Rng rng = new Rng(seed);
            return run(ws, dir, r.name(), preset.id(), model, corpus, data, settings, rng, 0, created, null,
                    listener, stop);
        }
    }

    private static TrainingResult resume(Workspace ws, Path dir, ModelCard existing, Request r, TextCorpus corpus,
            TrainingListener listener, BooleanSupplier stop) {
        ModelCard card = Checkpoint.expect(existing, TextModel.MEDIUM, TextModel.FAMILY);
        Runs.requireSameCorpus(card, r.data(), corpus.fingerprint(), "data");
        TrainSettings saved = card.training();
        Runs.refuseChange("--preset", r.preset(), card.preset());
        Runs.refuseChange("--tokenizer", r.tokenizer(), card.vocabulary().get("kind").getAsString());
        Runs.refuseChange("--batch", r.batch(), saved.batch());
        Runs.refuseChange("--lr", r.learningRate(), saved.learningRate());
        Runs.refuseChange("--seed", r.seed(), saved.seed());
        if (r.vocab() != null || r.dropout() != null || r.bias() != null) {
            throw new UsageException("--vocab, --dropout and --bias shape a new model; a resumed one keeps its own");
        }
        TrainSettings settings = Runs.cadence(Runs.continued(card, r.steps(), dir), r.evalEvery(), r.checkpointEvery());
        try (TextModel model = TextModel.load(dir, card)) {
            List<String[]> parts = corpus.split(TRAIN_FRACTION);
            TokenDataset data = dataset(corpus, parts, model.tokenizer(), model.gpt().config().styles() > 0);
            checkWindow(data, model.gpt().config(), listener);
            Rng rng = Rng.restore(card.rng());
            return run(ws, dir, r.name(), card.preset(), model, corpus, data, settings, rng, card.step(),
                    card.created(), dir, listener, stop);
        }
    }

    private static void checkWindow(TokenDataset data, GptConfig config, TrainingListener listener) {
        int t = data.windowLength(config.contextLength(), false);
        if (t < config.contextLength()) {
            listener.onNote("the corpus is shorter than the context of " + config.contextLength()
                    + " tokens: training windows are " + t + " tokens");
        }
        if (!data.hasValidation()) {
            listener.onNote("the corpus is too short for a validation split: no validation loss will be reported");
        }
    }

    /**
     * Encodes the corpus into per-style streams: each document's head for training, its tail for
     * validation, documents of a style joined by the end token.
     *
     * @param corpus the corpus
     * @param parts per document, [train, validation] text
     * @param tokenizer the tokenizer
     * @param styled whether the model is conditioned on style
     * @return the dataset
     */
    public static TokenDataset dataset(TextCorpus corpus, List<String[]> parts, Tokenizer tokenizer, boolean styled) {
        List<String> styles = styled ? corpus.styles() : List.of(TextCorpus.NO_STYLE);
        List<int[]> train = new ArrayList<>();
        List<int[]> val = new ArrayList<>();
        for (String style : styles) {
            IntList t = new IntList();
            IntList v = new IntList();
            for (int i = 0; i < corpus.documents().size(); i++) {
                if (styled && !corpus.documents().get(i).style().equals(style)) {
                    continue;
                }
                t.addAll(tokenizer.encode(parts.get(i)[0]));
                v.addAll(tokenizer.encode(parts.get(i)[1]));
                if (tokenizer.endToken() >= 0) {
                    t.add(tokenizer.endToken());
                    v.add(tokenizer.endToken());
                }
            }
            train.add(t.toArray());
            val.add(v.toArray());
        }
        return new TokenDataset(train, val, styled);
    }

    private static TrainingResult run(Workspace ws, Path dir, String name, String preset, TextModel model,
            TextCorpus corpus, TokenDataset data, TrainSettings settings, Rng rng, int startStep, String created,
            Path resumeFrom, TrainingListener listener, BooleanSupplier stop) {
        List<String> skipped = corpus.skipped().stream().map(BadFile::toString).toList();
        ModelCard.CorpusRecord corpusRecord = new ModelCard.CorpusRecord(corpus.root().toString(),
                corpus.fingerprint(), corpus.documents().size(), data.trainTokens(), data.validationTokens(),
                "tokens", skipped);
        List<String> styles = model.gpt().config().styles() > 0 ? corpus.styles() : List.of();
        GptModel.Identity identity = new GptModel.Identity(TextModel.MEDIUM, TextModel.FAMILY, name, preset,
                model.tokenizer().toJson(), styles, corpusRecord, created);
        return model.train(identity, dir, data, settings, rng, startStep, resumeFrom, listener, stop,
                Indexes.text(corpus));
    }

    /** A growable int array. */
    private static final class IntList {
        private int[] a = new int[1024];
        private int n;

        void add(int v) {
            if (n == a.length) {
                a = java.util.Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        void addAll(int[] v) {
            if (n + v.length > a.length) {
                a = java.util.Arrays.copyOf(a, Math.max(a.length * 2, n + v.length));
            }
            System.arraycopy(v, 0, a, n, v.length);
            n += v.length;
        }

        int[] toArray() {
            return java.util.Arrays.copyOf(a, n);
        }
    }
}
