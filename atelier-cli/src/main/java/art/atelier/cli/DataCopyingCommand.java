package art.atelier.cli;

import art.atelier.image.ImageCopying;
import art.atelier.novelty.DataCopying;
import art.atelier.util.Json;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

/** {@code atelier data-copying NAME}: does a picture model copy its training pictures? */
@Command(name = "data-copying", description = "Test whether a picture model copies its training pictures: the"
        + " three-sample test of Meehan et al. (2020), its pictures against held-out ones.", sortOptions = false)
final class DataCopyingCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "the picture model")
    String name;

    @Option(names = "--count", defaultValue = "200", description = "pictures to draw (default: 200)")
    int count;

    @Option(names = "--cells", defaultValue = "5", description = "cells the feature space is split into, by"
            + " k-means on the training pictures (default: 5)")
    int cells;

    @Option(names = "--data", paramLabel = "DIR", description = "the corpus, if it has moved since training")
    Path data;

    @Option(names = "--json", description = "print the report as JSON")
    boolean json;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ImageCopying.Report r = ImageCopying.test(Main.workspace(spec), name, data, count, cells, m -> {
            err.println(m);
            err.flush();
        });
        if (json) {
            out.println(Json.write(r));
        } else {
            DataCopying.Report t = r.result();
            out.printf(Locale.ROOT, "%s at step %d: %d drawn pictures against %d training and %d held-out%n",
                    r.model(), r.step(), r.generated(), r.train(), r.heldOut());
            out.println("  " + t.summary());
            out.printf(Locale.ROOT, "  %-6s %9s %10s %8s%n", "cell", "held-out", "generated", "Z_U");
            for (int i = 0; i < t.cells().size(); i++) {
                DataCopying.Cell c = t.cells().get(i);
                out.printf(Locale.ROOT, "  %-6d %9d %10d %8s%n", i, c.heldOut(), c.generated(),
                        c.counted() ? String.format(Locale.ROOT, "%.2f", c.zU()) : "(few)");
            }
        }
        out.flush();
    }
}
