package art.atelier.image.gan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class AdaptiveAugmentationTest {

    private static final double TARGET = 0.6;

    @Test
    void probabilityRisesWhileTheDiscriminatorOverfitsAndFallsWhileItDoesNot() {
        double step = 32.0 / GanTask.ADAPT_PICTURES;
        assertThat(GanTask.adapt(0.3, 0.9, TARGET, 32)).isCloseTo(0.3 + step, within(1e-12));
        assertThat(GanTask.adapt(0.3, 0.1, TARGET, 32)).isCloseTo(0.3 - step, within(1e-12));
        assertThat(GanTask.adapt(0.3, TARGET, TARGET, 32)).isEqualTo(0.3);
        assertThat(GanTask.adapt(0, -1, TARGET, 32)).isZero();
    }

    @Test
    void aDiscriminatorThatAlwaysOverfitsStopsAtTheLeakLimit() {
        double p = 0;
        for (int i = 0; i < 2 * GanTask.ADAPT_PICTURES / 32; i++) { // twice the pictures needed to reach 1
            p = GanTask.adapt(p, 1, TARGET, 32);
            assertThat(p).isLessThanOrEqualTo(GanTask.AUGMENT_P_MAX);
        }
        assertThat(p).isEqualTo(GanTask.AUGMENT_P_MAX);
        assertThat(GanTask.AUGMENT_P_MAX).isLessThan(1);
    }
}
