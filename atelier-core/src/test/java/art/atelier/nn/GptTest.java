package art.atelier.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;

import art.atelier.train.AdamW;
import art.atelier.train.GradientClipping;
import art.atelier.train.TrainSettings;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;


class GptTest {

    private static final GptConfig CONFIG = new GptConfig(11, 16, 2, 2, 16, 0f, false, 0);

    private Model model;
    private Gpt gpt;
    private ParameterStore store;

    @BeforeEach
    void setUp() {
        Compute.init();
        model = Model.newInstance("test", Compute.device(), "PyTorch");
        gpt = new Gpt(CONFIG);
        model.setBlock(gpt);
        Compute.seed(1);
        gpt.initialize(model.getNDManager());
        store = new ParameterStore(model.getNDManager(), false);
    }

    @AfterEach
    void tearDown() {
        model.close();
    }

    @Test
    void parameterCountMatchesTheConfigsFormula() {
        long n = gpt.getParameters().values().stream().filter(p -> p.requiresGradient())
                .mapToLong(p -> p.getArray().size()).sum();
        assertThat(n).isEqualTo(CONFIG.parameterCount());
        // nanoGPT's baby model (65 characters, no biases) has 0.80M parameters
        assertThat(GptPreset.BABY.config(65, 1, false).parameterCount()).isEqualTo(804_096L);
    }

    @Test
    void initialisationIsScaledToTheWidth() {
        // baby-sized, so that each weight has enough values for its spread to be measured
        GptConfig baby = GptPreset.BABY.config(65, 1, false);
        try (Model m = Model.newInstance("init", Compute.device(), "PyTorch")) {
            Gpt g = new Gpt(baby);
            m.setBlock(g);
            Compute.seed(3);
            g.initialize(m.getNDManager());
            double small = Math.sqrt(2.0 / (5 * 128)); // 0.0559
            double wang = 2.0 / (4 * Math.sqrt(128)); // 0.0442
            assertThat(std(g.tokenEmbedding().getArray())).isCloseTo(small, withinPercentage(5));
            assertThat(std(g.positionEmbedding().getArray())).isCloseTo(small, withinPercentage(5));
            for (GptLayer layer : g.layers()) {
                assertThat(std(layer.attention().inputProjection().getParameters().get("weight").getArray()))
                        .isCloseTo(small, withinPercentage(5));
                assertThat(std(layer.mlp().inputProjection().getParameters().get("weight").getArray()))
                        .isCloseTo(small, withinPercentage(5));
                assertThat(std(layer.attention().outputProjection().getParameters().get("weight").getArray()))
                        .isCloseTo(wang, withinPercentage(5));
                assertThat(std(layer.mlp().outputProjection().getParameters().get("weight").getArray()))
                        .isCloseTo(wang, withinPercentage(5));
            }
        }
    }

    private static double std(NDArray a) {
        float[] v = a.toFloatArray();
        double sum = 0;
        double sq = 0;
        for (float x : v) {
            sum += x;
            sq += (double) x * x;
        }
        double mean = sum / v.length;
        return Math.sqrt(sq / v.length - mean * mean);
    }

    @Test
    void aPositionNeverSeesTheFuture() {
        try (NDManager m = model.getNDManager().newSubManager()) {
            NDArray a = m.create(new long[] {1, 2, 3, 4, 5, 6}, new Shape(1, 6));
            NDArray b = m.create(new long[] {1, 2, 3, 9, 9, 9}, new Shape(1, 6));
            float[] la = gpt.logits(store, a, null, false).get(0).get("0:3").toFloatArray();
            float[] lb = gpt.logits(store, b, null, false).get(0).get("0:3").toFloatArray();
            assertThat(la).containsExactly(lb, org.assertj.core.data.Offset.offset(1e-5f));
            float[] la4 = gpt.logits(store, a, null, false).get(0).get(3).toFloatArray();
            float[] lb4 = gpt.logits(store, b, null, false).get(0).get(3).toFloatArray();
            assertThat(la4).isNotEqualTo(lb4);
        }
    }

    @Test
    void decodingWithTheCacheGivesTheFullForwardsLogits() {
        long[] seq = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3};
        try (NDManager m = model.getNDManager().newSubManager(); KvCache cache = new KvCache(m, CONFIG)) {
            NDArray all = gpt.logits(store, m.create(seq, new Shape(1, seq.length)), null, false).get(0);
            NDArray prefill = gpt.decode(store, m.create(new long[] {3, 1, 4, 1}, new Shape(1, 4)), null, cache);
            assertThat(prefill.get(0).toFloatArray())
                    .containsExactly(all.get(3).toFloatArray(), org.assertj.core.data.Offset.offset(1e-4f));
            for (int i = 4; i < seq.length; i++) {
                NDArray step = gpt.decode(store, m.create(new long[] {seq[i]}, new Shape(1, 1)), null, cache);
                assertThat(step.get(0).toFloatArray())
                        .containsExactly(all.get(i).toFloatArray(), org.assertj.core.data.Offset.offset(1e-4f));
            }
            assertThat(cache.length()).isEqualTo(seq.length);
        }
    }

    @Test
    void thePlainJavaDecoderGivesTheEnginesLogits() {
        GptConfig styled = new GptConfig(13, 12, 2, 2, 16, 0f, true, 3);
        try (Model m2 = Model.newInstance("styled", Compute.device(), "PyTorch");
                NDManager m = m2.getNDManager().newSubManager()) {
            Gpt g = new Gpt(styled);
            m2.setBlock(g);
            Compute.seed(2);
            g.initialize(m2.getNDManager());
            ParameterStore ps = new ParameterStore(m2.getNDManager(), false);
            long[] seq = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8};
            NDArray all = g.logits(ps, m.create(seq, new Shape(1, seq.length)), m.create(new long[] {2}), false).get(0);
            GptDecoder d = new GptDecoder(g);
            for (int i = 0; i < seq.length; i++) {
                float[] java = d.next((int) seq[i], 2);
                assertThat(java).containsExactly(all.get(i).toFloatArray(), org.assertj.core.data.Offset.offset(2e-4f));
            }
            assertThat(d.length()).isEqualTo(12);
            d.reset();
            assertThat(d.next(3, 2)).containsExactly(all.get(0).toFloatArray(), org.assertj.core.data.Offset.offset(2e-4f));
        }
    }

    @Test
    void bothSamplingPathsDrawTheSameTokens() {
        SamplingSettings greedy = new SamplingSettings(0f, 0, 1f, 1f, 40, true); // past the context of 16
        SamplingSettings noCache = new SamplingSettings(0f, 0, 1f, 1f, 40, false);
        try (NDManager m = model.getNDManager().newSubManager()) {
            int[] viaJava = new GptSampler(gpt, store, true).sample(m, new int[] {1, 2}, -1, greedy, new art.atelier.util.Rng(1), t -> true);
            int[] engine = new GptSampler(gpt, store, false).sample(m, new int[] {1, 2}, -1, greedy, new art.atelier.util.Rng(1), t -> true);
            int[] plain = new GptSampler(gpt, store, false).sample(m, new int[] {1, 2}, -1, noCache, new art.atelier.util.Rng(1), t -> true);
            assertThat(viaJava).hasSize(40).isEqualTo(engine);
            assertThat(plain.length).isEqualTo(40);
            assertThat(viaJava).startsWith(java.util.Arrays.copyOf(plain, 14)); // identical while the first window lasts
        }
    }

    @Test
    void geluMatchesTheDefinition() {
        for (float v = -12f; v <= 12f; v += 0.37f) {
            double exact = 0.5 * v * (1 + erf(v / Math.sqrt(2)));
            assertThat((double) GptDecoder.gelu(v)).isCloseTo(exact, org.assertj.core.data.Offset.offset(1e-6));
        }
        assertThat(GptDecoder.erf(0)).isCloseTo(0, org.assertj.core.data.Offset.offset(1e-8));
        assertThat(GptDecoder.erf(1)).isCloseTo(0.8427007929, org.assertj.core.data.Offset.offset(2e-7));
        assertThat(GptDecoder.erf(-2)).isCloseTo(-0.9953222650, org.assertj.core.data.Offset.offset(2e-7));
    }

    /** erf to near double precision: its Maclaurin series up to 3, erfc's continued fraction beyond. */
    private static double erf(double x) {
        if (Math.abs(x) > 3) {
            double a = Math.abs(x);
            double f = a;
            for (int k = 60; k >= 1; k--) {
                f = a + (k / 2.0) / f;
            }
            double erfc = Math.exp(-a * a) / Math.sqrt(Math.PI) / f;
            return Math.signum(x) * (1 - erfc);
        }
        double sum = 0;
        double term = x;
        for (int n = 0; n < 400; n++) {
            sum += term / (2 * n + 1);
            term *= -x * x / (n + 1);
        }
        return 2 / Math.sqrt(Math.PI) * sum;
    }

    @Test
    void theTinyModelMemorisesATinySequence() {
        long[] pattern = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0, 1, 2, 3, 4, 5, 6};
        TrainSettings s = TrainSettings.nanoGpt(150, 4, 1e-2f, 1);
        try (AdamW opt = new AdamW(model.getNDManager(), gpt.getParameters(), s, AdamW.NANO_GPT_DECAY)) {
            float first = 0;
            float last = 0;
            for (int step = 0; step < 150; step++) {
                try (NDManager m = model.getNDManager().newSubManager()) {
                    long[] x = new long[4 * 16];
                    long[] y = new long[4 * 16];
                    for (int b = 0; b < 4; b++) {
                        System.arraycopy(pattern, 0, x, b * 16, 16);
                        System.arraycopy(pattern, 1, y, b * 16, 16);
                    }
                    float loss;
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray l = Gpt.loss(gpt.logits(store, m.create(x, new Shape(4, 16)), null, true),
                                m.create(y, new Shape(4, 16)));
                        gc.backward(l);
                        loss = l.getFloat();
                    }
                    NDArray g = opt.gradient(m);
                    GradientClipping.clipGlobalNorm(g, 1f);
                    opt.update(g, s.schedule().at(step));
                    if (step == 0) {
                        first = loss;
                    }
                    last = loss;
                }
            }
            assertThat(first).isGreaterThan(2.0f); // about ln(11) at the start
            assertThat(last).isLessThan(0.05f);
        }
    }
}
