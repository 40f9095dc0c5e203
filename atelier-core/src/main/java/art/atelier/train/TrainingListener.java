package art.atelier.train;

import java.nio.file.Path;
import java.util.Map;

/**
 * The metrics stream of a training run. The CLI draws it as a progress bar, the studio as a live
 * chart, and {@link MetricsLog} keeps it as JSON lines; all see the same events.
 */
public interface TrainingListener {

    /**
     * @param name the model's name
     * @param startStep the step the run starts from (0, or a resumed checkpoint's step)
     * @param totalSteps the step it will end at
     */
    default void onStart(String name, int startStep, int totalSteps) {}

    /**
     * @param message something the user should know before or during the run (a skipped file, a
     *     shortened window), one plain line
     */
    default void onNote(String message) {}

    /**
     * @param report one finished step
     */
    default void onStep(StepReport report) {}

    /**
     * @param step steps done when the evaluation ran
     * @param metrics e.g. train_loss and val_loss
     */
    default void onEvaluation(int step, Map<String, Double> metrics) {}

    /**
     * @param step steps done at the checkpoint
     * @param directory where it was written
     */
    default void onCheckpoint(int step, Path directory) {}

    /**
     * @param result how the run ended
     */
    default void onEnd(TrainingResult result) {}

    /**
     * One step's report.
     *
     * @param step steps done, counting this one
     * @param totalSteps steps the run ends at
     * @param metrics the task's numbers for this step (loss, lr, grad_norm, …)
     * @param stepsPerSecond recent speed, smoothed
     * @param etaSeconds estimated time to the end at that speed
     * @param elapsedSeconds wall time of this run so far
     */
    record StepReport(int step, int totalSteps, Map<String, Double> metrics, double stepsPerSecond,
            double etaSeconds, double elapsedSeconds) {}

    /**
     * @param listeners several listeners
     * @return one listener that tells them all, in order
     */
    static TrainingListener all(TrainingListener... listeners) {
        return new TrainingListener() {
            @Override
            public void onStart(String name, int startStep, int totalSteps) {
                for (TrainingListener l : listeners) {
                    l.onStart(name, startStep, totalSteps);
                }
            }

            @Override
            public void onNote(String message) {
                for (TrainingListener l : listeners) {
                    l.onNote(message);
                }
            }

            @Override
            public void onStep(StepReport report) {
                for (TrainingListener l : listeners) {
                    l.onStep(report);
                }
            }

            @Override
            public void onEvaluation(int step, Map<String, Double> metrics) {
                for (TrainingListener l : listeners) {
                    l.onEvaluation(step, metrics);
                }
            }

            @Override
            public void onCheckpoint(int step, Path directory) {
                for (TrainingListener l : listeners) {
                    l.onCheckpoint(step, directory);
                }
            }

            @Override
            public void onEnd(TrainingResult result) {
                for (TrainingListener l : listeners) {
                    l.onEnd(result);
                }
            }
        };
    }
}
