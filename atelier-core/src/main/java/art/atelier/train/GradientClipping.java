package art.atelier.train;

import ai.djl.ndarray.NDArray;


/**
 * Clipping by the global norm (Pascanu et al. 2013): all gradients together are one vector; if its
 * L2 norm exceeds the limit, every gradient is scaled by limit / norm, so the direction is kept.
 * DJL's {@code optClipGrad} instead clamps each element from above, which changes the direction.
 */
public final class GradientClipping {

    private GradientClipping() {}

    /**
     * @param gradient every parameter's gradient as one array; scaled in place when clipped
     * @param maxNorm the limit; 0 means measure only
     * @return the global norm before clipping
     */
    public static float clipGlobalNorm(NDArray gradient, float maxNorm) {
        float total;
        try (NDArray norm = gradient.norm()) {
            total = norm.getFloat();
        }
        if (maxNorm > 0 && total > maxNorm && Float.isFinite(total)) {
            gradient.muli(maxNorm / (total + 1e-6f));
        }
        return total;
    }
}
