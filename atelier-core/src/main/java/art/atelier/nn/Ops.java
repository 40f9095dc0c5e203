package art.atelier.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * The few tensor operations the picture networks (GAN, VQ-VAE) share.
 */
public final class Ops {

    private Ops() {}

    /** Largest upsampled output, in values, made in one call (see {@link #upsample2x}). */
    private static final long UPSAMPLE_CHUNK = 1L << 22;

    /**
     * Nearest-neighbour upsampling by 2 (each pixel becomes a 2×2 block), the first half of the
     * "resize-convolution" that replaces a transposed convolution (Odena et al. 2016).
     *
     * <p>libtorch 2.7's upsampling (forward and backward together) slows down three- to four-fold
     * per value once an output passes a few million values (64 pictures of 64 channels at 64×64 take
     * 210 ms where 16 of them take 16 ms), so a large batch is upsampled in slices of at most
     * 2²² output values and joined again.
     *
     * @param x (B, C, H, W)
     * @return (B, C, 2H, 2W)
     */
    public static NDArray upsample2x(NDArray x) {
        Shape s = x.getShape();
        long[] size = {s.get(2) * 2, s.get(3) * 2};
        long perPicture = s.get(1) * size[0] * size[1];
        int slices = (int) Math.min(s.get(0), (s.get(0) * perPicture + UPSAMPLE_CHUNK - 1) / UPSAMPLE_CHUNK);
        if (slices <= 1) {
            return x.getNDArrayInternal().interpolation(size, 0, false);
        }
        NDList parts = new NDList(slices);
        long per = (s.get(0) + slices - 1) / slices;
        for (long from = 0; from < s.get(0); from += per) {
            NDArray part = x.get(new NDIndex().addSliceDim(from, Math.min(s.get(0), from + per)));
            parts.add(part.getNDArrayInternal().interpolation(size, 0, false));
        }
        return NDArrays.concat(parts, 0);
    }

    /**
     * @param x any
     * @return max(x, 0.2·x)
     */
    public static NDArray leakyRelu(NDArray x) {
        return x.getNDArrayInternal().leakyRelu(0.2f);
    }

    /**
     * log(1 + exp(x)), computed stably as max(x, 0) + log(1 + exp(-|x|)).
     *
     * @param x any
     * @return softplus(x)
     */
    public static NDArray softplus(NDArray x) {
        return x.getNDArrayInternal().softPlus();
    }
}
