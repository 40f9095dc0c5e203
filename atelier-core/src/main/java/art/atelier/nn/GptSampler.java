package art.atelier.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

import art.atelier.util.Rng;

import java.util.Arrays;

/**
 * Draws a sequence from a {@link Gpt}, one token at a time: logits from the model, the controls of
 * {@link SamplingSettings} applied in Java, and the token drawn with the caller's {@link Rng}, so the
 * same model, seed and settings give the same tokens.
 *
 * <p>With the KV cache, a prompt is read once and every new token costs one position. When the
 * context is full, the cache is rebuilt from the last half of the window (the model's positions are
 * absolute, so the window cannot simply slide; a rebuild every half window costs one extra step per
 * token, and every token still sees at least half a context); without it, every step reads the last
 * context-length tokens afresh, as nanoGPT's {@code generate} does.
 *
 * <p>On the CPU the network runs in {@link GptDecoder} (plain Java: one sequence is too small a job
 * for the engine's per-operation overhead); on a GPU, through the engine with a {@link KvCache}.
 */
public final class GptSampler {

    /** Receives each new token; returns false to stop. */
    @FunctionalInterface
    public interface TokenSink {
        /**
         * @param token the token just drawn
         * @return whether to go on
         */
        boolean accept(int token);
    }

    private final Gpt gpt;
    private final ParameterStore store;
    private final GptDecoder decoder; // the plain-Java path, on the CPU; null elsewhere

    /**
     * @param gpt the model
     * @param store its parameter store
     */
    public GptSampler(Gpt gpt, ParameterStore store) {
        this(gpt, store, !Compute.device().isGpu());
    }

    /**
     * @param gpt the model
     * @param store its parameter store
     * @param plainJava run the network in {@link GptDecoder} rather than through the engine
     */
    GptSampler(Gpt gpt, ParameterStore store, boolean plainJava) {
        this.gpt = gpt;
        this.store = store;
        this.decoder = plainJava ? new GptDecoder(gpt) : null;
    }

    /**
     * @param manager where arrays live
     * @param prompt at least one token to start from
     * @param style the style id, or -1 for an unstyled model
     * @param settings the controls
     * @param rng draws the tokens (advanced)
     * @param sink receives each new token and may stop the sampling
     * @return the new tokens (the prompt not included)
     */
    public int[] sample(NDManager manager, int[] prompt, int style, SamplingSettings settings, Rng rng, TokenSink sink) {
        if (prompt.length == 0) {
            throw new IllegalArgumentException("sampling needs at least one token to start from");
        }
        int[] seq = Arrays.copyOf(prompt, prompt.length + settings.maxTokens());
        int len = prompt.length;
        boolean[] seen = new boolean[gpt.config().vocabSize()];
        for (int t : prompt) {
            seen[t] = true;
        }
        float[] scratch = new float[gpt.config().vocabSize()];
        try (NDManager m = manager.newSubManager(); KvCache cache = new KvCache(m, gpt.config())) {
            NDArray styles = style < 0 ? null : m.create(new long[] {style});
            if (decoder != null) {
                decoder.reset();
            }
            for (int produced = 0; produced < settings.maxTokens(); produced++) {
                float[] logits = decoder != null ? viaDecoder(seq, len, style, settings.kvCache())
                        : viaEngine(m, seq, len, styles, cache, settings.kvCache());
                int next = draw(logits, seen, settings, rng, scratch);
                seq[len++] = next;
                seen[next] = true;
                if (!sink.accept(next)) {
                    break;
                }
            }
        }
        return Arrays.copyOfRange(seq, prompt.length, len);
    }

    /**
     * Logits after seq[0, len) with the plain-Java decoder. With the cache only the newest token is
     * run (after the first step, or a rebuild when the context is full); without it the whole window.
     */
    private float[] viaDecoder(int[] seq, int len, int style, boolean useCache) {
        int context = gpt.config().contextLength();
        boolean fresh = decoder.length() == 0;
        if (useCache && !fresh && decoder.length() < context) {
            return decoder.next(seq[len - 1], style).clone();
        }
        int keep = !useCache || fresh ? Math.min(len, context) : rebuildKeep(context);
        decoder.reset();
        float[] logits = null;
        for (int i = len - keep; i < len; i++) {
            logits = decoder.next(seq[i], style);
        }
        if (!useCache) {
            decoder.reset();
        }
        return logits.clone();
    }

    /** Logits after seq[0, len) through the engine: the same policy as {@link #viaDecoder}. */
    private float[] viaEngine(NDManager m, int[] seq, int len, NDArray styles, KvCache cache, boolean useCache) {
        int context = gpt.config().contextLength();
        try (NDManager step = m.newSubManager()) {
            NDArray out;
            if (useCache) {
                boolean fresh = cache.length() == 0;
                if (fresh || cache.length() >= context) {
                    int keep = fresh ? Math.min(len, context) : rebuildKeep(context);
                    cache.clear();
                    out = gpt.decode(store, tokens(step, seq, len - keep, len), styles, cache);
                } else {
                    out = gpt.decode(store, tokens(step, seq, len - 1, len), styles, cache);
                }
            } else {
                int from = Math.max(0, len - context);
                NDArray all = gpt.logits(store, tokens(step, seq, from, len), styles, false); // (1, T, V)
                out = all.get(0).get(len - from - 1);
            }
            return out.toFloatArray();
        }
    }

    /** Tokens kept when a full cache is rebuilt: the last half of the window. */
    static int rebuildKeep(int context) {
        return Math.max(1, context / 2);
    }

    private static NDArray tokens(NDManager m, int[] seq, int from, int to) {
        long[] ids = new long[to - from];
        for (int i = from; i < to; i++) {
            ids[i - from] = seq[i];
        }
        return m.create(ids, new Shape(1, to - from));
    }

    /**
     * Applies the controls to one position's logits and draws a token.
     *
     * @param logits the model's logits (changed in place)
     * @param seen tokens already in the text, for the repetition penalty
     * @param s the controls
     * @param rng the generator
     * @param scratch a buffer of the vocabulary's size
     * @return the token
     */
    static int draw(float[] logits, boolean[] seen, SamplingSettings s, Rng rng, float[] scratch) {
        int v = logits.length;
        if (s.repetitionPenalty() != 1f) {
            for (int i = 0; i < v; i++) {
                if (seen[i]) {
                    logits[i] = logits[i] > 0 ? logits[i] / s.repetitionPenalty() : logits[i] * s.repetitionPenalty();
                }
            }
        }
        if (s.temperature() == 0f) {
            int best = 0;
            for (int i = 1; i < v; i++) {
                if (logits[i] > logits[best]) {
                    best = i;
                }
            }
            return best;
        }
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < v; i++) {
            logits[i] /= s.temperature();
            max = Math.max(max, logits[i]);
        }
        if (s.topK() > 0 && s.topK() < v) {
            System.arraycopy(logits, 0, scratch, 0, v);
            Arrays.sort(scratch, 0, v);
            float kth = scratch[v - s.topK()]; // the K-th largest value
            int ties = s.topK();
            for (int i = 0; i < v; i++) {
                if (logits[i] > kth) {
                    ties--;
                }
            }
            for (int i = 0; i < v; i++) { // keep the K largest; among equals at the threshold, the lowest ids
                if (logits[i] < kth || (logits[i] == kth && ties-- <= 0)) {
                    logits[i] = Float.NEGATIVE_INFINITY;
                }
            }
        }
        double[] p = new double[v];
        double sum = 0;
        for (int i = 0; i < v; i++) {
            p[i] = logits[i] == Float.NEGATIVE_INFINITY ? 0 : Math.exp(logits[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < v; i++) {
            p[i] /= sum;
        }
        if (s.topP() < 1f) {
            Integer[] order = new Integer[v];
            for (int i = 0; i < v; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> p[a] != p[b] ? Double.compare(p[b], p[a]) : Integer.compare(a, b));
            double cum = 0;
            int cut = v;
            for (int r = 0; r < v; r++) {
                cum += p[order[r]];
                if (cum >= s.topP()) {
                    cut = r + 1;
                    break;
                }
            }
            double kept = 0;
            for (int r = 0; r < v; r++) {
                if (r >= cut) {
                    p[order[r]] = 0;
                } else {
                    kept += p[order[r]];
                }
            }
            for (int i = 0; i < v; i++) {
                p[i] /= kept;
            }
        }
        double u = rng.nextDouble();
        double cum = 0;
        int last = 0;
        for (int i = 0; i < v; i++) {
            if (p[i] > 0) {
                cum += p[i];
                last = i;
                if (u < cum) {
                    return i;
                }
            }
        }
        return last;
    }
}
