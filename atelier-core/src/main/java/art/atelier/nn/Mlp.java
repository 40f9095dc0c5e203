package art.atelier.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** The position-wise feed-forward network: C → 4C, exact GELU, 4C → C. */
public final class Mlp extends AbstractBlock {

    private final Linear fc; // (4C, C)
    private final Linear proj; // (C, 4C)

    /** @param config the model's shape */
    public Mlp(GptConfig config) {
        this.fc = addChildBlock("fc", Linear.builder().setUnits(4L * config.width()).optBias(config.bias()).build());
        this.proj = addChildBlock("proj", Linear.builder().setUnits(config.width()).optBias(config.bias()).build());
    }

    /** @return the widening projection */
    Linear inputProjection() {
        return fc;
    }

    /** @return the output projection, whose weights get GPT-2's depth-scaled initialisation */
    Linear outputProjection() {
        return proj;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray hidden = fc.forward(ps, inputs, training).head().getNDArrayInternal().gelu();
        return proj.forward(ps, new NDList(hidden), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        fc.initialize(manager, dataType, inputShapes[0]);
        proj.initialize(manager, dataType, fc.getOutputShapes(inputShapes)[0]);
    }
}
