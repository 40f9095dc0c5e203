package art.atelier.cli;

import art.atelier.Workspace;
import art.atelier.demo.Demo;
import art.atelier.text.TextGeneration;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/** {@code atelier demo}: the whole pipeline in about a minute, on a corpus the project writes itself. */
@Command(name = "demo", description = "Write a small sample corpus, train a tiny model on it for about a minute,"
        + " and make new works with it.")
final class DemoCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--steps", description = "training steps (default: about a minute's worth)")
    Integer steps;

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
        out.println("Each work has its manifest beside it (.json): model, checkpoint, corpus, seed and settings.");
        out.println("Next: atelier train text --data YOUR_TEXTS --name mine --preset baby");
        out.flush();
    }
}
