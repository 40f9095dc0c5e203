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

/**
 * Multi-head causal self-attention (Vaswani et al. 2017, as in GPT-2): one projection makes queries,
 * keys and values for every head; each position attends to itself and the positions before it.
 *
 * <p>Input {@code x (B, T, C)} and an additive mask {@code (T, S)} (0 where a query may look, −∞
 * where it may not; S = T in training, S = cached + T when decoding). With a {@link KvCache.Layer}
 * the new keys and values are appended to the cache and attention runs over all of them.
 */
public final class CausalSelfAttention extends AbstractBlock {

    private final GptConfig config;
    private final Linear qkv; // (3C, C): queries, keys and values for all heads
    private final Linear proj; // (C, C): heads back to the residual stream

    /** @param config the model's shape */
    public CausalSelfAttention(GptConfig config) {
        this.config = config;
        this.qkv = addChildBlock("qkv", Linear.builder().setUnits(3L * config.width()).optBias(config.bias()).build());
        this.proj = addChildBlock("proj", Linear.builder().setUnits(config.width()).optBias(config.bias()).build());
    }

    /** @return the query/key/value projection */
    Linear inputProjection() {
        return qkv;
    }

    /** @return the output projection, whose weights get GPT-2's depth-scaled initialisation */
    Linear outputProjection() {
        return proj;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(attend(ps, inputs.get(0), inputs.get(1), null, training));
    }

    /**
     * @param ps the parameter store
     * @param x the normalised residual stream, (B, T, C)
     * @param mask the additive causal mask, (T, S); null when T = 1 (a single new token sees all)
     * @param cache this layer's keys and values so far, or null in training
     * @param training whether dropout applies
     * @return the attention output, (B, T, C)
     */
    NDArray attend(ParameterStore ps, NDArray x, NDArray mask, KvCache.Layer cache, boolean training) {
        long b = x.getShape().get(0);
        long t = x.getShape().get(1);
        int h = config.heads();
        int hs = config.headSize();
        // (B, T, 3C) -> (B, T, 3, H, hs) -> (3, B, H, T, hs) -> one contiguous (3·B·H, T, hs), split in three,
        // so that the batched products below and the split's backward work on contiguous memory
        NDList parts = qkv.forward(ps, new NDList(x), training).head()
                .reshape(b, t, 3, h, hs)
                .transpose(2, 0, 3, 1, 4)
                .reshape(3 * b * h, t, hs)
                .split(3, 0);
        NDArray q = parts.get(0); // (B·H, T, hs)
        NDArray k = parts.get(1); // (B·H, T, hs)
        NDArray v = parts.get(2); // (B·H, T, hs)
        if (cache != null) {
            k = cache.appendKeys(k); // (B·H, S, hs)
            v = cache.appendValues(v); // (B·H, S, hs)
        }
        // The scale is a tensor of the step's own manager, not mul(Number): DJL makes tensors from Java
        // numbers over Java-owned memory and mul(Number) frees it at once, while autograd keeps it for
        // the backward pass (a use-after-free that made two runs of one seed differ).
        NDArray scale = x.getManager().create((float) (1.0 / Math.sqrt(hs)));
        NDArray att = q.mul(scale).batchMatMul(k.swapAxes(1, 2)); // (B·H, T, S)
        if (mask != null) {
            att = att.add(mask);
        }
        att = Gpt.dropout(att.softmax(2), config, training);
        NDArray y = att.batchMatMul(v) // (B·H, T, hs)
                .reshape(b, h, t, hs)
                .transpose(0, 2, 1, 3) // (B, T, H, hs)
                .reshape(b, t, config.width()); // (B, T, C)
        return proj.forward(ps, new NDList(y), training).head();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        qkv.initialize(manager, dataType, x);
        proj.initialize(manager, dataType, x);
    }
}
