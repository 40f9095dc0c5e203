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
 * The encoder: strided 4×4 convolutions halve the picture {@code stages} times (the width doubling
 * up to {@code hidden}), a 3×3 convolution, the residual stack, and a 1×1 convolution to the code
 * dimension. Input (B, C, S, S) in [-1, 1]; output z_e, (B, D, S/f, S/f).
 */
final class Encoder extends AbstractBlock {

    private static final byte VERSION = 1;

    private final VqVaeConfig config;
    private final List<Layer> downs = new ArrayList<>(); // 4×4 stride 2
    private final Layer mix; // 3×3, hidden → hidden
    private final ResidualStack residual;
    private final Layer out; // 1×1, hidden → D

    /** @param config the model's shape */
    Encoder(VqVaeConfig config) {
        super(VERSION);
        this.config = config;
        int in = config.channels();
        for (int s = 0; s < config.stages(); s++) {
            int width = config.hidden() >> (config.stages() - 1 - s);
            downs.add(addChildBlock("down" + s, Layer.conv(in, width, 4, 2, 1, false, VqVae.INIT)));
            in = width;
        }
        mix = addChildBlock("mix", Layer.conv(config.hidden(), config.hidden(), 3, 1, 1, false, VqVae.INIT));
        residual = addChildBlock("residual", new ResidualStack(config.hidden(), config.residualHidden(),
                config.residualBlocks()));
        out = addChildBlock("out", Layer.conv(config.hidden(), config.codeDim(), 1, 1, 0, false, VqVae.INIT));
    }

    /**
     * @param ps the parameter store
     * @param x pictures, (B, C, S, S)
     * @param training whether this is a training pass
     * @return z_e, (B, D, S/f, S/f)
     */
    NDArray encode(ParameterStore ps, NDArray x, boolean training) {
        for (Layer down : downs) {
            x = Activation.relu(down.apply(ps, x, training));
        }
        x = residual.apply(ps, mix.apply(ps, x, training), training);
        return out.apply(ps, x, training);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(encode(ps, inputs.head(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long b = inputShapes[0].get(0);
        return new Shape[] {new Shape(b, config.codeDim(), config.grid(), config.grid())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (Layer l : downs) {
            l.initialize(manager, dataType, inputShapes);
        }
        mix.initialize(manager, dataType, inputShapes);
        residual.initialize(manager, dataType, inputShapes);
        out.initialize(manager, dataType, inputShapes);
    }
}
