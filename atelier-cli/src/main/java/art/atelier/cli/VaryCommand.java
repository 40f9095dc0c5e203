package art.atelier.cli;

import art.atelier.image.ImageGeneration;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.security.SecureRandom;

/** {@code atelier vary WORK}: children of a picture you like. */
@Command(name = "vary", description = "Make variations of a picture: its latent plus some noise.", sortOptions = false)
final class VaryCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "WORK", description = "the picture: its id, or the path of its file")
    String work;

    @Option(names = "--count", defaultValue = "4", description = "how many variations (default: 4)")
    int count;

    @Option(names = "--strength", defaultValue = "0.3", description = "how far they stray, 0 (the picture"
            + " itself) to 1 (unrelated) (default: 0.3)")
    float strength;

    @Option(names = "--seed", description = "seed of the first variation's noise (default: random, and recorded)")
    Long seed;

    @Option(names = "--json", description = "print the works as JSON")
    boolean json;

    @Override
    public void run() {
        long first = seed != null ? seed : new SecureRandom().nextInt(Integer.MAX_VALUE);
        Works.print(spec.commandLine().getOut(), ImageGeneration.vary(Main.workspace(spec), work, count, first,
                strength), json);
    }
}
