package art.atelier.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RngTest {

    @Test
    void sameSeedSameStreamAndRestoreContinuesExactly() {
        Rng a = new Rng(42);
        Rng b = new Rng(42);
        for (int i = 0; i < 100; i++) {
            assertThat(a.nextLong()).isEqualTo(b.nextLong());
        }
        long[] saved = a.state();
        long next = a.nextLong();
        assertThat(Rng.restore(saved).nextLong()).isEqualTo(next);
        assertThat(new Rng(43).nextLong()).isNotEqualTo(new Rng(42).nextLong());
    }

    @Test
    void boundedIntsAreInRangeAndRoughlyUniform() {
        Rng r = new Rng(7);
        int[] counts = new int[10];
        for (int i = 0; i < 100_000; i++) {
            int v = r.nextInt(10);
            assertThat(v).isBetween(0, 9);
            counts[v]++;
        }
        for (int c : counts) {
            assertThat(c).isBetween(9_500, 10_500);
        }
        double sum = 0;
        double sq = 0;
        for (int i = 0; i < 100_000; i++) {
            double g = r.nextGaussian();
            sum += g;
            sq += g * g;
        }
        assertThat(sum / 100_000).isBetween(-0.02, 0.02);
        assertThat(sq / 100_000).isBetween(0.97, 1.03);
    }

    @Test
    void refusesBadStates() {
        assertThatThrownBy(() -> Rng.restore(new long[] {0, 0, 0, 0})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Rng.restore(new long[] {1, 2})).isInstanceOf(IllegalArgumentException.class);
    }
}
