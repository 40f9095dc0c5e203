package art.atelier.cli;

import art.atelier.UsageException;
import art.atelier.Workspace;
import art.atelier.image.ImageGeneration;
import art.atelier.image.VqVaeGeneration;
import art.atelier.nn.SamplingSettings;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.security.SecureRandom;

/** {@code atelier vary WORK}: children of a picture you like. */
@Command(name = "vary", description = "Make variations of a picture: a GAN's latent plus some noise, or a region"
        + " of a VQ-VAE picture drawn again by its prior.", sortOptions = false)
final class VaryCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "WORK", description = "the picture: its id, or the path of its file")
    String work;

    @Option(names = "--count", defaultValue = "4", description = "how many variations (default: 4)")
    int count;

    @Option(names = "--strength", description = "GAN: how far they stray, 0 (the picture itself) to 1 (unrelated)"
            + " (default: 0.3)")
    Float strength;

    @Option(names = "--region", paramLabel = "X,Y,W,H", description = "VQ-VAE: the part to draw again, in pixels;"
            + " the rest of the picture's codes are kept (default: the middle, half the picture's side)")
    String region;

    @Option(names = "--temperature", defaultValue = "1.0", description = "VQ-VAE: below 1 safer, above 1 wilder"
            + " (default: 1.0)")
    float temperature;

    @Option(names = "--top-k", defaultValue = "0", description = "VQ-VAE: draw only from the K most likely codes;"
            + " 0 = all")
    int topK;

    @Option(names = "--top-p", defaultValue = "1.0", description = "VQ-VAE: draw only from the most likely codes"
            + " that together reach P (default: 1.0 = all)")
    float topP;

    @Option(names = "--seed", description = "seed of the first variation's noise (default: random, and recorded)")
    Long seed;

    @Option(names = "--json", description = "print the works as JSON")
    boolean json;

    @CommandLine.Mixin
    NoveltyOption novelty;

    @Override
    public void run() {
        novelty.within(Main.workspace(spec), spec.commandLine().getErr(), studio -> {
            Workspace ws = studio.workspace();
            long first = seed != null ? seed : new SecureRandom().nextInt(Integer.MAX_VALUE);
            CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
            if (VqVaeGeneration.isVqVae(ws, art.atelier.work.Works.find(studio, work).manifest().model().name())) {
                if (strength != null) {
                    throw new UsageException("--strength is for GAN pictures; a VQ-VAE picture is varied by --region");
                }
                VqVaeGeneration.Region r = region == null ? null : VqVaeGeneration.Region.parse(region);
                Works.print(spec.commandLine().getOut(), VqVaeGeneration.vary(studio, work, count, first, r,
                        new SamplingSettings(temperature, topK, topP, 1f, 1, true)), json);
                return;
            }
            for (String option : new String[] {"--region", "--temperature", "--top-k", "--top-p"}) {
                if (parsed.hasMatchedOption(option)) {
                    throw new UsageException(option + " is for VQ-VAE pictures; a GAN picture is varied by --strength");
                }
            }
            Works.print(spec.commandLine().getOut(), ImageGeneration.vary(studio, work, count, first,
                    strength != null ? strength : 0.3f), json);
        });
    }
}
