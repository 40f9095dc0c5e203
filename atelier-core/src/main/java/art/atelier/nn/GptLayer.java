package art.atelier.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One pre-LayerNorm transformer block: {@code x + attn(ln1(x))}, then {@code x + mlp(ln2(x))}.
 * LayerNorm, not DJL's BatchNorm-based encoder block: normalised over the width axis only.
 */
public final class GptLayer extends AbstractBlock {

    private final GptConfig config;
    private final LayerNorm norm1; // gain (C) [, bias (C)]
    private final CausalSelfAttention attention;
    private final LayerNorm norm2; // gain (C) [, bias (C)]
    private final Mlp mlp;

    /** @param config the model's shape */
    public GptLayer(GptConfig config) {
        this.config = config;
        this.norm1 = addChildBlock("ln1", layerNorm(config));
        this.attention = addChildBlock("attn", new CausalSelfAttention(config));
        this.norm2 = addChildBlock("ln2", layerNorm(config));
        this.mlp = addChildBlock("mlp", new Mlp(config));
    }

    static LayerNorm layerNorm(GptConfig config) {
        return LayerNorm.builder().axis(2).optCenter(config.bias()).optEpsilon(1e-5f).build();
    }

    LayerNorm norm1() {
        return norm1;
    }

    LayerNorm norm2() {
        return norm2;
    }

    CausalSelfAttention attention() {
        return attention;
    }

    Mlp mlp() {
        return mlp;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.get(0), inputs.get(1), null, training));
    }

    /**
     * @param ps the parameter store
     * @param x the residual stream, (B, T, C)
     * @param mask the additive causal mask, (T, S), or null for a single decoded token
     * @param cache this layer's cached keys and values, or null
     * @param training whether dropout applies
     * @return the residual stream after this block, (B, T, C)
     */
    NDArray forward(ParameterStore ps, NDArray x, NDArray mask, KvCache.Layer cache, boolean training) {
        NDArray a = attention.attend(ps, norm1.forward(ps, new NDList(x), training).head(), mask, cache, training);
        x = x.add(Gpt.dropout(a, config, training));
        NDArray m = mlp.forward(ps, norm2.forward(ps, new NDList(x), training), training).head();
        return x.add(Gpt.dropout(m, config, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        norm1.initialize(manager, dataType, x);
        attention.initialize(manager, dataType, x);
        norm2.initialize(manager, dataType, x);
        mlp.initialize(manager, dataType, x);
    }
}
