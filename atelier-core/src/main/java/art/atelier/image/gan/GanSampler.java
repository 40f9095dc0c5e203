package art.atelier.image.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

import art.atelier.image.Picture;
import art.atelier.util.Rng;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns latent vectors into pictures with a trained generator, one picture per forward pass so that
 * a picture's bytes depend on its latent and settings only, never on what else is drawn with it.
 *
 * <p>The truncation trick (Karras et al. 2019, StyleGAN §5.2; after Brock et al. 2019) is applied to
 * the generator's first feature map f: f ← f̄ + ψ·(f − f̄), where f̄ is the average feature map of
 * 512 latents drawn from a fixed seed (per style blend). ψ = 1 leaves pictures as drawn; smaller ψ
 * trades variety for typicality.
 */
public final class GanSampler {

    private static final int MEAN_SAMPLES = 512;
    private static final long MEAN_SEED = 0x7E57AB1EL;

    private final Generator generator;
    private final ParameterStore store;
    private final Map<String, float[]> means = new HashMap<>(); // style blend → f̄, flattened

    /**
     * @param generator a trained generator (the moving average, where the family keeps one)
     * @param store its parameter store
     */
    public GanSampler(Generator generator, ParameterStore store) {
        this.generator = generator;
        this.store = store;
    }

    /** @return the generator's shape */
    public GanConfig config() {
        return generator.config();
    }

    /**
     * @param rng the draws
     * @param latent the vector's length
     * @return a standard normal latent vector
     */
    public static float[] gaussian(Rng rng, int latent) {
        float[] z = new float[latent];
        for (int i = 0; i < latent; i++) {
            z[i] = (float) rng.nextGaussian();
        }
        return z;
    }

    /**
     * @param styles style count
     * @param id a style id
     * @return its one-hot weights
     */
    public static float[] oneHot(int styles, int id) {
        float[] w = new float[styles];
        w[id] = 1f;
        return w;
    }

    /**
     * @param manager where temporary arrays live (closed by the caller)
     * @param z the latent, (latent)
     * @param styleWeights style weights, (S), or null for an unconditioned model
     * @param psi truncation, in (0, 1]
     * @return the picture
     */
    public Picture draw(NDManager manager, float[] z, float[] styleWeights, float psi) {
        GanConfig c = generator.config();
        if (z.length != c.latent()) {
            throw new IllegalArgumentException("the latent has " + z.length + " values; the model takes " + c.latent());
        }
        try (NDManager scope = manager.newSubManager()) {
            NDArray styles = styleArray(scope, styleWeights, 1);
            NDArray f = generator.head(store, scope.create(z, new Shape(1, c.latent())), styles, false);
            if (psi != 1f) {
                NDArray mean = scope.create(mean(scope, styleWeights), f.getShape());
                f = mean.add(f.sub(mean).mul(scope.create(psi)));
            }
            float[] out = generator.body(store, f, false).toFloatArray();
            return Picture.fromSigned(out, 0, c.channels(), c.size(), c.size());
        }
    }

    private NDArray styleArray(NDManager scope, float[] styleWeights, int batch) {
        GanConfig c = generator.config();
        if (c.styles() == 0) {
            return null;
        }
        if (styleWeights == null || styleWeights.length != c.styles()) {
            throw new IllegalArgumentException("this model is conditioned on " + c.styles() + " styles: give their weights");
        }
        float[] tiled = new float[batch * c.styles()];
        for (int i = 0; i < batch; i++) {
            System.arraycopy(styleWeights, 0, tiled, i * c.styles(), c.styles());
        }
        return scope.create(tiled, new Shape(batch, c.styles()));
    }

    private float[] mean(NDManager scope, float[] styleWeights) {
        String key = styleWeights == null ? "" : Arrays.toString(styleWeights);
        float[] cached = means.get(key);
        if (cached != null) {
            return cached;
        }
        GanConfig c = generator.config();
        Rng rng = new Rng(MEAN_SEED);
        float[] zs = new float[MEAN_SAMPLES * c.latent()];
        for (int i = 0; i < zs.length; i++) {
            zs[i] = (float) rng.nextGaussian();
        }
        try (NDManager s = scope.newSubManager()) {
            NDArray f = generator.head(store, s.create(zs, new Shape(MEAN_SAMPLES, c.latent())),
                    styleArray(s, styleWeights, MEAN_SAMPLES), false);
            float[] mean = f.mean(new int[] {0}).toFloatArray();
            means.put(key, mean);
            return mean;
        }
    }
}
