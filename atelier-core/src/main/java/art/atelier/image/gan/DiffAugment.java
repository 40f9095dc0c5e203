package art.atelier.image.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

import art.atelier.util.Rng;

import java.util.List;

/**
 * Differentiable augmentation (Zhao et al. 2020, "Differentiable Augmentation for Data-Efficient
 * GAN Training"): every picture the discriminator sees, real or generated, in both players' steps,
 * is randomly recoloured, shifted and partly blanked, and the gradient flows through the
 * augmentation back to the generator. The discriminator cannot memorise a small corpus, and since
 * the generator is judged on augmented pictures too, the augmentations do not leak into what it
 * draws.
 *
 * <ul>
 *   <li>color: brightness ± 0.5, saturation × [0, 2], contrast × [0.5, 1.5], per picture, on the
 *       colour channels (alpha is left alone);
 *   <li>translation: a shift of up to 1/8 of the size in each direction, zeros filling in;
 *   <li>cutout: a square of half the size, anywhere, set to zero.
 * </ul>
 * Each policy applies to each picture with a probability p: 1 as Zhao et al. publish it, or the
 * probability adaptive augmentation sets (see {@link GanTask}); a picture a policy skips passes
 * unchanged. All draws come from a Java {@link Rng}, so that training is reproducible and resumable
 * exactly.
 * Translation and cutout together are one gather from the picture with a zero appended.
 */
final class DiffAugment {

    private DiffAugment() {}

    /**
     * @param x (B, C, S, S) pictures in [-1, 1]
     * @param policies "color", "translation", "cutout"
     * @param p the probability of each policy for each picture: 1 for DiffAugment's always, less for
     *     adaptive augmentation; 0 leaves the pictures alone
     * @param rng the draws
     * @param scope the step's manager: the random arrays must live until the backward pass
     * @return the augmented pictures
     */
    static NDArray apply(NDArray x, List<String> policies, double p, Rng rng, NDManager scope) {
        if (p <= 0) {
            return x;
        }
        if (policies.contains("color")) {
            x = color(x, p, rng, scope);
        }
        boolean translate = policies.contains("translation");
        boolean cutout = policies.contains("cutout");
        if (translate || cutout) {
            x = move(x, translate, cutout, p, rng, scope);
        }
        return x;
    }

    /** @return whether a policy applies to the next picture: always at p = 1 (drawing nothing) */
    private static boolean applies(double p, Rng rng) {
        return p >= 1 || rng.nextDouble() < p;
    }

    private static NDArray color(NDArray x, double p, Rng rng, NDManager scope) {
        Shape s = x.getShape();
        int b = (int) s.get(0);
        int c = (int) s.get(1);
        int colours = Math.min(3, c);
        NDArray rgb = c == colours ? x : x.get(new NDIndex(":, 0:" + colours));
        boolean[] on = new boolean[b];
        for (int i = 0; i < b; i++) {
            on[i] = applies(p, rng);
        }
        rgb = rgb.add(uniform(rng, on, -0.5f, 0.5f, 0f, scope));
        if (colours == 3) {
            NDArray mean = rgb.mean(new int[] {1}, true);
            rgb = rgb.sub(mean).mul(uniform(rng, on, 0f, 2f, 1f, scope)).add(mean);
        }
        // the engine reduces one axis at a time; means of equal-sized groups compose exactly
        NDArray mean = rgb.mean(new int[] {3}, true).mean(new int[] {2}, true).mean(new int[] {1}, true);
        rgb = rgb.sub(mean).mul(uniform(rng, on, 0.5f, 1.5f, 1f, scope)).add(mean);
        return c == colours ? rgb : NDArrays.concat(new NDList(rgb, x.get(new NDIndex(":, " + colours + ":"))), 1);
    }

    /** (B, 1, 1, 1) values uniform in [lo, hi), one per picture; {@code identity} where it is off. */
    private static NDArray uniform(Rng rng, boolean[] on, float lo, float hi, float identity, NDManager scope) {
        float[] v = new float[on.length];
        for (int i = 0; i < on.length; i++) {
            v[i] = on[i] ? (float) (lo + (hi - lo) * rng.nextDouble()) : identity;
        }
        return scope.create(v, new Shape(on.length, 1, 1, 1));
    }

    private static NDArray move(NDArray x, boolean translate, boolean cutout, double p, Rng rng, NDManager scope) {
        Shape s = x.getShape();
        int b = (int) s.get(0);
        int c = (int) s.get(1);
        int h = (int) s.get(2);
        int w = (int) s.get(3);
        int plane = h * w;
        int maxShift = (int) (h * 0.125 + 0.5);
        int cut = (int) (h * 0.5 + 0.5);
        long[] index = new long[b * plane]; // per picture and output pixel: the source pixel, or `plane` (zero)
        for (int i = 0; i < b; i++) {
            boolean shifted = translate && applies(p, rng);
            int dy = shifted ? rng.nextInt(2 * maxShift + 1) - maxShift : 0;
            int dx = shifted ? rng.nextInt(2 * maxShift + 1) - maxShift : 0;
            boolean blanked = cutout && applies(p, rng);
            int cy = blanked ? rng.nextInt(h + 1 - cut % 2) - cut / 2 : Integer.MIN_VALUE / 2;
            int cx = blanked ? rng.nextInt(w + 1 - cut % 2) - cut / 2 : Integer.MIN_VALUE / 2;
            for (int y = 0; y < h; y++) {
                for (int xx = 0; xx < w; xx++) {
                    int sy = y + dy;
                    int sx = xx + dx;
                    boolean blank = sy < 0 || sy >= h || sx < 0 || sx >= w
                            || (y >= cy && y < cy + cut && xx >= cx && xx < cx + cut);
                    index[i * plane + y * w + xx] = blank ? plane : (long) sy * w + sx;
                }
            }
        }
        NDArray idx = scope.create(index, new Shape(b, 1, plane)).broadcast(new Shape(b, c, plane));
        NDArray flat = NDArrays.concat(new NDList(x.reshape(b, c, plane), scope.zeros(new Shape(b, c, 1))), 2);
        return flat.gather(idx, 2).reshape(b, c, h, w);
    }
}
