package art.atelier.cli;

import art.atelier.Workspace;
import art.atelier.corpus.BadFilePolicy;
import art.atelier.corpus.ImageCorpus;
import art.atelier.image.ImageTraining;
import art.atelier.image.vqvae.VqVaeTraining;
import art.atelier.music.MusicTraining;
import art.atelier.text.TextTraining;
import art.atelier.train.MetricsLog;
import art.atelier.train.TrainingListener;
import art.atelier.train.TrainingResult;
import art.atelier.util.Json;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;

/** {@code atelier train MEDIUM ...}. */
@Command(name = "train", description = "Train a model on a corpus of your works.",
        subcommands = {TrainCommand.Text.class, TrainCommand.Image.class, TrainCommand.Music.class})
final class TrainCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a medium: atelier train text ..., atelier train image ... or atelier train music ...");
    }

    /**
     * Runs training, then reports, with Ctrl-C wired to a clean stop: the run saves a checkpoint at the
     * current step, the report says how to resume, and only then may the process exit.
     */
    static void withCleanStop(Function<BooleanSupplier, TrainingResult> training, Consumer<TrainingResult> report) {
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.set(true);
            try {
                done.await(5, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "atelier-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            report.accept(training.apply(stop::get));
        } finally {
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it has what it waited for
            }
        }
    }

    /** A medium's training, given the listeners and the stop signal. */
    @FunctionalInterface
    interface Training {
        TrainingResult run(TrainingListener listeners, BooleanSupplier stop);
    }

    /**
     * Runs a medium's training with the progress bar and the metrics log listening, Ctrl-C wired to a
     * clean stop, and the report printed.
     */
    static void train(CommandLine.Model.CommandSpec spec, Workspace ws, String name, boolean json, String resumeHint,
            Training training) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (MetricsLog log = new MetricsLog(ws.logs().resolve(ws.model(name).getFileName() + ".jsonl"), 10)) {
            TrainingListener listeners = TrainingListener.all(new ProgressBar(err, System.console() != null), log);
            String started = java.time.Instant.now().toString();
            withCleanStop(stop -> training.run(listeners, stop), r -> {
                art.atelier.work.Studio.recordTraining(ws, name, started, r);
                report(out, err, r, name, json, resumeHint);
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the training log in " + ws.logs() + ": " + e.getMessage(), e);
        }
    }

    static void report(PrintWriter out, PrintWriter err, TrainingResult r, String name, boolean json,
            String resumeHint) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", name);
        m.put("path", r.modelDirectory().toString());
        m.put("step", r.step());
        m.put("stopped", r.stopped());
        m.put("metrics", r.lastStep());
        m.put("evaluation", r.lastEvaluation());
        m.put("wall_seconds", r.wallSeconds());
        m.put("median_step_ms", r.medianStepMillis(Math.min(50, r.stepMillis().length / 4)));
        if (json) {
            out.println(Json.write(m));
        } else {
            StringBuilder s = new StringBuilder();
            s.append(r.stopped() ? "stopped " + name + " at step " : "trained " + name + " to step ").append(r.step());
            r.lastEvaluation().forEach((k, v) -> s.append(String.format(Locale.ROOT, ", %s %.4f", k, v)));
            s.append(String.format(Locale.ROOT, " (%.1f s)", r.wallSeconds()));
            out.println(s);
            out.println("model: " + r.modelDirectory());
            if (r.stopped()) {
                out.println("resume with: " + resumeHint);
            }
        }
        out.flush();
        err.flush();
    }

    /** {@code atelier train text}. */
    @Command(name = "text", description = "Train a GPT on texts: one .txt/.md file or a folder of them"
            + " (sub-folders are styles).", sortOptions = false)
    static final class Text implements Runnable {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--data", required = true, paramLabel = "PATH", description = "a text file or a folder of them")
        Path data;

        @Option(names = "--name", required = true, description = "the model's name in the workspace")
        String name;

        @Option(names = "--preset", description = "tiny, baby or small (default: tiny)")
        String preset;

        @Option(names = "--tokenizer", description = "char or bpe (default: char)")
        String tokenizer;

        @Option(names = "--vocab", description = "BPE vocabulary size (default: 1024)")
        Integer vocab;

        @Option(names = "--steps", description = "total training steps (default: the preset's)")
        Integer steps;

        @Option(names = "--batch", description = "sequences per step (default: the preset's)")
        Integer batch;

        @Option(names = "--lr", description = "peak learning rate (default: the preset's)")
        Float lr;

        @Option(names = "--seed", description = "seed of initialisation and data order (default: 1337)")
        Long seed;

        @Option(names = "--dropout", description = "dropout probability (default: the preset's)")
        Float dropout;

        @Option(names = "--bias", description = "biases in Linear and LayerNorm layers (default: none, as nanoGPT)")
        Boolean bias;

        @Option(names = "--eval-every", description = "steps between validation evaluations")
        Integer evalEvery;

        @Option(names = "--checkpoint-every", description = "steps between checkpoints")
        Integer checkpointEvery;

        @Option(names = "--resume", description = "continue the model NAME exactly where it stopped")
        boolean resume;

        @Option(names = "--force", description = "replace an existing model NAME")
        boolean force;

        @Option(names = "--skip-bad", description = "leave out files that are not UTF-8 text instead of stopping")
        boolean skipBad;

        @Option(names = "--json", description = "print the result as JSON")
        boolean json;

        @Override
        public void run() {
            TextTraining.Request request = new TextTraining.Request(data, name, preset, tokenizer, vocab, steps, batch,
                    lr, seed, dropout, bias, evalEvery, checkpointEvery, resume, force,
                    skipBad ? BadFilePolicy.SKIP : BadFilePolicy.STOP);
            Workspace ws = Main.workspace(spec);
            train(spec, ws, name, json, "atelier train text --data " + data + " --name " + name + " --resume",
                    (listeners, stop) -> TextTraining.train(ws, request, listeners, stop));
        }
    }

    /** {@code atelier train image}. */
    @Command(name = "image", description = "Train a GAN or a VQ-VAE on pictures: a folder of PNG, JPEG, GIF or BMP"
            + " files (sub-folders are styles).", sortOptions = false)
    static final class Image implements Runnable {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--data", required = true, paramLabel = "DIR", description = "a folder of pictures")
        Path data;

        @Option(names = "--name", required = true, description = "the model's name in the workspace")
        String name;

        @Option(names = {"--family", "--model"}, paramLabel = "FAMILY", description = "atelier (default: a"
                + " data-efficient GAN), dcgan (the GAN baseline) or vqvae (a VQ-VAE with a transformer prior)")
        String family;

        @Option(names = "--size", description = "picture size: 32, 64, 128 or 256 (default: 64)")
        Integer size;

        @Option(names = "--channels", description = "1 (grey), 3 (RGB, transparency over white) or 4 (RGBA)"
                + " (default: 3)")
        Integer channels;

        @Option(names = "--fit", description = "crop or pad: how a picture that is not square is made square"
                + " (default: crop)")
        ImageCorpus.Fit fit;

        @Option(names = "--steps", description = "total training steps; for a VQ-VAE, the autoencoder's (default:"
                + " 20000 for a GAN, 10000 for a VQ-VAE)")
        Integer steps;

        @Option(names = "--batch", description = "pictures per step (default: 32 for atelier and vqvae, 64 for dcgan)")
        Integer batch;

        @Option(names = "--lr", description = "learning rate of both players (default: 0.0002), or of the VQ-VAE's"
                + " autoencoder (default: 0.0003)")
        Float lr;

        @Option(names = "--preset", description = "VQ-VAE: standard (default) or tiny (seconds, for trying things)")
        String preset;

        @Option(names = "--codes", paramLabel = "K", description = "VQ-VAE: codes in the codebook (default: 512)")
        Integer codes;

        @Option(names = "--downsample", description = "VQ-VAE: pixels per code cell on a side, 4 or 8 (default: 4"
                + " up to 64-pixel pictures, 8 above)")
        Integer downsample;

        @Option(names = "--kmeans-init", negatable = true, description = "VQ-VAE: start the codebook as k-means"
                + " centroids of the first batch's encoder outputs (default), or with --no-kmeans-init as randomly"
                + " chosen ones")
        Boolean kmeansInit;

        @Option(names = "--prior-steps", description = "VQ-VAE: the prior's training steps, after the autoencoder's"
                + " (default: 10000)")
        Integer priorSteps;

        @Option(names = "--prior-batch", description = "VQ-VAE: code grids per prior step (default: 32)")
        Integer priorBatch;

        @Option(names = "--prior-lr", description = "VQ-VAE: the prior's peak learning rate (default: 0.001)")
        Float priorLr;

        @Option(names = "--seed", description = "seed of initialisation, data order and noise (default: 1337)")
        Long seed;

        @Option(names = "--sample-every", description = "steps between sample grids in the run folder")
        Integer sampleEvery;

        @Option(names = "--checkpoint-every", description = "steps between checkpoints")
        Integer checkpointEvery;

        @Option(names = "--resume", description = "continue the model NAME exactly where it stopped")
        boolean resume;

        @Option(names = "--force", description = "replace an existing model NAME")
        boolean force;

        @Option(names = "--skip-bad", description = "leave out pictures that cannot be read instead of stopping")
        boolean skipBad;

        @Option(names = "--json", description = "print the result as JSON")
        boolean json;

        @Override
        public void run() {
            if (size != null && size != 32 && size != 64 && size != 128 && size != 256) {
                throw new art.atelier.UsageException("--size must be 32, 64, 128 or 256, was " + size);
            }
            ImageTraining.Request request = new ImageTraining.Request(data, name, family, size, channels, fit, steps,
                    batch, lr, seed, sampleEvery, checkpointEvery, resume, force,
                    skipBad ? BadFilePolicy.SKIP : BadFilePolicy.STOP);
            Workspace ws = Main.workspace(spec);
            train(spec, ws, name, json, "atelier train image --data " + data + " --name " + name + " --resume",
                    (listeners, stop) -> ImageTraining.train(ws, request, new VqVaeTraining.Options(preset, codes,
                            downsample, priorSteps, priorBatch, priorLr, kmeansInit), listeners, stop));
        }
    }

    /** {@code atelier train music}. */
    @Command(name = "music", description = "Train a transformer on MIDI files: a folder of .mid/.midi files"
            + " (sub-folders are styles).", sortOptions = false)
    static final class Music implements Runnable {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--data", required = true, paramLabel = "DIR", description = "a folder of MIDI files")
        Path data;

        @Option(names = "--name", required = true, description = "the model's name in the workspace")
        String name;

        @Option(names = "--preset", description = "tiny, baby or small (default: tiny)")
        String preset;

        @Option(names = "--steps", description = "total training steps (default: the preset's)")
        Integer steps;

        @Option(names = "--batch", description = "windows per step (default: the preset's)")
        Integer batch;

        @Option(names = "--lr", description = "peak learning rate (default: the preset's)")
        Float lr;

        @Option(names = "--seed", description = "seed of initialisation, data order and augmentation (default: 1337)")
        Long seed;

        @Option(names = "--transpose", paramLabel = "SEMITONES", description = "transpose training pieces by up to"
                + " this many semitones either way (default: 3; 0 for none)")
        Integer transpose;

        @Option(names = "--stretch", paramLabel = "X", description = "stretch the tempo of training pieces by up to"
                + " this share either way (default: 0.05; 0 for none)")
        Double stretch;

        @Option(names = "--eval-every", description = "steps between validation evaluations")
        Integer evalEvery;

        @Option(names = "--checkpoint-every", description = "steps between checkpoints")
        Integer checkpointEvery;

        @Option(names = "--resume", description = "continue the model NAME exactly where it stopped")
        boolean resume;

        @Option(names = "--force", description = "replace an existing model NAME")
        boolean force;

        @Option(names = "--skip-bad", description = "leave out MIDI files that cannot be read instead of stopping")
        boolean skipBad;

        @Option(names = "--json", description = "print the result as JSON")
        boolean json;

        @Override
        public void run() {
            MusicTraining.Request request = new MusicTraining.Request(data, name, preset, steps, batch, lr, seed,
                    transpose, stretch, evalEvery, checkpointEvery, resume, force,
                    skipBad ? BadFilePolicy.SKIP : BadFilePolicy.STOP);
            Workspace ws = Main.workspace(spec);
            train(spec, ws, name, json, "atelier train music --data " + data + " --name " + name + " --resume",
                    (listeners, stop) -> MusicTraining.train(ws, request, listeners, stop));
        }
    }
}
