package art.atelier.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.PairList;

import art.atelier.nn.Compute;

import org.junit.jupiter.api.Test;


class OptimizationTest {

    @Test
    void clippingScalesTheWholeGradientToTheLimitAndKeepsItsDirection() {
        try (NDManager m = Compute.newManager()) {
            NDArray a = m.create(new float[] {3, 0, 0, 4});
            float norm = GradientClipping.clipGlobalNorm(a, 1f);
            assertThat(norm).isCloseTo(5f, offset(1e-5f));
            assertThat(a.toFloatArray()).containsExactly(new float[] {0.6f, 0f, 0f, 0.8f}, offset(1e-5f));
            NDArray c = m.create(new float[] {0.1f});
            assertThat(GradientClipping.clipGlobalNorm(c, 1f)).isCloseTo(0.1f, offset(1e-6f));
            assertThat(c.getFloat()).isCloseTo(0.1f, offset(1e-7f)); // under the limit: untouched
        }
    }

    @Test
    void adamWMatchesTheTextbookUpdateAndDecaysOnlyItsGroup() {
        try (NDManager m = Compute.newManager()) {
            Parameter w = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT)
                    .optArray(m.create(new float[] {1f, -2f, 3f, 0.5f}, new Shape(2, 2))).build();
            Parameter b = Parameter.builder().setName("b").setType(Parameter.Type.BIAS)
                    .optArray(m.create(new float[] {1f, -1f})).build();
            w.getArray().setRequiresGradient(true);
            b.getArray().setRequiresGradient(true);
            PairList<String, Parameter> params = new PairList<>();
            params.add("b", b); // the buffer puts the decaying w first whatever the order here
            params.add("w", w);
            TrainSettings s = new TrainSettings(10, 1, 0.1f, 0.1f, 0, 0.5f, 0.9f, 0.99f, 1e-8f, 0f, 1, 1, 1, 0);
            float[] gw = {0.5f, -1f, 2f, 0f};
            float[] gb = {1f, 1f};
            double[] mw = new double[4];
            double[] vw = new double[4];
            double[] ew = {1, -2, 3, 0.5};
            double[] mb = new double[2];
            double[] vb = new double[2];
            double[] eb = {1, -1};
            try (AdamW opt = new AdamW(m, params, s, AdamW.NANO_GPT_DECAY)) {
                assertThat(opt.decays(w)).isTrue();
                assertThat(opt.decays(b)).isFalse();
                for (int t = 1; t <= 3; t++) {
                    float[] flat = new float[6];
                    System.arraycopy(gw, 0, flat, 0, 4);
                    System.arraycopy(gb, 0, flat, 4, 2);
                    opt.update(m.create(flat), 0.1f);
                    textbook(ew, mw, vw, gw, t, 0.5);
                    textbook(eb, mb, vb, gb, t, 0.0);
                }
                assertThat(w.getArray().toFloatArray()).containsExactly(toFloat(ew), offset(1e-5f));
                assertThat(b.getArray().toFloatArray()).containsExactly(toFloat(eb), offset(1e-5f));
                assertThat(opt.updates()).isEqualTo(3);
                // the parameters are views of one buffer now: decaying first
                w.getArray().getGradient(); // still attached for gradients
                assertThat(w.getArray().getShape()).isEqualTo(new Shape(2, 2));
            }
        }
    }

    /** PyTorch's AdamW, written out. */
    private static void textbook(double[] p, double[] mo, double[] ve, float[] g, int t, double wd) {
        double lr = 0.1;
        for (int i = 0; i < p.length; i++) {
            p[i] *= 1 - lr * wd;
            mo[i] = 0.9 * mo[i] + 0.1 * g[i];
            ve[i] = 0.99 * ve[i] + 0.01 * g[i] * g[i];
            double mh = mo[i] / (1 - Math.pow(0.9, t));
            double vh = ve[i] / (1 - Math.pow(0.99, t));
            p[i] -= lr * mh / (Math.sqrt(vh) + 1e-8);
        }
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    @Test
    void scheduleWarmsUpThenDecaysByCosineToTheMinimum() {
        LearningRateSchedule s = new LearningRateSchedule(1e-3f, 1e-4f, 100, 2000);
        assertThat(s.at(0)).isCloseTo(1e-3f / 101, offset(1e-9f));
        assertThat(s.at(99)).isCloseTo(1e-3f * 100 / 101, offset(1e-9f));
        assertThat(s.at(100)).isCloseTo(1e-3f, offset(1e-9f));
        assertThat(s.at(1050)).isCloseTo(5.5e-4f, offset(1e-7f));
        assertThat(s.at(2000)).isEqualTo(1e-4f);
        assertThat(s.at(5000)).isEqualTo(1e-4f);
        for (int i = 101; i < 2000; i++) {
            assertThat(s.at(i)).isLessThanOrEqualTo(s.at(i - 1));
        }
    }
}
