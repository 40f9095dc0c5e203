package art.atelier.image.gan;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

import art.atelier.nn.Compute;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StandingStatisticsTest {

    /**
     * In a training pass every BatchNorm normalises by the statistics of its input over the batch.
     * Standing statistics gathered over that same batch, layer by layer, must make an inference pass
     * draw the same pictures; the running statistics the generator had before (here: never updated)
     * draw others.
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 2})
    void anInferencePassWithStandingStatisticsDrawsWhatATrainingPassDraws(int styles) {
        Compute.init();
        GanConfig c = GanConfig.of(GanConfig.ATELIER, 16, 3, styles);
        try (Model model = Model.newInstance("standing", Compute.device(), "PyTorch")) {
            Generator g = GanNetworks.newGenerator(c);
            model.setBlock(g);
            Compute.seed(5);
            GanNetworks.initialize(g, model.getNDManager());
            ParameterStore ps = new ParameterStore(model.getNDManager(), false);
            NDManager m = model.getNDManager();
            int b = 96;
            Random r = new Random(11);
            float[] z = new float[b * c.latent()];
            for (int i = 0; i < z.length; i++) {
                z[i] = (float) r.nextGaussian();
            }
            NDArray latents = m.create(z, new Shape(b, c.latent()));
            NDArray weights = null;
            if (styles > 0) {
                float[] w = new float[b * styles];
                for (int i = 0; i < b; i++) {
                    w[i * styles + i % styles] = 1f;
                }
                weights = m.create(w, new Shape(b, styles));
            }
            float[] before = g.generate(ps, latents, weights, false).toFloatArray();
            float[] training = g.generate(ps, latents, weights, true).toFloatArray();
            g.standingStatistics(ps, List.of(new NDArray[] {latents.get("0:48"), weights == null ? null : weights.get("0:48")},
                    new NDArray[] {latents.get("48:"), weights == null ? null : weights.get("48:")}));
            float[] standing = g.generate(ps, latents, weights, false).toFloatArray();
            double worst = 0;
            double moved = 0;
            for (int i = 0; i < training.length; i++) {
                worst = Math.max(worst, Math.abs(standing[i] - training[i]));
                moved = Math.max(moved, Math.abs(before[i] - training[i]));
            }
            assertThat(worst).as("largest difference from the training pass").isLessThan(2e-3);
            assertThat(moved).as("the statistics before were others").isGreaterThan(0.05);
        }
    }
}
