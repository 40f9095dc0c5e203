package art.atelier.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A GPT decoder (Radford et al. 2018/2019; the nanoGPT arrangement): token and position embeddings,
 * an optional style embedding, pre-LayerNorm transformer blocks, a final LayerNorm, and an output
 * layer that reuses the token embedding (tied weights). Shared by the text and music media and the
 * VQ-VAE prior.
 *
 * <p>Inputs: {@code tokens (B, T)} as int64 and, for a styled model, {@code styles (B)} as int64.
 * Output: {@code logits (B, T, V)}. {@link #decode} runs the same network one step at a time over a
 * {@link KvCache}.
 *
 * <p>Initialisation is scaled to the width C, as in GPT-NeoX: every weight, the embeddings included,
 * N(0, √(2/(5C))) ("small init", Nguyen and Salazar 2019), and the two projections that write into
 * the residual stream N(0, 2/(L·√C)) (Wang's init from GPT-J), for L layers; biases 0, LayerNorm
 * gains 1. GPT-2's fixed 0.02 and 0.02/√(2L) are about this at GPT-2's width (0.023 at C = 768) but
 * far too small at Atelier's: at C = 128 the baby model learnt markedly slower with them (validation
 * loss 1.899 against 1.75 after nanoGPT's 2000 baby iterations; docs/benchmarks.md).
 */
public final class Gpt extends AbstractBlock {

    private static final byte VERSION = 1;

    private final GptConfig config;
    private final Parameter tokenEmbedding; // (V, C), also the output layer's weights
    private final Parameter positionEmbedding; // (T, C)
    private final Parameter styleEmbedding; // (S, C), or null for an unconditioned model
    private final List<GptLayer> layers = new ArrayList<>(); // L blocks
    private final LayerNorm finalNorm; // gain (C) [, bias (C)]

    /** @param config the model's shape */
    public Gpt(GptConfig config) {
        super(VERSION);
        this.config = config;
        int c = config.width();
        tokenEmbedding = addParameter(Parameter.builder().setName("wte").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(config.vocabSize(), c)).build());
        positionEmbedding = addParameter(Parameter.builder().setName("wpe").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(config.contextLength(), c)).build());
        styleEmbedding = config.styles() == 0 ? null
                : addParameter(Parameter.builder().setName("wse").setType(Parameter.Type.WEIGHT)
                        .optShape(new Shape(config.styles(), c)).build());
        for (int i = 0; i < config.layers(); i++) {
            layers.add(addChildBlock("h" + i, new GptLayer(config)));
        }
        finalNorm = addChildBlock("lnf", GptLayer.layerNorm(config));

        setInitializer(new NormalInitializer(initialStd(c)), Parameter.Type.WEIGHT);
        NormalInitializer residual = new NormalInitializer(residualStd(c, config.layers()));
        for (GptLayer layer : layers) {
            layer.attention().outputProjection().setInitializer(residual, Parameter.Type.WEIGHT);
            layer.mlp().outputProjection().setInitializer(residual, Parameter.Type.WEIGHT);
        }
    }

    /**
     * @param width the model's width C
     * @return the standard deviation of every weight at initialisation: √(2/(5C))
     */
    static float initialStd(int width) {
        return (float) Math.sqrt(2.0 / (5.0 * width));
    }

    /**
     * @param width the model's width C
     * @param layers the number of blocks L
     * @return the standard deviation of the projections into the residual stream: 2/(L·√C)
     */
    static float residualStd(int width, int layers) {
        return (float) (2.0 / (layers * Math.sqrt(width)));
    }

    /** @return the model's shape */
    public GptConfig config() {
        return config;
    }

    Parameter tokenEmbedding() {
        return tokenEmbedding;
    }

    Parameter positionEmbedding() {
        return positionEmbedding;
    }

    Parameter styleEmbedding() {
        return styleEmbedding;
    }

    List<GptLayer> layers() {
        return layers;
    }

    LayerNorm finalNorm() {
        return finalNorm;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray styles = inputs.size() > 1 ? inputs.get(1) : null;
        return new NDList(logits(ps, inputs.get(0), styles, training));
    }

    /**
     * The whole network over whole sequences, as in training.
     *
     * @param ps the parameter store
     * @param tokens (B, T) int64, T ≤ context length
     * @param styles (B) int64 style ids, or null for an unconditioned model
     * @param training whether dropout applies
     * @return logits (B, T, V)
     */
    public NDArray logits(ParameterStore ps, NDArray tokens, NDArray styles, boolean training) {
        int t = (int) tokens.getShape().get(1);
        NDArray x = embed(ps, tokens, styles, 0, training); // (B, T, C)
        NDArray mask = causalMask(tokens.getManager(), t, t); // (T, T)
        for (GptLayer layer : layers) {
            x = layer.forward(ps, x, mask, null, training);
        }
        return head(ps, x, training);
    }

    /**
     * Runs new tokens through the network after those already in the cache, and appends their keys
     * and values to it.
     *
     * @param ps the parameter store
     * @param tokens (B, t) int64: the prompt at first, then one token at a time
     * @param styles (B) int64 style ids, or null
     * @param cache the cache; cached + t must not exceed the context length
     * @return logits for the last new position, (B, V)
     */
    public NDArray decode(ParameterStore ps, NDArray tokens, NDArray styles, KvCache cache) {
        long b = tokens.getShape().get(0);
        int t = (int) tokens.getShape().get(1);
        int start = cache.length();
        if (start + t > config.contextLength()) {
            throw new IllegalArgumentException("the cache holds " + start + " positions; " + t
                    + " more exceed the context of " + config.contextLength());
        }
        NDArray x = embed(ps, tokens, styles, start, false);
        NDArray mask = t == 1 ? null : causalMask(tokens.getManager(), t, start + t);
        for (int i = 0; i < layers.size(); i++) {
            x = layers.get(i).forward(ps, x, mask, cache.layer(i), false);
        }
        cache.advance(t);
        if (t > 1) {
            x = x.get(new NDIndex(":, {}:", t - 1)); // (B, 1, C)
        }
        return head(ps, x, false).reshape(b, config.vocabSize());
    }

    private NDArray embed(ParameterStore ps, NDArray tokens, NDArray styles, int start, boolean training) {
        NDManager m = tokens.getManager();
        int t = (int) tokens.getShape().get(1);
        NDArray wte = ps.getValue(tokenEmbedding, tokens.getDevice(), training);
        NDArray wpe = ps.getValue(positionEmbedding, tokens.getDevice(), training);
        NDArray x = tokens.getNDArrayInternal().embedding(tokens, wte, SparseFormat.DENSE).head(); // (B, T, C)
        NDArray pos = wpe;
        if (start != 0 || t != config.contextLength()) {
            pos = wpe.get(new NDIndex("{}:{}", start, start + t)); // (T, C)
            pos.attach(m);
        }
        x = x.add(pos);
        if (styleEmbedding != null) {
            if (styles == null) {
                throw new IllegalArgumentException("this model is conditioned on styles; give one");
            }
            NDArray wse = ps.getValue(styleEmbedding, tokens.getDevice(), training);
            NDArray ids = styles.reshape(styles.getShape().get(0), 1);
            x = x.add(ids.getNDArrayInternal().embedding(ids, wse, SparseFormat.DENSE).head()); // + (B, 1, C)
        }
        return dropout(x, config, training);
    }

    /**
     * @param x activations
     * @param config the model's shape (its dropout probability)
     * @param training whether dropout applies
     * @return x with dropout applied while training, x itself otherwise
     */
    static NDArray dropout(NDArray x, GptConfig config, boolean training) {
        if (!training || config.dropout() == 0) {
            return x;
        }
        return x.getNDArrayInternal().dropout(x, config.dropout(), true).head();
    }

    private NDArray head(ParameterStore ps, NDArray x, boolean training) {
        NDArray normed = finalNorm.forward(ps, new NDList(x), training).head();
        NDArray wte = ps.getValue(tokenEmbedding, x.getDevice(), training);
        return normed.getNDArrayInternal().linear(normed, wte, null).head(); // (B, T, V)
    }

    /**
     * @param manager where the mask lives
     * @param queries T, the new positions
     * @param keys S, all positions attended over (the last T of them are the new ones)
     * @return (T, S): 0 where query i may see key j, −∞ where j is in its future
     */
    static NDArray causalMask(NDManager manager, int queries, int keys) {
        float[] m = new float[queries * keys];
        int offset = keys - queries;
        for (int i = 0; i < queries; i++) {
            Arrays.fill(m, i * keys + offset + i + 1, (i + 1) * keys, Float.NEGATIVE_INFINITY);
        }
        return manager.create(m, new Shape(queries, keys));
    }

    /**
     * Mean cross-entropy of next-token predictions.
     *
     * @param logits (B, T, V)
     * @param targets (B, T) int64
     * @return a scalar
     */
    public static NDArray loss(NDArray logits, NDArray targets) {
        long v = logits.getShape().get(2);
        NDArray logProbs = logits.reshape(-1, v).logSoftmax(1); // (B·T, V)
        NDArray picked = logProbs.gather(targets.reshape(-1, 1), 1); // (B·T, 1)
        return picked.mean().neg();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape tokens = inputShapes[0];
        return new Shape[] {new Shape(tokens.get(0), tokens.get(1), config.vocabSize())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape tokens = inputShapes[0];
        Shape x = new Shape(tokens.get(0), tokens.get(1), config.width());
        for (GptLayer layer : layers) {
            layer.initialize(manager, dataType, x, new Shape(tokens.get(1), tokens.get(1)));
        }
        finalNorm.initialize(manager, dataType, x);
    }

    /**
     * Initialises every parameter for this shape.
     *
     * @param manager the model's manager
     */
    public void initialize(NDManager manager) {
        initialize(manager, DataType.FLOAT32, new Shape(1, config.contextLength()));
    }
}
