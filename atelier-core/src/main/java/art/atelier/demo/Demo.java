package art.atelier.demo;

import art.atelier.Workspace;
import art.atelier.corpus.BadFilePolicy;
import art.atelier.corpus.ImageCorpus;
import art.atelier.image.ImageGeneration;
import art.atelier.image.ImageTraining;
import art.atelier.music.MusicGeneration;
import art.atelier.music.MusicTraining;
import art.atelier.nn.SamplingSettings;
import art.atelier.text.TextGeneration;
import art.atelier.text.TextTraining;
import art.atelier.train.TrainingListener;
import art.atelier.train.TrainingResult;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code atelier demo}: the whole pipeline on corpora the project writes itself. Trains the tiny
 * text preset for about a minute and writes three texts; trains a small GAN on drawn icons and makes
 * pictures and an animation; composes short pieces, trains the tiny music model on them, and
 * composes new ones with their audio. Returns what it made so a test can check it.
 */
public final class Demo {

    /** The demo model's name in the workspace. */
    public static final String TEXT_MODEL = "demo-poems";

    /**
     * What the demo made.
     *
     * @param corpus where the sample corpus was written
     * @param training how training went
     * @param texts the texts written
     */
    public record Result(Path corpus, TrainingResult training, List<TextGeneration.Text> texts) {}

    /** The demo picture model's name in the workspace. */
    public static final String IMAGE_MODEL = "demo-icons";

    /** Steps of the picture model that take about a minute on two cores. */
    public static final int DEFAULT_IMAGE_STEPS = 400;

    /**
     * What the picture half of the demo made.
     *
     * @param corpus where the sample pictures were written
     * @param training how training went
     * @param pictures the pictures drawn, then their grid
     * @param animation the looping animation
     */
    public record Pictures(Path corpus, TrainingResult training, List<ImageGeneration.Made> pictures,
            ImageGeneration.Made animation) {}

    /**
     * Draws a corpus of icons in two styles, trains the atelier GAN on it at 32×32 with transparency,
     * then draws eight pictures, their grid and a looping animation.
     *
     * @param workspace where the model and works go
     * @param steps training steps
     * @param listener the training's metrics stream
     * @return what was made
     * @throws IOException if the corpus cannot be written
     */
    public static Pictures pictures(Workspace workspace, int steps, TrainingListener listener) throws IOException {
        Path corpus = workspace.root().resolve("demo").resolve("icons");
        SamplePictures.write(corpus, 48, 32, 2026);
        ImageTraining.Request request = new ImageTraining.Request(corpus, IMAGE_MODEL, "atelier", 32, 4,
                ImageCorpus.Fit.PAD, steps, null, null, 7L, Math.max(1, steps / 4), null, false, true,
                BadFilePolicy.STOP);
        String started = java.time.Instant.now().toString();
        TrainingResult training = ImageTraining.train(workspace, request, listener, () -> false);
        art.atelier.work.Studio.recordTraining(workspace, IMAGE_MODEL, started, training);
        List<ImageGeneration.Made> pictures = ImageGeneration.generate(workspace,
                new ImageGeneration.Request(IMAGE_MODEL, 8, 1, null, 1f, true));
        ImageGeneration.Made animation = ImageGeneration.animate(workspace,
                new ImageGeneration.AnimationRequest(IMAGE_MODEL, 4, 32, 10, 5, null, 1f, "gif"));
        return new Pictures(corpus, training, pictures, animation);
    }

    /** The demo music model's name in the workspace. */
    public static final String MUSIC_MODEL = "demo-tunes";

    /** Steps of the music model that take about a minute on two cores. */
    public static final int DEFAULT_MUSIC_STEPS = 400;

    /**
     * What the music half of the demo made.
     *
     * @param corpus where the sample pieces were written
     * @param training how training went
     * @param pieces the pieces composed (MIDI and WAV)
     */
    public record Music(Path corpus, TrainingResult training, List<MusicGeneration.Made> pieces) {}

    /**
     * Composes a corpus of short pieces in two styles, trains the tiny music model on it, then
     * composes a waltz and a hymn of 12 seconds each, with their WAV renderings.
     *
     * @param workspace where the model and works go
     * @param steps training steps
     * @param listener the training's metrics stream
     * @return what was made
     * @throws IOException if the corpus cannot be written
     */
    public static Music music(Workspace workspace, int steps, TrainingListener listener) throws IOException {
        Path corpus = workspace.root().resolve("demo").resolve("tunes");
        SampleMusic.write(corpus, 12, 2026);
        MusicTraining.Request request = new MusicTraining.Request(corpus, MUSIC_MODEL, "tiny", steps, null, null, 7L,
                null, null, null, null, false, true, BadFilePolicy.STOP);
        String started = java.time.Instant.now().toString();
        TrainingResult training = MusicTraining.train(workspace, request, listener, () -> false);
        art.atelier.work.Studio.recordTraining(workspace, MUSIC_MODEL, started, training);
        List<MusicGeneration.Made> pieces = new java.util.ArrayList<>();
        for (String style : SampleMusic.STYLES) {
            pieces.addAll(MusicGeneration.generate(workspace, new MusicGeneration.Request(MUSIC_MODEL, 1, 1, 12, style,
                    null, null, 0.9f, 0, 0.95f, null, true)));
        }
        return new Music(corpus, training, pieces);
    }

    private Demo() {}

    /**
     * @param workspace where the model and works go
     * @param steps training steps (the CLI uses {@link #DEFAULT_STEPS}, about a minute on two cores)
     * @param listener the training's metrics stream
     * @return what was made
     * @throws IOException if the corpus cannot be written
     */
    public static Result run(Workspace workspace, int steps, TrainingListener listener) throws IOException {
        Path corpus = workspace.root().resolve("demo").resolve("poems");
        SampleTexts.write(corpus, 2026);
        TextTraining.Request request = new TextTraining.Request(corpus, TEXT_MODEL, "tiny", "char", null, steps,
                null, null, 7L, null, null, null, null, false, true, BadFilePolicy.STOP);
        String started = java.time.Instant.now().toString();
        TrainingResult training = TextTraining.train(workspace, request, listener, () -> false);
        art.atelier.work.Studio.recordTraining(workspace, TEXT_MODEL, started, training);
        SamplingSettings sampling = new SamplingSettings(0.8f, 0, 0.95f, 1.0f, 300, true);
        List<TextGeneration.Text> texts = new java.util.ArrayList<>();
        texts.addAll(TextGeneration.generate(workspace,
                new TextGeneration.Request(TEXT_MODEL, 2, 1, sampling, null, "haiku", List.of())));
        texts.addAll(TextGeneration.generate(workspace,
                new TextGeneration.Request(TEXT_MODEL, 1, 3, sampling, "The morning brings", "couplets", List.of())));
        return new Result(corpus, training, texts);
    }

    /** Steps that take about a minute on two cores. */
    public static final int DEFAULT_STEPS = 10_000;
}
