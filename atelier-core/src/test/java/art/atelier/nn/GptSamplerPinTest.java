package art.atelier.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;

import art.atelier.util.Rng;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * The sampler's pinned head and banned tokens, as the music medium uses them: a header that stays at the
 * start of every window however long the sequence grows, and tokens that are never drawn.
 */
class GptSamplerPinTest {

    /** A context of 8: 30 new tokens slide the window many times. */
    private static final GptConfig CONFIG = new GptConfig(11, 8, 2, 2, 16, 0f, false, 0);
    private static final int[] PROMPT = {3, 1, 4};
    private static final int PINNED = 2;
    private static final Set<Integer> BANNED = Set.of(0, 5, 7);
    /** Tokens drawn per sequence. */
    private static final int N = 30;

    private Model model;
    private Gpt gpt;
    private ParameterStore store;

    @BeforeEach
    void setUp() {
        Compute.init();
        model = Model.newInstance("pin", Compute.device(), "PyTorch");
        gpt = new Gpt(CONFIG);
        model.setBlock(gpt);
        // weights of the test's own spread (not the width-scaled default), then all parameters four times
        // sharper, so that what a window holds shows in the draws
        gpt.setInitializer(new NormalInitializer(0.02f), Parameter.Type.WEIGHT);
        Compute.seed(4);
        gpt.initialize(model.getNDManager());
        gpt.getParameters().values().forEach(p -> p.getArray().muli(4));
        store = new ParameterStore(model.getNDManager(), false);
    }

    @AfterEach
    void tearDown() {
        model.close();
    }

    private static boolean[] banned(Set<Integer> tokens) {
        boolean[] b = new boolean[CONFIG.vocabSize()];
        tokens.forEach(t -> b[t] = true);
        return b;
    }

    private int[] sample(boolean plainJava, float temperature, boolean cache, long seed, Set<Integer> ban) {
        SamplingSettings s = new SamplingSettings(temperature, 0, 1f, 1f, N, cache);
        try (NDManager m = model.getNDManager().newSubManager()) {
            return new GptSampler(gpt, store, plainJava).sample(m, PROMPT, PINNED, banned(ban), -1, s, new Rng(seed),
                    t -> true);
        }
    }

    @Test
    void aBannedTokenIsNeverDrawn() {
        Set<Integer> unbanned = new HashSet<>();
        for (boolean cache : new boolean[] {true, false}) {
            for (float temperature : new float[] {0f, 1f, 2f}) {
                for (long seed = 1; seed <= 3; seed++) {
                    int[] tokens = sample(true, temperature, cache, seed, BANNED);
                    assertThat(tokens).hasSize(N);
                    assertThat(tokens).as("cache %s, t %s, seed %d", cache, temperature, seed).doesNotContain(0, 5, 7);
                    for (int t : sample(true, temperature, cache, seed, Set.of())) {
                        unbanned.add(t);
                    }
                }
            }
        }
        assertThat(sample(false, 2f, true, 1, BANNED)).as("engine").doesNotContain(0, 5, 7);
        // the check can fail: left free, the same draws use those tokens
        assertThat(unbanned).contains(0, 5, 7);
        // even when nearly everything is banned
        Set<Integer> allBut2 = new HashSet<>();
        for (int t = 0; t < CONFIG.vocabSize(); t++) {
            if (t != 2 && t != 9) {
                allBut2.add(t);
            }
        }
        assertThat(sample(true, 1f, true, 1, allBut2)).containsOnly(2, 9);
        assertThat(sample(true, 1f, false, 1, allBut2)).containsOnly(2, 9);
    }

    @Test
    void theSameSeedDrawsTheSameTokens() {
        for (boolean cache : new boolean[] {true, false}) {
            int[] a = sample(true, 1f, cache, 7, BANNED);
            assertThat(sample(true, 1f, cache, 7, BANNED)).isEqualTo(a);
            assertThat(sample(true, 1f, cache, 8, BANNED)).isNotEqualTo(a);
        }
    }

    @Test
    void thePlainJavaDecoderAndTheEngineDrawTheSameTokens() {
        assertThat(sample(true, 1f, true, 3, BANNED)).isEqualTo(sample(false, 1f, true, 3, BANNED));
    }

    @Test
    void withAndWithoutTheCacheTheTokensAgreeWhileTheFirstWindowLasts() {
        int first = CONFIG.contextLength() - PROMPT.length; // the tokens drawn before the window is full
        int[] cached = sample(true, 1f, true, 5, BANNED);
        int[] plain = sample(true, 1f, false, 5, BANNED);
        assertThat(Arrays.copyOf(cached, first + 1)).isEqualTo(Arrays.copyOf(plain, first + 1));
        // past it, the two read different windows (by design: a rebuilt cache holds half a context)
        assertThat(cached).isNotEqualTo(plain);
    }

    /**
     * The tokens drawn from the whole network's logits over the windows the sampler documents (each window
     * read afresh by the plain-Java decoder, whose logits are the engine's, see {@link GptTest}), with the
     * sampler's own draw: the pinned head, then the most recent tokens. Without the cache, every window is
     * the last {@code context} tokens, head included; with it, a full window is rebuilt from the head and
     * the most recent tokens up to half the context, then grows one token at a time.
     */
    private int[] reference(boolean cache, int pinned, long seed) {
        int context = CONFIG.contextLength();
        SamplingSettings s = new SamplingSettings(1f, 0, 1f, 1f, N, cache);
        Rng rng = new Rng(seed);
        int[] seq = Arrays.copyOf(PROMPT, PROMPT.length + N);
        int len = PROMPT.length;
        int[] held = new int[0]; // what the cache holds
        GptDecoder network = new GptDecoder(gpt); // the whole network over each window afresh
        for (int produced = 0; produced < N; produced++) {
            int[] window;
            if (cache && held.length > 0 && held.length < context) {
                window = Arrays.copyOf(held, held.length + 1);
                window[held.length] = seq[len - 1];
            } else {
                int keep = cache && held.length > 0 ? context / 2 : Math.min(len, context);
                if (pinned > 0 && len > keep) {
                    window = new int[keep];
                    System.arraycopy(seq, 0, window, 0, pinned);
                    System.arraycopy(seq, len - (keep - pinned), window, pinned, keep - pinned);
                } else {
                    window = Arrays.copyOfRange(seq, len - keep, len);
                }
            }
            held = cache ? window : new int[0];
            network.reset();
            float[] logits = null;
            for (int t : window) {
                logits = network.next(t, -1);
            }
            logits = logits.clone();
            for (int t : BANNED) {
                logits[t] = Float.NEGATIVE_INFINITY;
            }
            seq[len++] = GptSampler.draw(logits, new boolean[logits.length], s, rng, new float[logits.length]);
        }
        return Arrays.copyOfRange(seq, PROMPT.length, len);
    }

    @Test
    void everyWindowStartsWithThePinnedHead() {
        for (boolean cache : new boolean[] {true, false}) {
            int[] want = reference(cache, PINNED, 2);
            assertThat(sample(true, 1f, cache, 2, BANNED)).as("cache %s", cache).isEqualTo(want);
            // the check can fail: windows without the head give other tokens
            assertThat(reference(cache, 0, 2)).isNotEqualTo(want);
        }
    }

    @Test
    void aHeadTooLongToPinIsRefused() {
        SamplingSettings s = new SamplingSettings(1f, 0, 1f, 1f, 5, true);
        try (NDManager m = model.getNDManager().newSubManager()) {
            GptSampler sampler = new GptSampler(gpt, store, true);
            // at most less than half the context: a rebuilt window keeps the head and at least one recent token
            assertThatThrownBy(() -> sampler.sample(m, new int[] {1, 2, 3, 4, 5}, 4, null, -1, s, new Rng(1),
                    t -> true)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("cannot pin 4 tokens of a 5-token prompt in a context of 8");
            assertThatThrownBy(() -> sampler.sample(m, new int[] {1, 2}, 3, null, -1, s, new Rng(1), t -> true))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(sampler.sample(m, new int[] {1, 2, 3, 4, 5}, 3, null, -1, s, new Rng(1), t -> true)).hasSize(5);
        }
    }
}
