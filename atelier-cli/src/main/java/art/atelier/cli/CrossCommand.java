package art.atelier.cli;

import art.atelier.image.ImageGeneration;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code atelier cross WORK_A WORK_B}: pictures between two pictures. */
@Command(name = "cross", description = "Cross two pictures of one model: points between their latents, styles"
        + " blended.", sortOptions = false)
final class CrossCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "WORK_A", description = "one picture: its id, or the path of its file")
    String a;

    @Parameters(index = "1", paramLabel = "WORK_B", description = "the other")
    String b;

    @Option(names = "--count", defaultValue = "3", description = "how many crossings, evenly between them"
            + " (default: 3)")
    int count;

    @Option(names = "--json", description = "print the works as JSON")
    boolean json;

    @CommandLine.Mixin
    NoveltyOption novelty;

    @Override
    public void run() {
        novelty.within(Main.workspace(spec), spec.commandLine().getErr(), studio -> {
            Works.print(spec.commandLine().getOut(), ImageGeneration.cross(studio, a, b, count), json);
        });
    }
}
