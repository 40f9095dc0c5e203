package art.atelier.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LayerTest {

    /**
     * A convolution to fewer channels than oneDNN's block (a generator's colours, a discriminator's
     * score) once gave NaN gradients at random on some machines (about one backward pass in twenty on
     * an AMD EPYC with AVX2 kernels): the padding of the block held left-over memory. The gradient
     * must be finite and the same every time, and equal to the gradient through an unpadded
     * computation of the same sum (a 1×1 output per filter, by hand).
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 3, 4, 24})
    void aNarrowConvolutionHasFiniteRepeatableGradients(int out) {
        Compute.init();
        try (NDManager m = Compute.newManager()) {
            Engine.getEngine("PyTorch").setRandomSeed(7);
            Layer layer = Layer.conv(64, out, 3, 1, 1, false, new NormalInitializer(0.02f));
            layer.initialize(m, DataType.FLOAT32, new Shape(16, 64, 32, 32));
            ParameterStore ps = new ParameterStore(m, false);
            float[] input = m.randomNormal(new Shape(16, 64, 32, 32)).toFloatArray();
            float[] first = null;
            for (int i = 0; i < 30; i++) {
                try (NDManager step = m.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray x = step.create(input, new Shape(16, 64, 32, 32));
                    x.setRequiresGradient(true);
                    NDArray y = layer.apply(ps, x, true);
                    y.attach(step);
                    assertThat(y.getShape()).isEqualTo(new Shape(16, out, 32, 32));
                    gc.backward(y.sum());
                    float[] g = x.getGradient().toFloatArray();
                    for (float v : g) {
                        assertThat(Float.isFinite(v)).as("gradient finite at repetition %d", i).isTrue();
                    }
                    if (first == null) {
                        first = g;
                    } else {
                        assertThat(java.util.Arrays.equals(g, first)).as("the same gradient at repetition %d", i).isTrue();
                    }
                }
            }
            // d/dx of Σ conv(x) is, at an interior pixel, the sum of every filter's weights per input channel
            float[] w = layer.getParameters().get("weight").getArray().toFloatArray();
            int channel = 5;
            double expected = 0;
            for (int o = 0; o < out; o++) {
                for (int k = 0; k < 9; k++) {
                    expected += w[(o * 64 + channel) * 9 + k];
                }
            }
            int interior = (channel * 32 + 10) * 32 + 10; // picture 0, channel 5, (10, 10)
            assertThat((double) first[interior]).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-5));
        }
    }
}
