package art.atelier.train;

import java.nio.file.Path;
import java.util.Map;

/**
 * How a training run ended.
 *
 * @param modelDirectory the checkpoint directory
 * @param step steps done in all
 * @param stopped true if the run was asked to stop before its last step
 * @param lastStep the last step's metrics
 * @param lastEvaluation the last evaluation's metrics (empty if none ran)
 * @param wallSeconds wall time of this run, evaluations and checkpoints included
 * @param stepMillis the duration of every step of this run, in order
 */
public record TrainingResult(Path modelDirectory, int step, boolean stopped, Map<String, Double> lastStep,
        Map<String, Double> lastEvaluation, double wallSeconds, double[] stepMillis) {

    /**
     * @param skip steps to leave out at the start (JIT warm-up)
     * @return the median step time in milliseconds
     */
    public double medianStepMillis(int skip) {
        int from = Math.min(skip, Math.max(0, stepMillis.length - 1));
        return art.atelier.util.Stats.median(java.util.Arrays.copyOfRange(stepMillis, from, stepMillis.length));
    }
}
