package art.atelier.image.vqvae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

import art.atelier.image.Picture;
import art.atelier.nn.Compute;
import art.atelier.nn.GptSampler;
import art.atelier.nn.SamplingSettings;
import art.atelier.util.Rng;

import java.util.Arrays;

/**
 * Pictures from a trained VQ-VAE: code grids drawn from the prior position by position in raster
 * order (or partly kept, for in-painting), and code grids or points of the code space decoded to
 * pictures, one picture per pass so that its bytes depend on its codes only.
 */
public final class VqVaeSampler {

    private final VqVae vq;
    private final ParameterStore store;
    private final GptSampler prior;

    /**
     * @param vq the trained model
     * @param store its parameter store
     */
    public VqVaeSampler(VqVae vq, ParameterStore store) {
        this.vq = vq;
        this.store = store;
        this.prior = new GptSampler(vq.prior(), store);
    }

    /** @return the model's shape */
    public VqVaeConfig config() {
        return vq.config();
    }

    /**
     * Draws a code grid from the prior. Where {@code keep} is given, the positions it does not mark
     * for resampling take its codes (the prior reads them as context), and only the marked ones are
     * drawn: in-painting, conditioned on every kept code before each drawn one in raster order.
     *
     * @param manager where arrays live
     * @param style the style id, or -1 for an unstyled prior
     * @param settings temperature, top-k and top-p (its length is ignored)
     * @param rng draws the codes (advanced)
     * @param keep a grid to keep codes of, (g·g), or null to draw every position
     * @param resample per position, whether to draw it afresh; null with {@code keep} null
     * @return the grid, (g·g) codes in raster order
     */
    public int[] sample(NDManager manager, int style, SamplingSettings settings, Rng rng, int[] keep,
            boolean[] resample) {
        VqVaeConfig c = vq.config();
        int n = c.grid() * c.grid();
        SamplingSettings s = new SamplingSettings(settings.temperature(), settings.topK(), settings.topP(), 1f, n,
                settings.kvCache());
        boolean[] banned = new boolean[c.codes() + 1];
        banned[c.startToken()] = true;
        boolean[] free = banned.clone();
        int[] position = {0};
        force(banned, free, keep, resample, 0);
        int[] codes = prior.sample(manager, new int[] {c.startToken()}, 0, banned, c.styled() ? style : -1, s, rng,
                token -> {
                    position[0]++;
                    if (position[0] < n) {
                        force(banned, free, keep, resample, position[0]);
                    }
                    return position[0] < n;
                });
        if (codes.length != n) {
            throw new IllegalStateException("the prior drew " + codes.length + " codes for " + n + " positions");
        }
        return codes;
    }

    /** Bans every code but the kept one at a kept position; lifts the ban at a drawn one. */
    private static void force(boolean[] banned, boolean[] free, int[] keep, boolean[] resample, int position) {
        if (keep == null || resample[position]) {
            System.arraycopy(free, 0, banned, 0, free.length);
        } else {
            Arrays.fill(banned, true);
            banned[keep[position]] = false;
        }
    }

    /**
     * @param manager where arrays live
     * @param codes (g·g) codes in raster order
     * @return their picture
     */
    public Picture picture(NDManager manager, int[] codes) {
        return picture(manager, latent(manager, codes));
    }

    /**
     * @param manager where arrays live
     * @param codes (g·g) codes in raster order
     * @return their code vectors as the decoder reads them, (D·g·g) in channel-major order
     */
    public float[] latent(NDManager manager, int[] codes) {
        VqVaeConfig c = vq.config();
        try (NDManager scope = manager.newSubManager()) {
            long[] k = Arrays.stream(codes).asLongStream().toArray();
            return vq.latent(scope.create(k, new Shape(1, c.grid(), c.grid()))).toFloatArray();
        }
    }

    /**
     * @param manager where arrays live
     * @param latent a point of the code space, (D·g·g) in channel-major order: code vectors, or a
     *     blend of them
     * @return its picture
     */
    public Picture picture(NDManager manager, float[] latent) {
        VqVaeConfig c = vq.config();
        Compute.prepareThisThread();
        try (NDManager scope = manager.newSubManager()) {
            NDArray z = scope.create(latent, new Shape(1, c.codeDim(), c.grid(), c.grid()));
            float[] out = vq.decode(store, z, false).toFloatArray();
            return Picture.fromSigned(out, 0, c.channels(), c.size(), c.size());
        }
    }

    /**
     * @param manager where arrays live
     * @param picture a picture of the model's size and channels
     * @return its codes, (g·g) in raster order
     */
    public int[] encode(NDManager manager, Picture picture) {
        VqVaeConfig c = vq.config();
        if (picture.width() != c.size() || picture.height() != c.size() || picture.channels() != c.channels()) {
            throw new IllegalArgumentException("the model reads " + c.size() + "×" + c.size() + " pictures of "
                    + c.channels() + " channels, not " + picture);
        }
        Compute.prepareThisThread();
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = scope.create(picture.toSigned(), new Shape(1, c.channels(), c.size(), c.size()));
            long[] codes = vq.codes(store, x).toLongArray();
            return Arrays.stream(codes).mapToInt(v -> (int) v).toArray();
        }
    }
}
