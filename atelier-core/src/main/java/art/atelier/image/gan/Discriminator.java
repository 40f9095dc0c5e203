package art.atelier.image.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A discriminator: picture (and style) → a real number, high for pictures it takes for the
 * corpus's. Inputs: {@code x (B, channels, size, size)} and, for a styled model, {@code styles (B)}
 * as int64 ids. Output: {@code (B)} logits.
 */
public abstract class Discriminator extends AbstractBlock {

    /** The model's shape. */
    protected final GanConfig config;

    /**
     * @param version the block's parameter format
     * @param config the model's shape
     */
    protected Discriminator(byte version, GanConfig config) {
        super(version);
        this.config = config;
    }

    /**
     * @param ps the parameter store
     * @param x (B, channels, size, size)
     * @param styles (B) int64 style ids, or null for an unconditioned model
     * @param training whether this is a training pass
     * @return (B) scores
     */
    public abstract NDArray score(ParameterStore ps, NDArray x, NDArray styles, boolean training);

    /**
     * Whether the real and generated halves of a step may share one forward pass. A discriminator with
     * batch statistics (BatchNorm) must see them apart, as in the DCGAN paper.
     *
     * @return true when one pass over both is the same as two
     */
    public abstract boolean batchIndependent();

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(score(ps, inputs.get(0), inputs.size() > 1 ? inputs.get(1) : null, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0))};
    }
}
