package art.atelier.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;

import art.atelier.nn.Compute;
import art.atelier.nn.Gpt;
import art.atelier.nn.GptConfig;

import org.junit.jupiter.api.Test;

class FlatParametersTest {

    @Test
    void parametersBecomeViewsOfOneBufferAndGradientsStillFlow() {
        Compute.init();
        GptConfig config = new GptConfig(7, 8, 1, 2, 8, 0f, true, 0);
        try (Model model = Model.newInstance("f", Compute.device(), "PyTorch")) {
            Gpt gpt = new Gpt(config);
            model.setBlock(gpt);
            gpt.initialize(model.getNDManager());
            float[] before = gpt.getParameters().get("wte").getArray().toFloatArray();
            try (FlatParameters flat = FlatParameters.adopt(model.getNDManager(), gpt.getParameters(),
                    AdamW.NANO_GPT_DECAY)) {
                assertThat(flat.size()).isEqualTo(config.parameterCount());
                NDArray wte = gpt.getParameters().get("wte").getArray();
                assertThat(wte.toFloatArray()).containsExactly(before);
                assertThat(flat.decays(gpt.getParameters().get("wte"))).isTrue();
                // writing into the buffer is writing into the parameter
                flat.values().muli(2);
                assertThat(wte.toFloatArray()[0]).isCloseTo(2 * before[0], offset(1e-7f));
                ParameterStore ps = new ParameterStore(model.getNDManager(), false);
                try (NDManager m = model.getNDManager().newSubManager()) {
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray x = m.create(new long[] {1, 2, 3}, new Shape(1, 3));
                        gc.backward(Gpt.loss(gpt.logits(ps, x, null, true), m.create(new long[] {2, 3, 4}, new Shape(1, 3))));
                    }
                    NDArray g = flat.gradient(m);
                    assertThat(g.getShape()).isEqualTo(new Shape(flat.size()));
                    assertThat(g.abs().sum().getFloat()).isGreaterThan(0f);
                    flat.zeroGradients();
                    assertThat(flat.gradient(m).abs().sum().getFloat()).isZero();
                }
            }
            // the views keep their storage after the buffer's own handle is gone
            assertThat(gpt.getParameters().get("wte").getArray().toFloatArray()[0]).isCloseTo(2 * before[0], offset(1e-7f));
        }
    }
}
