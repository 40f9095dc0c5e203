package art.atelier.cli;

import art.atelier.image.ImageGeneration;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.security.SecureRandom;
import java.util.List;

/** {@code atelier animate NAME}: a looping walk through a picture model's latent space. */
@Command(name = "animate", description = "Make a looping animation: a walk through the model's latent space,"
        + " spherically interpolated between keyframes.", sortOptions = false)
final class AnimateCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "the picture model")
    String name;

    @Option(names = "--keyframes", defaultValue = "4", description = "pictures the loop passes through (default: 4)")
    int keyframes;

    @Option(names = "--frames", defaultValue = "48", description = "frames in one loop (default: 48)")
    int frames;

    @Option(names = "--fps", defaultValue = "12", description = "frames per second (default: 12)")
    int fps;

    @Option(names = "--seed", description = "seed of the keyframes (default: random, and recorded)")
    Long seed;

    @Option(names = "--style", description = "the style, for a model trained with styles")
    String style;

    @Option(names = "--truncation", paramLabel = "PSI", defaultValue = "1.0", description = "pull towards the"
            + " average picture, 0 < PSI <= 1 (default: 1.0 = off)")
    float truncation;

    @Option(names = "--format", defaultValue = "gif", description = "gif or apng (default: gif)")
    String format;

    @Option(names = "--json", description = "print the work as JSON")
    boolean json;

    @Override
    public void run() {
        long s = seed != null ? seed : new SecureRandom().nextInt(Integer.MAX_VALUE);
        ImageGeneration.Made made = ImageGeneration.animate(Main.workspace(spec),
                new ImageGeneration.AnimationRequest(name, keyframes, frames, fps, s, style, truncation, format));
        Works.print(spec.commandLine().getOut(), List.of(made), json);
    }
}
