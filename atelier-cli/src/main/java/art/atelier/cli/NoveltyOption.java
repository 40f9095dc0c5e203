package art.atelier.cli;

import art.atelier.Workspace;
import art.atelier.work.Studio;

import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.List;

/** {@code --min-novelty}, shared by every command that makes works, and the report of what it refused. */
final class NoveltyOption {

    @Option(names = "--min-novelty", paramLabel = "X", description = "refuse near-copies: works whose novelty (0 = a"
            + " copy of the corpus, 1 = nothing shared) is below X, or that nearly duplicate a catalogued work, are"
            + " drawn again (default: text 0.5, music 0.5, pictures 0.2; 0 keeps everything)")
    Double minNovelty;

    /**
     * @param ws the workspace
     * @return it opened with this threshold
     */
    Studio open(Workspace ws) {
        return Studio.open(ws, minNovelty);
    }

    /**
     * Runs a command's work in the opened workspace, then says what was refused, even when it failed
     * for want of new enough works.
     *
     * @param ws the workspace
     * @param err standard error
     * @param action what to make
     */
    void within(Workspace ws, PrintWriter err, java.util.function.Consumer<Studio> action) {
        try (Studio studio = open(ws)) {
            try {
                action.accept(studio);
            } finally {
                report(studio, err);
            }
        }
    }

    /**
     * Says how many candidates were refused and why, on standard error (standard output stays the works).
     *
     * @param studio the session
     * @param err standard error
     */
    static void report(Studio studio, PrintWriter err) {
        List<String> refused = studio.refusals();
        if (refused.isEmpty()) {
            return;
        }
        err.println("refused " + refused.size() + (refused.size() == 1 ? " near-copy" : " near-copies")
                + " and drew again:");
        for (String r : refused) {
            err.println("  " + r);
        }
        err.flush();
    }
}
