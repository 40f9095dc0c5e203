package art.atelier.image.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.List;

/**
 * A generator: latent vector (and style) → picture. Split in two so that sampling can work on the
 * first feature map, where the truncation trick pulls pictures towards the average one.
 *
 * <p>Inputs: {@code z (B, latent)} and, for a styled model, {@code styles (B, S)}: style weights
 * (one-hot for one style; a blend for a crossing). Output: {@code (B, channels, size, size)} in [-1, 1].
 */
public abstract class Generator extends AbstractBlock {

    /** The model's shape. */
    protected final GanConfig config;

    /**
     * @param version the block's parameter format
     * @param config the model's shape
     */
    protected Generator(byte version, GanConfig config) {
        super(version);
        this.config = config;
    }

    /** @return the model's shape */
    public GanConfig config() {
        return config;
    }

    /**
     * @param ps the parameter store
     * @param z (B, latent)
     * @param styles (B, S) style weights, or null for an unconditioned model
     * @param training whether this is a training pass
     * @return the first feature map, (B, F, 4, 4)
     */
    public abstract NDArray head(ParameterStore ps, NDArray z, NDArray styles, boolean training);

    /**
     * @param ps the parameter store
     * @param features (B, F, 4, 4) from {@link #head}
     * @param training whether this is a training pass
     * @return pictures, (B, channels, size, size) in [-1, 1]
     */
    public abstract NDArray body(ParameterStore ps, NDArray features, boolean training);

    /**
     * Sets the running statistics of every normalisation layer to the statistics of its input over
     * the given latents, under the current weights (BigGAN's "standing statistics", Brock et al.
     * 2019, appendix C.1): layer by layer, each computed with the earlier layers already normalising
     * by theirs, so the statistics are those of the network as it samples. For weights that no
     * training pass produced, a moving average of the generator's: statistics gathered by the
     * trained generator belong to other weights.
     *
     * @param ps the parameter store
     * @param inputs batches of {z (B, latent), styles (B, S) or null}
     */
    public abstract void standingStatistics(ParameterStore ps, List<NDArray[]> inputs);

    /**
     * @param ps the parameter store
     * @param z (B, latent)
     * @param styles (B, S) style weights, or null
     * @param training whether this is a training pass
     * @return pictures, (B, channels, size, size) in [-1, 1]
     */
    public NDArray generate(ParameterStore ps, NDArray z, NDArray styles, boolean training) {
        return body(ps, head(ps, z, styles, training), training);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(generate(ps, inputs.get(0), inputs.size() > 1 ? inputs.get(1) : null, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), config.channels(), config.size(), config.size())};
    }
}
