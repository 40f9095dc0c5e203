package art.atelier.image.vqvae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import art.atelier.nn.Layer;

import java.util.ArrayList;
import java.util.List;

/**
 * Residual blocks at one resolution, then a ReLU (van den Oord et al. 2017, §4.1): each block adds
 * conv1×1(ReLU(conv3×3(ReLU(x)))) to its input, keeping the width.
 */
final class ResidualStack extends AbstractBlock {

    private static final byte VERSION = 1;

    private final List<Layer> wide = new ArrayList<>(); // 3×3, width → residual width
    private final List<Layer> narrow = new ArrayList<>(); // 1×1, residual width → width

    /**
     * @param width the feature maps in and out
     * @param residualWidth the feature maps inside a block
     * @param blocks how many blocks
     */
    ResidualStack(int width, int residualWidth, int blocks) {
        super(VERSION);
        for (int i = 0; i < blocks; i++) {
            wide.add(addChildBlock("res" + i + "a", Layer.conv(width, residualWidth, 3, 1, 1, false, VqVae.INIT)));
            narrow.add(addChildBlock("res" + i + "b", Layer.conv(residualWidth, width, 1, 1, 0, false, VqVae.INIT)));
        }
    }

    /**
     * @param ps the parameter store
     * @param x (B, width, H, W)
     * @param training whether this is a training pass
     * @return (B, width, H, W)
     */
    NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        for (int i = 0; i < wide.size(); i++) {
            NDArray h = wide.get(i).apply(ps, Activation.relu(x), training);
            x = x.add(narrow.get(i).apply(ps, Activation.relu(h), training));
        }
        return Activation.relu(x);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.head(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (int i = 0; i < wide.size(); i++) {
            wide.get(i).initialize(manager, dataType, inputShapes);
            narrow.get(i).initialize(manager, dataType, inputShapes);
        }
    }
}
