package art.atelier.nn;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;

import java.util.Arrays;

/**
 * The GPT of {@link Gpt}, one token at a time, in plain Java: for sampling a single sequence on the
 * CPU, where a step is about two million multiply-adds and the engine's per-operation overhead
 * (some 240 native calls a token) would cost more than the arithmetic. Same weights, same maths as
 * {@link Gpt#decode}; the tests hold the two to the same logits.
 *
 * <p>Weights are copied from the block once, matrices transposed to (in, out) and kept one row per
 * array, so that a matrix-vector product is a sum of rows scaled by the input: {@code y[o] += a *
 * row[o]}, which the JIT vectorises (an offset into one shared array would not be, since the JIT
 * must assume it may alias the output). The decoder keeps its own key/value cache: {@code
 * keys[layer][p]} and {@code values[layer][p]} are the (C) key and value of position p. Not
 * thread-safe; one decoder per sequence.
 */
public final class GptDecoder {

    private final GptConfig c;
    private final float[] wte; // (V, C): token embeddings
    private final float[][] wteT; // (C)(V): the same, transposed, for the tied output layer
    private final float[] wpe; // (T, C): position embeddings
    private final float[] wse; // (S, C): style embeddings, or null
    private final Layer[] layers;
    private final float[] lnfGain; // (C)
    private final float[] lnfBias; // (C)

    private final float[][][] keys; // (L)(T)(C)
    private final float[][][] values; // (L)(T)(C)
    private int length; // positions cached

    private final float[] x; // (C): the residual stream
    private final float[] h; // (C): a normalised copy
    private final float[] qkv; // (3C)
    private final float[] att; // (C): attention output, heads side by side
    private final float[] hidden; // (4C)
    private final float[] out; // (C)
    private final float[] scores; // (T)
    private final float[] logits; // (V)

    /** One block's weights, matrices as (in, out). */
    private static final class Layer {
        float[] ln1Gain; // (C)
        float[] ln1Bias; // (C)
        float[][] qkvT; // (C)(3C)
        float[] qkvBias; // (3C) or null
        float[][] projT; // (C)(C)
        float[] projBias; // (C) or null
        float[] ln2Gain; // (C)
        float[] ln2Bias; // (C)
        float[][] fcT; // (C)(4C)
        float[] fcBias; // (4C) or null
        float[][] fc2T; // (4C)(C)
        float[] fc2Bias; // (C) or null
    }

    /**
     * @param gpt an initialised or loaded model; its weights are copied, so later training does not
     *     change this decoder
     */
    public GptDecoder(Gpt gpt) {
        this.c = gpt.config();
        int C = c.width();
        int V = c.vocabSize();
        int T = c.contextLength();
        wte = values(gpt.tokenEmbedding());
        wteT = transpose(wte, V, C);
        wpe = values(gpt.positionEmbedding());
        wse = gpt.styleEmbedding() == null ? null : values(gpt.styleEmbedding());
        layers = new Layer[c.layers()];
        for (int i = 0; i < layers.length; i++) {
            GptLayer g = gpt.layers().get(i);
            Layer l = new Layer();
            l.ln1Gain = param(g.norm1(), "gamma");
            l.ln1Bias = param(g.norm1(), "beta");
            l.qkvT = transpose(param(g.attention().inputProjection(), "weight"), 3 * C, C);
            l.qkvBias = param(g.attention().inputProjection(), "bias");
            l.projT = transpose(param(g.attention().outputProjection(), "weight"), C, C);
            l.projBias = param(g.attention().outputProjection(), "bias");
            l.ln2Gain = param(g.norm2(), "gamma");
            l.ln2Bias = param(g.norm2(), "beta");
            l.fcT = transpose(param(g.mlp().inputProjection(), "weight"), 4 * C, C);
            l.fcBias = param(g.mlp().inputProjection(), "bias");
            l.fc2T = transpose(param(g.mlp().outputProjection(), "weight"), C, 4 * C);
            l.fc2Bias = param(g.mlp().outputProjection(), "bias");
            layers[i] = l;
        }
        lnfGain = param(gpt.finalNorm(), "gamma");
        lnfBias = param(gpt.finalNorm(), "beta");
        keys = new float[c.layers()][T][C];
        values = new float[c.layers()][T][C];
        x = new float[C];
        h = new float[C];
        qkv = new float[3 * C];
        att = new float[C];
        hidden = new float[4 * C];
        out = new float[C];
        scores = new float[T];
        logits = new float[V];
    }

    private static float[] values(Parameter p) {
        return p.getArray().toFloatArray();
    }

    private static float[] param(Block block, String name) {
        Parameter p = block.getDirectParameters().get(name);
        return p == null ? null : values(p);
    }

    /** (rows, cols) row-major to cols arrays of rows. */
    private static float[][] transpose(float[] a, int rows, int cols) {
        float[][] t = new float[cols][rows];
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < cols; k++) {
                t[k][r] = a[r * cols + k];
            }
        }
        return t;
    }

    /** @return the model's shape */
    public GptConfig config() {
        return c;
    }

    /** @return positions cached so far */
    public int length() {
        return length;
    }

    /** Forgets the cached positions, to start a new context. */
    public void reset() {
        length = 0;
    }

    /**
     * Appends one token at the next position and returns the logits for the position after it.
     *
     * @param token the token id
     * @param style the style id, or -1 for an unstyled model
     * @return the logits (V); a buffer this decoder reuses, so copy it to keep it
     */
    public float[] next(int token, int style) {
        int C = c.width();
        int p = length;
        if (p >= c.contextLength()) {
            throw new IllegalStateException("the context of " + c.contextLength() + " positions is full");
        }
        if (token < 0 || token >= c.vocabSize()) {
            throw new IllegalArgumentException("token " + token + " is outside the vocabulary of " + c.vocabSize());
        }
        for (int i = 0; i < C; i++) {
            x[i] = wte[token * C + i] + wpe[p * C + i];
        }
        if (wse != null) {
            if (style < 0) {
                throw new IllegalArgumentException("this model is conditioned on styles; give one");
            }
            for (int i = 0; i < C; i++) {
                x[i] += wse[style * C + i];
            }
        }
        for (int li = 0; li < layers.length; li++) {
            Layer l = layers[li];
            layerNorm(x, l.ln1Gain, l.ln1Bias, h);
            linear(h, l.qkvT, l.qkvBias, qkv, C, 3 * C);
            System.arraycopy(qkv, C, keys[li][p], 0, C);
            System.arraycopy(qkv, 2 * C, values[li][p], 0, C);
            attend(qkv, keys[li], values[li], p + 1, att);
            linear(att, l.projT, l.projBias, out, C, C);
            add(x, out);
            layerNorm(x, l.ln2Gain, l.ln2Bias, h);
            linear(h, l.fcT, l.fcBias, hidden, C, 4 * C);
            for (int i = 0; i < hidden.length; i++) {
                hidden[i] = GELU.apply(hidden[i]);
            }
            linear(hidden, l.fc2T, l.fc2Bias, out, 4 * C, C);
            add(x, out);
        }
        layerNorm(x, lnfGain, lnfBias, h);
        linear(h, wteT, null, logits, C, c.vocabSize());
        length = p + 1;
        return logits;
    }

    /** Causal attention of the newest position (its query at the front of qkv) over positions [0, n). */
    private void attend(float[] qkv, float[][] k, float[][] v, int n, float[] y) {
        int hs = c.headSize();
        float scale = (float) (1.0 / Math.sqrt(hs));
        Arrays.fill(y, 0f);
        for (int head = 0; head < c.heads(); head++) {
            int o = head * hs;
            float max = Float.NEGATIVE_INFINITY;
            for (int s = 0; s < n; s++) {
                float dot = 0f;
                float[] ks = k[s];
                for (int d = o; d < o + hs; d++) {
                    dot += qkv[d] * ks[d];
                }
                scores[s] = dot * scale;
                max = Math.max(max, scores[s]);
            }
            float sum = 0f;
            for (int s = 0; s < n; s++) {
                scores[s] = (float) Math.exp(scores[s] - max);
                sum += scores[s];
            }
            float inv = 1f / sum;
            for (int s = 0; s < n; s++) {
                float a = scores[s] * inv;
                float[] vs = v[s];
                for (int d = o; d < o + hs; d++) {
                    y[d] += a * vs[d];
                }
            }
        }
    }

    /** y = x·W + b with W as (in)(out): rows of W scaled by x and summed. */
    private static void linear(float[] x, float[][] wT, float[] b, float[] y, int in, int out) {
        if (b == null) {
            Arrays.fill(y, 0, out, 0f);
        } else {
            System.arraycopy(b, 0, y, 0, out);
        }
        for (int i = 0; i < in; i++) {
            axpy(x[i], wT[i], y, out);
        }
    }

    private static void axpy(float a, float[] row, float[] y, int n) {
        for (int o = 0; o < n; o++) {
            y[o] += a * row[o];
        }
    }

    private void layerNorm(float[] in, float[] gain, float[] bias, float[] y) {
        int n = c.width();
        float mean = 0f;
        for (int i = 0; i < n; i++) {
            mean += in[i];
        }
        mean /= n;
        float var = 0f;
        for (int i = 0; i < n; i++) {
            float d = in[i] - mean;
            var += d * d;
        }
        var /= n;
        float inv = (float) (1.0 / Math.sqrt(var + 1e-5));
        for (int i = 0; i < n; i++) {
            y[i] = (in[i] - mean) * inv * gain[i] + (bias == null ? 0f : bias[i]);
        }
    }

    private static void add(float[] x, float[] y) {
        for (int i = 0; i < x.length; i++) {
            x[i] += y[i];
        }
    }

    /** The exact GELU, x·Φ(x), as libtorch's default. */
    static float gelu(float v) {
        return (float) (0.5 * v * (1.0 + erf(v * 0.7071067811865476)));
    }

    private static final GeluTable GELU = new GeluTable();

    /**
     * GELU by linear interpolation in a table of x·Φ(x) over [-10, 10] with steps of 1/1024: the
     * interpolation error is below 2e-8 (Φ'' is at most 0.4, so h²/8·max|f''| < 1e-7·0.2), under a
     * float's rounding; outside the table GELU is 0 or x to float precision.
     */
    private static final class GeluTable {
        private static final float LIMIT = 10f;
        private static final int PER_UNIT = 1024;
        private final float[] table = new float[(int) (2 * LIMIT * PER_UNIT) + 2];

        GeluTable() {
            for (int i = 0; i < table.length; i++) {
                double v = -LIMIT + (double) i / PER_UNIT;
                table[i] = (float) (0.5 * v * (1.0 + erf(v * 0.7071067811865476)));
            }
        }

        float apply(float v) {
            if (v <= -LIMIT) {
                return 0f;
            }
            if (v >= LIMIT) {
                return v;
            }
            float pos = (v + LIMIT) * PER_UNIT;
            int i = (int) pos;
            float f = pos - i;
            return table[i] + f * (table[i + 1] - table[i]);
        }
    }

    /**
     * The error function, to about 1e-7 absolute (Abramowitz and Stegun 7.1.26, with the odd symmetry):
     * well inside float precision for GELU.
     */
    static double erf(double z) {
        double t = 1.0 / (1.0 + 0.3275911 * Math.abs(z));
        double poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
        double r = 1.0 - poly * Math.exp(-z * z);
        return z >= 0 ? r : -r;
    }
}
