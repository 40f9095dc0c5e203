package art.atelier.cli;

import art.atelier.image.VqVaeGeneration;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** {@code atelier reconstruct NAME PICTURE}: a picture through a VQ-VAE's codebook and back. */
@Command(name = "reconstruct", description = "Encode a picture into a VQ-VAE's codes and decode it again: what"
        + " its vocabulary of visual pieces can say of the picture.", sortOptions = false)
final class ReconstructCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "the VQ-VAE model")
    String name;

    @Parameters(index = "1", paramLabel = "PICTURE", description = "a PNG, JPEG, GIF or BMP file (brought to the"
            + " model's size as its corpus was)")
    Path picture;

    @Option(names = "--json", description = "print the work as JSON")
    boolean json;

    @CommandLine.Mixin
    NoveltyOption novelty;

    @Override
    public void run() {
        novelty.within(Main.workspace(spec), spec.commandLine().getErr(), studio -> {
            VqVaeGeneration.Reconstruction r = VqVaeGeneration.reconstruct(studio, name, picture);
            if (json) {
                Works.print(spec.commandLine().getOut(), List.of(r.made()), true);
            } else {
                spec.commandLine().getOut().printf(Locale.ROOT, "%s -> %s (PSNR %.2f dB, MSE %.5f)%n",
                        r.made().saved().id(), r.made().saved().file(), r.psnr(), r.mse());
                spec.commandLine().getOut().flush();
            }
        });
    }
}
