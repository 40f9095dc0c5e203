package art.atelier.cli;

import art.atelier.Workspace;
import art.atelier.demo.Demo;
import art.atelier.image.ImageGeneration;
import art.atelier.music.MusicGeneration;
import art.atelier.text.TextGeneration;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/** {@code atelier demo}: the whole pipeline in about a minute, on a corpus the project writes itself. */
@Command(name = "demo", description = "Write small sample corpora (poems, icons, tunes), train tiny models on them for"
        + " about a minute each, and make new works with them.")
final class DemoCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--steps", description = "text training steps (default: about a minute's worth)")
    Integer steps;

    @Option(names = "--image-steps", description = "picture training steps (default: about a minute's worth)")
    Integer imageSteps;

    @Option(names = "--music-steps", description = "music training steps (default: about a minute's worth)")
    Integer musicSteps;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Workspace ws = Main.workspace(spec);
        out.println("Atelier demo: a sample corpus of poems in two styles, a tiny GPT trained on it, three new texts.");
        out.println("workspace: " + ws.root());
        out.flush();
        Demo.Result r;
        try {
            r = Demo.run(ws, steps == null ? Demo.DEFAULT_STEPS : steps, new ProgressBar(err, System.console() != null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.println("corpus: " + r.corpus());
        out.println("model:  " + r.training().modelDirectory() + "  (val loss "
                + String.format(java.util.Locale.ROOT, "%.3f", r.training().lastEvaluation().getOrDefault("val_loss",
                        Double.NaN)) + ")");
        out.println();
        for (TextGeneration.Text t : r.texts()) {
            out.println("=== " + (t.style() == null ? "" : t.style() + ", ") + "seed " + t.seed() + " -> " + t.saved().file());
            out.println(t.text().strip());
            out.println();
        }
        out.println("Now pictures: icons in two styles drawn by the project, a small GAN trained on them.");
        out.flush();
        Demo.Pictures p;
        try {
            p = Demo.pictures(ws, imageSteps == null ? Demo.DEFAULT_IMAGE_STEPS : imageSteps,
                    new ProgressBar(err, System.console() != null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.println("corpus: " + p.corpus());
        out.println("model:  " + p.training().modelDirectory());
        for (ImageGeneration.Made m : p.pictures()) {
            out.println("picture " + m.saved().id() + (m.style() == null ? "" : " (" + m.style() + ")") + " -> "
                    + m.saved().file());
        }
        out.println("animation -> " + p.animation().saved().file());
        out.println("training samples, step by step: " + ws.run(Demo.IMAGE_MODEL).resolve("samples"));
        out.println();
        out.println("Now music: short hymns and waltzes composed by the project, a tiny transformer trained on them.");
        out.flush();
        Demo.Music music;
        try {
            music = Demo.music(ws, musicSteps == null ? Demo.DEFAULT_MUSIC_STEPS : musicSteps,
                    new ProgressBar(err, System.console() != null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.println("corpus: " + music.corpus());
        out.println("model:  " + music.training().modelDirectory());
        for (MusicGeneration.Made m : music.pieces()) {
            out.println("piece " + m.saved().id() + (m.style() == null ? "" : " (" + m.style() + ")") + " -> "
                    + m.saved().file() + " and " + m.audio());
        }
        out.println();
        out.println("Each work carries its signed manifest (inside PNG, GIF and MIDI files, beside texts): model,");
        out.println("checkpoint, corpus, seed, settings and novelty against the corpus. All are in the catalog:");
        out.println("      atelier works; atelier show ID; atelier verify FILE; atelier export --html DIR");
        out.println("Next: atelier train text --data YOUR_TEXTS --name mine --preset baby");
        out.println("      atelier train image --data YOUR_PICTURES --name mine --size 64");
        out.println("      atelier train music --data YOUR_MIDI_FILES --name mine --preset baby");
        out.flush();
    }
}
