package art.atelier.image.gan;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import art.atelier.nn.Compute;
import art.atelier.util.Rng;

import java.util.List;

import org.junit.jupiter.api.Test;

class DiffAugmentTest {

    private static final List<String> ALL = List.of("color", "translation", "cutout");

    /** How many of the batch's pictures differ from the originals. */
    private static int changed(NDArray original, NDArray augmented) {
        int b = (int) original.getShape().get(0);
        int n = (int) (original.size() / b);
        float[] a = original.toFloatArray();
        float[] c = augmented.toFloatArray();
        int count = 0;
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < n; j++) {
                if (Math.abs(a[i * n + j] - c[i * n + j]) > 1e-6) {
                    count++;
                    break;
                }
            }
        }
        return count;
    }

    @Test
    void eachPolicyAppliesToEachPictureWithTheGivenProbability() {
        Compute.init();
        try (NDManager m = Compute.newManager()) {
            Rng pixels = new Rng(3);
            float[] v = new float[200 * 3 * 8 * 8];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (pixels.nextDouble() * 1.6 - 0.8);
            }
            NDArray x = m.create(v, new Shape(200, 3, 8, 8));
            assertThat(DiffAugment.apply(x, ALL, 0, new Rng(1), m)).isSameAs(x); // p = 0: left alone, nothing drawn
            assertThat(changed(x, DiffAugment.apply(x, ALL, 1, new Rng(1), m))).isEqualTo(200);
            // one policy at p = 0.3: about 30% of the pictures move (a shift of 0 in both axes leaves one alone)
            int moved = changed(x, DiffAugment.apply(x, List.of("color"), 0.3, new Rng(1), m));
            assertThat(moved).isBetween(40, 80);
            // three policies at p = 0.3: a picture escapes all three with probability 0.7³ ≈ 0.34
            int any = changed(x, DiffAugment.apply(x, ALL, 0.3, new Rng(1), m));
            assertThat(any).isBetween(110, 155);
            // the same generator state gives the same augmentation
            assertThat(DiffAugment.apply(x, ALL, 0.3, new Rng(9), m).toFloatArray())
                    .isEqualTo(DiffAugment.apply(x, ALL, 0.3, new Rng(9), m).toFloatArray());
        }
    }
}
