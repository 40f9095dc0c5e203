package art.atelier.image.vqvae;

import art.atelier.UsageException;
import art.atelier.nn.GptConfig;

import java.util.Locale;

/**
 * A VQ-VAE's shape, its quantizer's dynamics and its prior. Immutable; saved in every checkpoint's
 * {@code model.json}.
 *
 * @param preset "standard" or "tiny" (for tests and the demo)
 * @param size pictures are size×size pixels; a power of two from 16 to 256
 * @param channels 1 (grey), 3 (RGB) or 4 (RGBA)
 * @param hidden feature maps at the code grid's resolution; they halve at every doubling of
 *     resolution towards the picture
 * @param residualHidden feature maps inside a residual block (its 3×3 convolution's outputs)
 * @param residualBlocks residual blocks in the encoder, and again in the decoder
 * @param downsample the picture's side over the code grid's side: 4 or 8
 * @param codes K, the codebook's size
 * @param codeDim D, the length of a code vector
 * @param commitment β, the weight of the commitment loss ‖z_e − sg(e)‖²
 * @param decay the codebook's exponential moving average decay, per step
 * @param deadCodeThreshold a code whose moving-average count of uses per batch falls below this is
 *     moved onto an encoder output of the batch
 * @param kmeansInit whether the codebook starts as k-means centroids of the first batch's encoder
 *     outputs (else as randomly chosen outputs)
 * @param prior the transformer over the code grid: vocabulary K + 1 (the start token is K), context
 *     the grid's positions
 */
public record VqVaeConfig(
        String preset,
        int size,
        int channels,
        int hidden,
        int residualHidden,
        int residualBlocks,
        int downsample,
        int codes,
        int codeDim,
        float commitment,
        float decay,
        float deadCodeThreshold,
        boolean kmeansInit,
        GptConfig prior) {

    /** The family's name in cards and on the command line. */
    public static final String FAMILY = "vqvae";
    /** The default preset. */
    public static final String STANDARD = "standard";
    /** The preset for tests and the demo: trains in seconds. */
    public static final String TINY = "tiny";

    /** Checks every field; a bad value is a usage error naming it. */
    public VqVaeConfig {
        if (!STANDARD.equals(preset) && !TINY.equals(preset)) {
            throw new UsageException("unknown VQ-VAE preset '" + preset + "'; choose standard or tiny");
        }
        if (size < 16 || size > 256 || Integer.bitCount(size) != 1) {
            throw new UsageException("size must be a power of two from 16 to 256, was " + size);
        }
        if (channels != 1 && channels != 3 && channels != 4) {
            throw new UsageException("channels must be 1, 3 or 4, was " + channels);
        }
        if (downsample != 4 && downsample != 8) {
            throw new UsageException("--downsample must be 4 or 8, was " + downsample);
        }
        if (size / downsample < 2) {
            throw new UsageException("pictures of " + size + " pixels are too small to downsample by " + downsample);
        }
        if (hidden < 4 || hidden % (downsample / 2) != 0 || residualHidden < 1 || residualBlocks < 0) {
            throw new UsageException("widths must be positive (and the hidden width divisible by " + downsample / 2
                    + ")");
        }
        if (codes < 2 || codes > 65_536) {
            throw new UsageException("--codes must be from 2 to 65536, was " + codes);
        }
        if (codeDim < 1) {
            throw new UsageException("--code-dim must be positive, was " + codeDim);
        }
        if (!(commitment >= 0) || !(decay > 0 && decay < 1) || !(deadCodeThreshold >= 0)) {
            throw new UsageException("the commitment weight and dead-code threshold must not be negative, the"
                    + " decay must be in (0, 1)");
        }
        int cells = (size / downsample) * (size / downsample); // fields are not yet assigned here
        if (prior.vocabSize() != codes + 1 || prior.contextLength() != cells) {
            throw new UsageException("the prior must read " + (codes + 1) + " tokens over " + cells + " positions");
        }
    }

    /**
     * A preset at a size.
     *
     * @param preset "standard" or "tiny"
     * @param size picture size
     * @param channels picture channels
     * @param styles style labels in the corpus (the prior is conditioned on them when there are two or more)
     * @param codes K, or null for the preset's (512 standard, 32 tiny)
     * @param downsample 4 or 8, or null for the preset's (4 up to 64 pixels, 8 above)
     * @return the config
     */
    public static VqVaeConfig of(String preset, int size, int channels, int styles, Integer codes, Integer downsample) {
        String p = preset == null ? STANDARD : preset.toLowerCase(Locale.ROOT);
        int f = downsample != null ? downsample : size <= 64 ? 4 : 8;
        int grid = size / Math.max(1, f);
        int s = styles > 1 ? styles : 0;
        return switch (p) {
            // van den Oord et al. 2017's picture model (Sonnet's example: 128 hidden, 2 residual
            // blocks), a 512-code book of 64-dimensional codes, and a small GPT prior
            case STANDARD -> {
                int k = codes != null ? codes : 512;
                yield new VqVaeConfig(STANDARD, size, channels, 128, 64, 2, f, k, 64, 0.25f, 0.99f, 1f, true,
                        new GptConfig(k + 1, grid * grid, 4, 4, 128, 0.1f, false, s));
            }
            case TINY -> {
                int k = codes != null ? codes : 32;
                yield new VqVaeConfig(TINY, size, channels, 32, 16, 1, f, k, 16, 0.25f, 0.99f, 1f, true,
                        new GptConfig(k + 1, grid * grid, 2, 2, 32, 0f, false, s));
            }
            default -> throw new UsageException("unknown VQ-VAE preset '" + preset + "'; choose standard or tiny");
        };
    }

    /**
     * @param kmeans whether the codebook starts as k-means centroids
     * @return this config with that start
     */
    public VqVaeConfig withKmeansInit(boolean kmeans) {
        return new VqVaeConfig(preset, size, channels, hidden, residualHidden, residualBlocks, downsample, codes, codeDim,
                commitment, decay, deadCodeThreshold, kmeans, prior);
    }

    /** @return the code grid's side: size / downsample */
    public int grid() {
        return size / downsample;
    }

    /** @return resolution halvings between the picture and the code grid */
    public int stages() {
        return Integer.numberOfTrailingZeros(downsample);
    }

    /** @return the prior's start token, which precedes the first code of every grid */
    public int startToken() {
        return codes;
    }

    /** @return whether the prior is conditioned on style */
    public boolean styled() {
        return prior.styles() > 0;
    }
}
