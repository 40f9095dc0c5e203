package art.atelier.image.gan;

import art.atelier.UsageException;

import java.util.List;
import java.util.Locale;

/**
 * A GAN's shape and objective. Immutable; saved in every checkpoint's {@code model.json}.
 *
 * @param family "dcgan" (the baseline of Radford et al. 2016) or "atelier" (the data-efficient default)
 * @param size pictures are size×size pixels; a power of two from 8 to 256
 * @param channels 1 (grey), 3 (RGB) or 4 (RGBA)
 * @param latent the latent vector's length (nz)
 * @param generatorWidth the generator's feature maps at half resolution (DCGAN's ngf); they double
 *     at every further halving of resolution, up to {@code maxWidth}
 * @param discriminatorWidth the discriminator's feature maps at half resolution (DCGAN's ndf),
 *     doubling likewise
 * @param maxWidth the cap on feature maps at any resolution
 * @param styles style labels the model is conditioned on, 0 for an unconditioned model
 * @param augment DiffAugment policies applied to every picture the discriminator sees, real or
 *     generated: any of "color", "translation", "cutout"; empty for none
 * @param augmentTarget 0 to augment every picture (DiffAugment as published); above 0, adaptive
 *     augmentation (Karras et al. 2020): each policy applies to a picture with a probability p that
 *     starts at 0 and is raised while the discriminator's overfitting signal E[sign D(real)] is above
 *     this target (their 0.6), lowered while below
 * @param emaHalfLife the half-life, in pictures shown, of the moving average of the generator's
 *     weights used for sampling (StyleGAN's 10k images); 0 to sample from the trained weights
 * @param discriminatorNorm how the discriminator's layers are normalised: "batch" (BatchNorm after
 *     every convolution but the first: DCGAN), "spectral" (every layer spectrally normalised, no
 *     BatchNorm: atelier models made before 2026-12-06), or "spectral+batch" (both: atelier, as
 *     FastGAN's discriminator); a card without it (older) reads as its family's recipe of then
 */
public record GanConfig(
        String family,
        int size,
        int channels,
        int latent,
        int generatorWidth,
        int discriminatorWidth,
        int maxWidth,
        int styles,
        List<String> augment,
        double augmentTarget,
        int emaHalfLife,
        String discriminatorNorm) {

    /** The baseline family. */
    public static final String DCGAN = "dcgan";
    /** The default family. */
    public static final String ATELIER = "atelier";
    private static final List<String> POLICIES = List.of("color", "translation", "cutout");
    /** The discriminator's normalisations. */
    public static final String BATCH = "batch";
    /** Spectral normalisation alone. */
    public static final String SPECTRAL = "spectral";
    /** Spectral normalisation, then BatchNorm. */
    public static final String SPECTRAL_BATCH = "spectral+batch";

    /** Checks every field; a bad value is a usage error naming it. */
    public GanConfig {
        if (!DCGAN.equals(family) && !ATELIER.equals(family)) {
            throw new UsageException("unknown model '" + family + "'; choose atelier or dcgan");
        }
        if (size < 8 || size > 256 || Integer.bitCount(size) != 1) {
            throw new UsageException("size must be a power of two from 8 to 256 (32, 64, 128, 256), was " + size);
        }
        if (channels != 1 && channels != 3 && channels != 4) {
            throw new UsageException("channels must be 1, 3 or 4, was " + channels);
        }
        if (latent < 1 || generatorWidth < 1 || discriminatorWidth < 1 || maxWidth < 1) {
            throw new UsageException("latent size and widths must be positive");
        }
        if (styles < 0) {
            throw new UsageException("styles must not be negative");
        }
        augment = List.copyOf(augment);
        for (String a : augment) {
            if (!POLICIES.contains(a)) {
                throw new UsageException("unknown augmentation '" + a + "'; choose from " + POLICIES);
            }
        }
        if (!(augmentTarget >= 0 && augmentTarget < 1)) {
            throw new UsageException("the adaptive augmentation target must be in [0, 1), was " + augmentTarget);
        }
        if (emaHalfLife < 0) {
            throw new UsageException("the EMA half-life must not be negative");
        }
        if (discriminatorNorm == null) { // a card written before the field: the recipe of its time
            discriminatorNorm = DCGAN.equals(family) ? BATCH : SPECTRAL;
        }
        if (!List.of(BATCH, SPECTRAL, SPECTRAL_BATCH).contains(discriminatorNorm)) {
            throw new UsageException("unknown discriminator normalisation '" + discriminatorNorm + "'");
        }
    }

    /** @return whether the discriminator's layers are spectrally normalised */
    public boolean spectral() {
        return discriminatorNorm.startsWith(SPECTRAL);
    }

    /** @return whether the discriminator has BatchNorm after every convolution but the first */
    public boolean discriminatorBatchNorm() {
        return discriminatorNorm.endsWith(BATCH);
    }

    /**
     * The recipe of a family at a size.
     *
     * @param family "dcgan" or "atelier"
     * @param size picture size
     * @param channels picture channels
     * @param styles style labels (ignored by dcgan, which is unconditioned as in the paper)
     * @return the config
     */
    public static GanConfig of(String family, int size, int channels, int styles) {
        String f = family.toLowerCase(Locale.ROOT);
        return switch (f) {
            // nz 100, ngf = ndf = 64, BCE (Radford et al. 2016, as in PyTorch's DCGAN example)
            case DCGAN -> new GanConfig(DCGAN, size, channels, 100, 64, 64, 512, 0, List.of(), 0, 0, BATCH);
            // DCGAN's networks; the discriminator spectrally normalised too; adaptive DiffAugment; a moving average
            case ATELIER -> new GanConfig(ATELIER, size, channels, 100, 64, 64, 512, styles,
                    List.of("color", "translation", "cutout"), 0.6, 10_000, SPECTRAL_BATCH);
            default -> throw new UsageException("unknown model '" + family + "'; choose atelier or dcgan");
        };
    }

    /** @return upsampling (and downsampling) stages between 4×4 and size×size */
    public int stages() {
        return Integer.numberOfTrailingZeros(size) - 2;
    }

    /**
     * @param base the width at half resolution
     * @param resolution a resolution between 4 and size
     * @return the feature maps at that resolution: base at size/2, doubling as resolution halves
     */
    public int width(int base, int resolution) {
        return (int) Math.max(1, Math.min(maxWidth, (long) base * size / (2L * resolution)));
    }
}
