package art.atelier.cli;

import art.atelier.image.ImageScoring;
import art.atelier.util.Json;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

/** {@code atelier score NAME}: how good and how new a picture model's pictures are. */
@Command(name = "score", description = "Measure a picture model: KID, precision and recall on the features of a"
        + " network trained on its corpus, and the distance of its pictures to the nearest training picture.",
        sortOptions = false)
final class ScoreCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "the picture model")
    String name;

    @Option(names = "--count", defaultValue = "1000", description = "pictures to generate (default: 1000)")
    int count;

    @Option(names = "--data", paramLabel = "DIR", description = "the corpus to compare with (default: the one the"
            + " model was trained on)")
    Path data;

    @Option(names = "--json", description = "print the measures as JSON")
    boolean json;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ImageScoring.Score s = ImageScoring.score(Main.workspace(spec), name, data, count,
                art.atelier.image.quality.FeatureNet.STEPS, m -> {
            err.println(m);
            err.flush();
        });
        if (json) {
            out.println(Json.write(s));
        } else {
            out.println(String.format(Locale.ROOT, "%s at step %d: %d pictures against %d of the corpus", s.model(),
                    s.step(), s.generated(), s.corpus()));
            out.println(String.format(Locale.ROOT, "  KID        %.4f ± %.4f (lower is better; this corpus's own"
                    + " feature network)", s.kid().mean(), s.kid().std()));
            out.println(String.format(Locale.ROOT, "  precision  %.3f   recall %.3f", s.precisionRecall().precision(),
                    s.precisionRecall().recall()));
            out.println(String.format(Locale.ROOT, "  nearest training picture, RMS pixel distance (0-255):"
                    + " generated median %.1f, min %.1f", s.generatedToTraining().median(),
                    s.generatedToTraining().min()));
            if (s.heldOutToTraining() != null) {
                out.println(String.format(Locale.ROOT, "      held-out corpus pictures, for comparison: median %.1f,"
                        + " min %.1f", s.heldOutToTraining().median(), s.heldOutToTraining().min()));
            }
            out.println("  closest: seed " + s.closestId() + " to " + s.closestTraining());
        }
        out.flush();
    }
}
