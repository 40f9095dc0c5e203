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

    /**
     * Runs the network over new positions after those it holds: the plain-Java decoder or the engine
     * with a {@link KvCache}. The window policy lives in {@link GptSampler#sample}, once for both.
     */
    private interface Stepper extends AutoCloseable {
        /** @return positions held */
        int length();

        /** Forgets every position. */
        void reset();

        /**
         * @param seq the tokens
         * @param from first new position
         * @param to end of the new positions
         * @return logits after the last of them
         */
        float[] feed(int[] seq, int from, int to);

        @Override
        void close();
    }

    private final Gpt gpt;
    private final ParameterStore store;
    private final GptDecoder decoder; // the plain-Java network (weights copied once), or null for the engine

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
        return sample(manager, prompt, 0, null, style, settings, rng, sink);
    }

    /**
     * Samples with a pinned head and forbidden tokens: the music medium's header (style and
     * instruments) stays at the start of every window however long the piece grows, and tokens that
     * make no sense mid-piece are never drawn.
     *
     * @param manager where arrays live
     * @param prompt at least one token to start from
     * @param pinned how many of the prompt's first tokens every window starts with (0 for none);
     *     less than half the context
     * @param banned per token, whether it may never be drawn (the caller may change it between
     *     tokens, from the sink); null for none
     * @param style the style id, or -1 for an unstyled model
     * @param settings the controls
     * @param rng draws the tokens (advanced)
     * @param sink receives each new token and may stop the sampling
     * @return the new tokens (the prompt not included)
     */
    public int[] sample(NDManager manager, int[] prompt, int pinned, boolean[] banned, int style,
            SamplingSettings settings, Rng rng, TokenSink sink) {
        if (prompt.length == 0) {
            throw new IllegalArgumentException("sampling needs at least one token to start from");
        }
        int context = gpt.config().contextLength();
        if (pinned < 0 || pinned > prompt.length || (pinned > 0 && pinned >= rebuildKeep(context))) {
            throw new IllegalArgumentException("cannot pin " + pinned + " tokens of a " + prompt.length
                    + "-token prompt in a context of " + context);
        }
        Compute.prepareThisThread(); // the same floating-point mode whatever thread samples: the same bytes
        int[] seq = Arrays.copyOf(prompt, prompt.length + settings.maxTokens());
        int len = prompt.length;
        boolean[] seen = new boolean[gpt.config().vocabSize()];
        for (int t : prompt) {
            seen[t] = true;
        }
        float[] scratch = new float[gpt.config().vocabSize()];
        try (Stepper net = decoder != null ? javaStepper(style) : engineStepper(manager, style)) {
            for (int produced = 0; produced < settings.maxTokens(); produced++) {
                float[] logits;
                int held = net.length();
                if (settings.kvCache() && held > 0 && held < context) {
                    logits = net.feed(seq, len - 1, len); // the newest token only
                } else {
                    // a first step, a full cache, or no cache: read (part of) the window afresh
                    int keep = settings.kvCache() && held > 0 ? rebuildKeep(context) : Math.min(len, context);
                    net.reset();
                    if (pinned > 0 && len > keep) {
                        net.feed(seq, 0, pinned); // the pinned head, then the most recent tokens
                        logits = net.feed(seq, len - (keep - pinned), len);
                    } else {
                        logits = net.feed(seq, len - keep, len);
                    }
                    if (!settings.kvCache()) {
                        net.reset();
                    }
                }
                if (banned != null) {
                    for (int i = 0; i < logits.length; i++) {
                        if (banned[i]) {
                            logits[i] = Float.NEGATIVE_INFINITY;
                        }
                    }
                }
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

    private Stepper javaStepper(int style) {
        decoder.reset();
        return new Stepper() {
            @Override
            public int length() {
                return decoder.length();
            }

            @Override
            public void reset() {
                decoder.reset();
            }

            @Override
            public float[] feed(int[] seq, int from, int to) {
                float[] logits = null;
                for (int i = from; i < to; i++) {
                    logits = decoder.next(seq[i], style);
                }
                return logits.clone();
            }

            @Override
            public void close() {}
        };
    }

    private Stepper engineStepper(NDManager manager, int style) {
        NDManager m = manager.newSubManager();
        KvCache cache = new KvCache(m, gpt.config());
        NDArray styles = style < 0 ? null : m.create(new long[] {style});
        return new Stepper() {
            @Override
            public int length() {
                return cache.length();
            }

            @Override
            public void reset() {
                cache.clear();
            }

            @Override
            public float[] feed(int[] seq, int from, int to) {
                try (NDManager step = m.newSubManager()) {
                    return gpt.decode(store, tokens(step, seq, from, to), styles, cache).toFloatArray();
                }
            }

            @Override
            public void close() {
                cache.close();
                m.close();
            }
        };
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
