package art.atelier.music;

import art.atelier.UsageException;
import art.atelier.Workspace;
import art.atelier.corpus.BadFile;
import art.atelier.corpus.BadFilePolicy;
import art.atelier.corpus.MusicCorpus;
import art.atelier.novelty.Indexes;
import art.atelier.nn.GptConfig;
import art.atelier.train.Checkpoint;
import art.atelier.train.GptModel;
import art.atelier.train.ModelCard;
import art.atelier.train.Runs;
import art.atelier.train.TrainSettings;
import art.atelier.train.TrainingListener;
import art.atelier.train.TrainingResult;
import art.atelier.util.Rng;

import com.google.gson.JsonObject;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * {@code atelier train music}: MIDI corpus → event vocabulary → augmented windows → GPT → the shared
 * training loop → checkpoint. A new model, or {@code --resume} of one, which continues exactly where
 * it stopped.
 */
public final class MusicTraining {

    /** Share of the pieces (of each style) used for training; the rest is the validation split. */
    public static final double TRAIN_FRACTION = 0.9;
    /** Default largest transposition of a training piece, semitones (Music Transformer's ±3). */
    public static final int DEFAULT_TRANSPOSE = 3;
    /** Default largest relative tempo change of a training piece (Music Transformer's ±5%). */
    public static final double DEFAULT_STRETCH = 0.05;

    /**
     * What to train. Null fields take the preset's (or, on resume, the checkpoint's) value.
     *
     * @param data the corpus folder
     * @param name the model's name
     * @param preset tiny, baby or small
     * @param steps total steps
     * @param batch batch size
     * @param learningRate peak learning rate
     * @param seed seed
     * @param transpose largest transposition of a training piece, semitones
     * @param stretch largest relative tempo change of a training piece
     * @param evalEvery steps between evaluations
     * @param checkpointEvery steps between checkpoints
     * @param resume continue the existing model
     * @param force replace an existing model
     * @param badFiles what to do with unusable files
     */
    public record Request(Path data, String name, String preset, Integer steps, Integer batch, Float learningRate,
            Long seed, Integer transpose, Double stretch, Integer evalEvery, Integer checkpointEvery, boolean resume,
            boolean force, BadFilePolicy badFiles) {

        /**
         * @param data the corpus
         * @param name the model's name
         * @return a request with every option at its default
         */
        public static Request of(Path data, String name) {
            return new Request(data, name, null, null, null, null, null, null, null, null, null, false, false,
                    BadFilePolicy.STOP);
        }
    }

    private MusicTraining() {}

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
        ModelCard card = existing == null ? null : Checkpoint.expect(existing, MusicModel.MEDIUM, MusicModel.FAMILY);
        if (request.transpose() != null && request.transpose() < 0) {
            throw new UsageException("--transpose must be 0 or more semitones, was " + request.transpose());
        }
        if (request.stretch() != null && !(request.stretch() >= 0 && request.stretch() < 0.5)) {
            throw new UsageException("--stretch must be in [0, 0.5), was " + request.stretch());
        }
        MusicCorpus corpus = MusicCorpus.load(request.data(), request.badFiles());
        for (BadFile b : corpus.skipped()) {
            listener.onNote("left out " + b);
        }
        return card != null ? resume(workspace, dir, card, request, corpus, listener, stop)
                : fresh(workspace, dir, request, corpus, listener, stop);
    }

    /**
     * @param corpus a corpus
     * @return its style labels that name a sub-folder (pieces at the root have no style)
     */
    public static List<String> styles(MusicCorpus corpus) {
        return corpus.styles().stream().filter(s -> !s.equals(MusicCorpus.NO_STYLE)).toList();
    }

    /**
     * @param corpus a corpus
     * @return the instrument sets its pieces use, per style, most used first (ties in a fixed order)
     */
    public static List<MusicModel.Instrumentation> instrumentations(MusicCorpus corpus) {
        Map<String, MusicModel.Instrumentation> counts = new LinkedHashMap<>();
        for (MusicCorpus.Item item : corpus.items()) {
            String style = item.style().equals(MusicCorpus.NO_STYLE) ? null : item.style();
            Map<Instrument, Integer> programs = MusicVocabulary.Header.of(item.piece(), null).programs();
            String key = style + "|" + programs;
            MusicModel.Instrumentation old = counts.get(key);
            counts.put(key, new MusicModel.Instrumentation(style, programs, old == null ? 1 : old.pieces() + 1));
        }
        List<MusicModel.Instrumentation> out = new ArrayList<>(counts.values());
        out.sort(Comparator.comparingInt(MusicModel.Instrumentation::pieces).reversed()
                .thenComparing(i -> String.valueOf(i.style()) + "|" + i.programs()));
        return out;
    }

    private static TrainingResult fresh(Workspace ws, Path dir, Request r, MusicCorpus corpus,
            TrainingListener listener, BooleanSupplier stop) {
        MusicPreset preset = MusicPreset.of(r.preset() == null ? "tiny" : r.preset());
        MusicVocabulary vocabulary = new MusicVocabulary(styles(corpus));
        GptConfig config = preset.config(vocabulary.size());
        long seed = r.seed() == null ? 1337L : r.seed();
        TrainSettings settings = TrainSettings.nanoGpt(
                Objects.requireNonNullElse(r.steps(), preset.defaultSteps()),
                Objects.requireNonNullElse(r.batch(), preset.defaultBatch()),
                Objects.requireNonNullElse(r.learningRate(), preset.defaultLearningRate()), seed);
        settings = Runs.cadence(settings, r.evalEvery(), r.checkpointEvery());
        int transpose = Objects.requireNonNullElse(r.transpose(), DEFAULT_TRANSPOSE);
        double stretch = Objects.requireNonNullElse(r.stretch(), DEFAULT_STRETCH);
        List<MusicModel.Instrumentation> instrumentations = instrumentations(corpus);
        String created = Instant.now().toString();
        try (MusicModel model = MusicModel.create(r.name(), config, vocabulary, instrumentations, seed)) {
            return run(ws, dir, r.name(), preset.id(), model, corpus, settings, transpose, stretch, new Rng(seed), 0,
                    created, null, listener, stop);
        }
    }

    private static TrainingResult resume(Workspace ws, Path dir, ModelCard card, Request r, MusicCorpus corpus,
            TrainingListener listener, BooleanSupplier stop) {
        Runs.requireSameCorpus(card, r.data(), corpus.fingerprint(), "pieces");
        TrainSettings saved = card.training();
        JsonObject augmentation = card.vocabulary().getAsJsonObject("augmentation");
        Runs.refuseChange("--preset", r.preset(), card.preset());
        Runs.refuseChange("--batch", r.batch(), saved.batch());
        Runs.refuseChange("--lr", r.learningRate(), saved.learningRate());
        Runs.refuseChange("--seed", r.seed(), saved.seed());
        Runs.refuseChange("--transpose", r.transpose(), augmentation.get("transpose").getAsInt());
        Runs.refuseChange("--stretch", r.stretch(), augmentation.get("stretch").getAsDouble());
        TrainSettings settings = Runs.cadence(Runs.continued(card, r.steps(), dir), r.evalEvery(), r.checkpointEvery());
        try (MusicModel model = MusicModel.load(dir, card)) {
            return run(ws, dir, r.name(), card.preset(), model, corpus, settings,
                    augmentation.get("transpose").getAsInt(), augmentation.get("stretch").getAsDouble(),
                    Rng.restore(card.rng()), card.step(), card.created(), dir, listener, stop);
        }
    }

    /**
     * @param vocabulary the vocabulary
     * @param items pieces of the corpus
     * @return them as dataset entries (root pieces unstyled)
     */
    public static List<MusicDataset.Entry> entries(MusicVocabulary vocabulary, List<MusicCorpus.Item> items) {
        List<MusicDataset.Entry> out = new ArrayList<>();
        for (MusicCorpus.Item i : items) {
            out.add(new MusicDataset.Entry(i.piece(), i.style().equals(MusicCorpus.NO_STYLE) ? null : i.style()));
        }
        return out;
    }

    private static TrainingResult run(Workspace ws, Path dir, String name, String preset, MusicModel model,
            MusicCorpus corpus, TrainSettings settings, int transpose, double stretch, Rng rng, int startStep,
            String created, Path resumeFrom, TrainingListener listener, BooleanSupplier stop) {
        MusicVocabulary vocabulary = model.vocabulary();
        MusicCorpus.Split split = corpus.split(TRAIN_FRACTION, settings.seed());
        MusicDataset data = new MusicDataset(vocabulary, entries(vocabulary, split.train()),
                entries(vocabulary, split.validation()), transpose, stretch);
        if (!data.hasValidation()) {
            listener.onNote("a single piece: no validation loss will be reported");
        }
        List<String> skipped = corpus.skipped().stream().map(BadFile::toString).toList();
        ModelCard.CorpusRecord corpusRecord = new ModelCard.CorpusRecord(
                corpus.root().toAbsolutePath().normalize().toString(), corpus.fingerprint(),
                corpus.items().size(), data.trainTokens(), data.validationTokens(), "events", skipped);
        JsonObject vocabularyJson = MusicModel.vocabularyJson(vocabulary, model.instrumentations());
        JsonObject augmentation = new JsonObject();
        augmentation.addProperty("transpose", transpose);
        augmentation.addProperty("stretch", stretch);
        vocabularyJson.add("augmentation", augmentation);
        GptModel.Identity identity = new GptModel.Identity(MusicModel.MEDIUM, MusicModel.FAMILY, name, preset,
                vocabularyJson, vocabulary.styles(), corpusRecord, created);
        return model.train(identity, dir, data, settings, rng, startStep, resumeFrom, listener, stop,
                Indexes.music(corpus));
    }
}
