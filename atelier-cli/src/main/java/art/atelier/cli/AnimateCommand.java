package art.atelier.cli;

import art.atelier.UsageException;
import art.atelier.Workspace;
import art.atelier.image.ImageGeneration;
import art.atelier.image.VqVaeGeneration;
import art.atelier.image.vqvae.VqVaeConfig;
import art.atelier.nn.SamplingSettings;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.security.SecureRandom;
import java.util.List;

/** {@code atelier animate NAME}: a looping walk through a picture model's latent space. */
@Command(name = "animate", description = "Make a looping animation: a walk through the model's latent space"
        + " between keyframes (a GAN's latents, spherically interpolated; a VQ-VAE's code vectors, morphed).",
        sortOptions = false)
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

    @Option(names = "--family", description = "gan or vqvae: the family the model must be (default: whichever it is)")
    String family;

    @Option(names = "--works", split = ",", paramLabel = "A,B,...", description = "VQ-VAE: morph between these"
            + " works of the model, in a loop (default: keyframes drawn from the prior)")
    List<String> works;

    @Option(names = "--temperature", defaultValue = "1.0", description = "VQ-VAE: of the keyframes drawn (default:"
            + " 1.0)")
    float temperature;

    @Option(names = "--top-k", defaultValue = "0", description = "VQ-VAE: of the keyframes drawn; 0 = all")
    int topK;

    @Option(names = "--top-p", defaultValue = "1.0", description = "VQ-VAE: of the keyframes drawn (default: 1.0)")
    float topP;

    @Option(names = "--json", description = "print the work as JSON")
    boolean json;

    @CommandLine.Mixin
    NoveltyOption novelty;

    @Override
    public void run() {
        novelty.within(Main.workspace(spec), spec.commandLine().getErr(), studio -> {
            Workspace ws = studio.workspace();
            long s = seed != null ? seed : new SecureRandom().nextInt(Integer.MAX_VALUE);
            boolean vqvae = VqVaeGeneration.isVqVae(ws, name);
            String is = vqvae ? VqVaeConfig.FAMILY : "gan";
            if (family != null && !family.equalsIgnoreCase(is)) {
                throw new UsageException("model '" + name + "' is a " + is + ", not a " + family);
            }
            CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
            if (vqvae) {
                if (parsed.hasMatchedOption("--truncation")) {
                    throw new UsageException("--truncation is for GAN models");
                }
                ImageGeneration.Made made = VqVaeGeneration.animate(studio, new VqVaeGeneration.AnimationRequest(name,
                        works == null ? List.of() : works, keyframes, frames, fps, s, style,
                        new SamplingSettings(temperature, topK, topP, 1f, 1, true), format));
                Works.print(spec.commandLine().getOut(), List.of(made), json);
                return;
            }
            for (String option : new String[] {"--works", "--temperature", "--top-k", "--top-p"}) {
                if (parsed.hasMatchedOption(option)) {
                    throw new UsageException(option + " is for VQ-VAE models");
                }
            }
            ImageGeneration.Made made = ImageGeneration.animate(studio,
                    new ImageGeneration.AnimationRequest(name, keyframes, frames, fps, s, style, truncation, format));
            Works.print(spec.commandLine().getOut(), List.of(made), json);
        });
    }
}
