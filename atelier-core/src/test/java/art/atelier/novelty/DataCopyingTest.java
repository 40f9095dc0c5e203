package art.atelier.novelty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import art.atelier.util.Rng;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

class DataCopyingTest {

    private static final int DIM = 4;

    /** n points from a mixture of three Gaussians in DIM dimensions (σ = scale around fixed means). */
    private static double[][] gaussian(int n, double scale, long seed) {
        Rng rng = new Rng(seed);
        double[][] means = {{0, 0, 0, 0}, {6, 0, 3, 0}, {0, 6, 0, -3}};
        double[][] out = new double[n][DIM];
        for (int i = 0; i < n; i++) {
            double[] m = means[rng.nextInt(means.length)];
            for (int j = 0; j < DIM; j++) {
                out[i][j] = m[j] + scale * rng.nextGaussian();
            }
        }
        return out;
    }

    private static final double[][] TRAINING = gaussian(1000, 1.0, 1);
    private static final double[][] HELD_OUT = gaussian(500, 1.0, 2);

    @Test
    void generatedPointsThatAreTrainingPointsAreDataCopying() {
        double[][] copies = Arrays.copyOfRange(TRAINING, 0, 500);
        DataCopying.Report r = DataCopying.test(TRAINING, HELD_OUT, copies, 5, 7);
        assertThat(r.cT()).isLessThan(-10);
        assertThat(r.reading()).isEqualTo(DataCopying.Reading.DATA_COPYING);
        assertThat(r.summary()).startsWith("C_T = -").contains("data-copying");
        assertThat(r.cells()).hasSize(5).allSatisfy(c -> {
            assertThat(c.counted()).isTrue();
            assertThat(c.zU()).isLessThan(-3);
        });
        assertThat(r.cells().stream().mapToInt(DataCopying.Cell::training).sum()).isEqualTo(1000);
        assertThat(r.cells().stream().mapToInt(DataCopying.Cell::heldOut).sum()).isEqualTo(500);
        assertThat(r.cells().stream().mapToInt(DataCopying.Cell::generated).sum()).isEqualTo(500);
    }

    @Test
    void generatedPointsFromTheHeldOutDistributionShowNoEvidence() {
        for (long seed = 3; seed < 8; seed++) {
            DataCopying.Report r = DataCopying.test(TRAINING, HELD_OUT, gaussian(500, 1.0, 100 + seed), 5, seed);
            assertThat(Math.abs(r.cT())).as("seed %d", seed).isLessThan(2.0);
            assertThat(r.reading()).isEqualTo(DataCopying.Reading.NO_EVIDENCE);
        }
    }

    @Test
    void generatedPointsSpreadWiderThanTheDataAreUnderFitting() {
        DataCopying.Report r = DataCopying.test(TRAINING, HELD_OUT, gaussian(500, 1.6, 9), 5, 7);
        assertThat(r.cT()).isGreaterThan(DataCopying.SIGNIFICANT);
        assertThat(r.reading()).isEqualTo(DataCopying.Reading.UNDER_FITTING);
    }

    @Test
    void sparseCellsAreNotCountedAndTheWeightsAreHeldOutShares() {
        // 25 generated copies: only the cells that receive 20 or more of them count
        double[][] few = Arrays.copyOfRange(TRAINING, 0, 25);
        DataCopying.Report r = DataCopying.test(TRAINING, HELD_OUT, few, 3, 7);
        double weighted = 0;
        double weights = 0;
        for (DataCopying.Cell c : r.cells()) {
            assertThat(c.counted()).isEqualTo(c.generated() >= DataCopying.MIN_GENERATED);
            if (c.counted()) {
                weighted += c.heldOut() * c.zU();
                weights += c.heldOut();
            }
        }
        if (weights == 0) {
            assertThat(r.cT()).isNaN();
            assertThat(r.reading()).isEqualTo(DataCopying.Reading.UNDETERMINED);
        } else {
            assertThat(r.cT()).isCloseTo(weighted / weights, offset(1e-12));
        }
        DataCopying.Report none = DataCopying.test(TRAINING, HELD_OUT, Arrays.copyOfRange(TRAINING, 0, 10), 3, 7);
        assertThat(none.cT()).isNaN();
        assertThat(none.reading()).isEqualTo(DataCopying.Reading.UNDETERMINED);
        assertThat(none.summary()).contains("no cell of 3 holds 20 generated samples");
    }

    @Test
    void theSameSeedGivesTheSameReport() {
        double[][] g = gaussian(300, 1.0, 55);
        assertThat(DataCopying.test(TRAINING, HELD_OUT, g, 4, 11)).isEqualTo(DataCopying.test(TRAINING, HELD_OUT, g, 4, 11));
    }

    @Test
    void mannWhitneyByHandWithTies() {
        // a = {1, 2, 2}, b = {2, 3}: U = #(a > b) + ½ #(a = b) = 0 + ½ · 2 = 1; mn/2 = 3
        // ranks of 1 2 2 2 3: 1, 3, 3, 3, 5; one tied group of 3: Σ(t³ − t) = 24
        // σ² = 6/12 · (6 − 24 / 20) = 2.4
        assertThat(DataCopying.mannWhitneyZ(new double[] {1, 2, 2}, new double[] {2, 3}))
                .isCloseTo((1 - 3) / Math.sqrt(2.4), offset(1e-12));
        // without ties: a all above b → U = mn = 6, σ² = 6 · 6 / 12 = 3
        assertThat(DataCopying.mannWhitneyZ(new double[] {4, 5, 6}, new double[] {1, 2}))
                .isCloseTo(3 / Math.sqrt(3), offset(1e-12));
        assertThat(DataCopying.mannWhitneyZ(new double[] {2, 2}, new double[] {2})).isZero();
    }

    @Test
    void badInputsAreRefusedClearly() {
        double[][] t = {{0, 0}, {1, 1}};
        assertThatThrownBy(() -> DataCopying.test(t, new double[0][], t, 1, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("the held-out set is empty");
        assertThatThrownBy(() -> DataCopying.test(t, new double[][] {{0, 0, 0}}, t, 1, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("held-out point 0 has 3 values, expected 2");
        assertThatThrownBy(() -> DataCopying.test(t, t, new double[][] {{0, Double.NaN}}, 1, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("generated point 0 holds a non-finite value: NaN");
        assertThatThrownBy(() -> DataCopying.test(t, t, t, 3, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the number of cells must be between 1 and the 2 training points, was 3");
    }
}
