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
import art.atelier.nn.Ops;

import java.util.ArrayList;
import java.util.List;

/**
 * The decoder, the encoder mirrored: a 3×3 convolution from the code dimension to {@code hidden},
 * the residual stack, then {@code stages} times nearest-neighbour upsampling by 2 and a 3×3
 * convolution (the width halving; the last one to the picture's channels, with no activation).
 * Input (B, D, g, g); output (B, C, g·f, g·f), near [-1, 1] once trained.
 */
final class Decoder extends AbstractBlock {

    private static final byte VERSION = 1;

    private final VqVaeConfig config;
    private final Layer in; // 3×3, D → hidden
    private final ResidualStack residual;
    private final List<Layer> ups = new ArrayList<>(); // 3×3 after each upsampling

    /** @param config the model's shape */
    Decoder(VqVaeConfig config) {
        super(VERSION);
        this.config = config;
        in = addChildBlock("in", Layer.conv(config.codeDim(), config.hidden(), 3, 1, 1, false, VqVae.INIT));
        residual = addChildBlock("residual", new ResidualStack(config.hidden(), config.residualHidden(),
                config.residualBlocks()));
        int width = config.hidden();
        for (int s = 0; s < config.stages(); s++) {
            int next = s == config.stages() - 1 ? config.channels() : width / 2;
            ups.add(addChildBlock("up" + s, Layer.conv(width, next, 3, 1, 1, false, VqVae.INIT)));
            width = next;
        }
    }

    /**
     * @param ps the parameter store
     * @param z quantized codes, (B, D, g, g)
     * @param training whether this is a training pass
     * @return pictures, (B, C, S, S), unclamped
     */
    NDArray decode(ParameterStore ps, NDArray z, boolean training) {
        NDArray x = residual.apply(ps, in.apply(ps, z, training), training);
        for (int s = 0; s < ups.size(); s++) {
            x = ups.get(s).apply(ps, Ops.upsample2x(x), training);
            if (s < ups.size() - 1) {
                x = Activation.relu(x);
            }
        }
        return x;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(decode(ps, inputs.head(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long b = inputShapes[0].get(0);
        return new Shape[] {new Shape(b, config.channels(), config.size(), config.size())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        in.initialize(manager, dataType, inputShapes);
        residual.initialize(manager, dataType, inputShapes);
        for (Layer l : ups) {
            l.initialize(manager, dataType, inputShapes);
        }
    }
}
