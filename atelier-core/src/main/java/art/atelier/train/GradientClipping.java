package art.atelier.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;

import java.util.List;

/**
 * Clipping by the global norm (Pascanu et al. 2013): all gradients together are one vector; if its
 * L2 norm exceeds the limit, every gradient is scaled by limit / norm, so the direction is kept.
 * DJL's {@code optClipGrad} instead clamps each element from above, which changes the direction.
 */
public final class GradientClipping {

    private GradientClipping() {}

    /**
     * @param gradients the step's gradients (nulls are skipped); scaled in place when clipped
     * @param maxNorm the limit; 0 means measure only
     * @return the global norm before clipping
     */
    public static float clipGlobalNorm(List<NDArray> gradients, float maxNorm) {
        NDList norms = new NDList(gradients.size());
        for (NDArray g : gradients) {
            if (g != null) {
                norms.add(g.norm());
            }
        }
        if (norms.isEmpty()) {
            return 0f;
        }
        float total;
        try (NDArray stacked = NDArrays.stack(norms); NDArray norm = stacked.norm()) {
            total = norm.getFloat();
        } finally {
            norms.close();
        }
        if (maxNorm > 0 && total > maxNorm && Float.isFinite(total)) {
            float scale = maxNorm / (total + 1e-6f);
            for (NDArray g : gradients) {
                if (g != null) {
                    g.muli(scale);
                }
            }
        }
        return total;
    }
}
