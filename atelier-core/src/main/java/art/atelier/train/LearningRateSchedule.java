package art.atelier.train;

/**
 * Linear warm-up to the peak, then cosine decay to the minimum at the last step (as in nanoGPT).
 *
 * @param peak learning rate after warm-up
 * @param min learning rate at and after {@code decaySteps}
 * @param warmup steps of linear warm-up
 * @param decaySteps the step at which the decay ends
 */
public record LearningRateSchedule(float peak, float min, int warmup, int decaySteps) {

    /**
     * @param step the 0-based step about to be taken
     * @return its learning rate
     */
    public float at(int step) {
        if (step < warmup) {
            return peak * (step + 1) / (warmup + 1);
        }
        if (step >= decaySteps || decaySteps <= warmup) {
            return min;
        }
        double ratio = (double) (step - warmup) / (decaySteps - warmup);
        double coefficient = 0.5 * (1.0 + Math.cos(Math.PI * ratio));
        return (float) (min + coefficient * (peak - min));
    }
}
