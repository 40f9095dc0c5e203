package art.atelier.train;

import ai.djl.ndarray.NDManager;

import art.atelier.AtelierException;
import art.atelier.nn.Compute;
import art.atelier.util.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The one loop every model trains in: step, report, evaluate every N steps, checkpoint every M
 * steps and at the end, stop cleanly when asked. What a step does belongs to the {@link Task}; the
 * loop owns the cadence, the per-step memory scope, the timing and the atomic checkpoint writes.
 */
public final class TrainingLoop {

    /** What is being trained: a model, its data and its optimizers. */
    public interface Task {
        /**
         * Takes one optimisation step. Every array made during it belongs to {@code scope}, which is
         * closed right after, so memory stays flat however long the run.
         *
         * @param step the 0-based step
         * @param scope this step's manager
         * @return this step's numbers (e.g. "loss"); one that is not finite stops the run
         */
        Map<String, Double> step(int step, NDManager scope);

        /**
         * @param step steps done so far
         * @param scope the evaluation's manager
         * @return held-out numbers, e.g. train_loss and val_loss
         */
        Map<String, Double> evaluate(int step, NDManager scope);

        /**
         * Writes a complete checkpoint into an empty directory.
         *
         * @param directory where to write
         * @param step steps done
         * @param lastStep the last step's metrics
         * @param lastEvaluation the last evaluation's metrics
         * @throws IOException on failure
         */
        void save(Path directory, int step, Map<String, Double> lastStep, Map<String, Double> lastEvaluation)
                throws IOException;
    }

    /**
     * When to evaluate and save.
     *
     * @param name the model's name, for the listeners
     * @param startStep steps already done (0 for a new model)
     * @param totalSteps the step to end at
     * @param evalEvery steps between evaluations (and one at the end)
     * @param checkpointEvery steps between checkpoints (and one at the end)
     * @param modelDirectory the checkpoint directory, replaced atomically each time
     * @param attachments files written into every checkpoint beside what the task saves, by name (the
     *     corpus's novelty index, say: made once per run, kept with every checkpoint)
     */
    public record Plan(String name, int startStep, int totalSteps, int evalEvery, int checkpointEvery,
            Path modelDirectory, Map<String, byte[]> attachments) {

        /** Copies the attachments' map. */
        public Plan {
            attachments = Map.copyOf(attachments);
        }

        /** A plan with no attachments. */
        public Plan(String name, int startStep, int totalSteps, int evalEvery, int checkpointEvery,
                Path modelDirectory) {
            this(name, startStep, totalSteps, evalEvery, checkpointEvery, modelDirectory, Map.of());
        }
    }

    private TrainingLoop() {}

    /**
     * Runs the plan.
     *
     * @param task what to train
     * @param plan when to evaluate and save
     * @param root the manager step scopes hang from
     * @param listener the metrics stream
     * @param stopRequested polled before every step; when true the run saves and returns
     * @return how it ended
     */
    public static TrainingResult run(Task task, Plan plan, NDManager root, TrainingListener listener,
            BooleanSupplier stopRequested) {
        Compute.prepareThisThread();
        listener.onStart(plan.name(), plan.startStep(), plan.totalSteps());
        long begin = System.nanoTime();
        double[] stepMillis = new double[Math.max(0, plan.totalSteps() - plan.startStep())];
        Map<String, Double> lastStep = Map.of();
        Map<String, Double> lastEval = Map.of();
        double smoothed = 0; // seconds per step, exponentially averaged
        int step = plan.startStep();
        int saved = plan.startStep();
        boolean stopped = false;
        while (step < plan.totalSteps()) {
            if (stopRequested.getAsBoolean()) {
                stopped = true;
                break;
            }
            long t0 = System.nanoTime();
            try (NDManager scope = root.newSubManager()) {
                lastStep = task.step(step, scope);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            stepMillis[step - plan.startStep()] = seconds * 1000;
            for (Map.Entry<String, Double> e : lastStep.entrySet()) {
                if (!Double.isFinite(e.getValue())) {
                    throw new AtelierException("training diverged at step " + (step + 1) + " (" + e.getKey() + " "
                            + e.getValue() + "); the checkpoint of step " + saved + " is kept; try a lower learning"
                            + " rate");
                }
            }
            step++;
            smoothed = smoothed == 0 ? seconds : 0.95 * smoothed + 0.05 * seconds;
            listener.onStep(new TrainingListener.StepReport(step, plan.totalSteps(), lastStep, 1 / smoothed,
                    smoothed * (plan.totalSteps() - step), (System.nanoTime() - begin) / 1e9));
            if (step % plan.evalEvery() == 0 || step == plan.totalSteps()) {
                try (NDManager scope = root.newSubManager()) {
                    lastEval = task.evaluate(step, scope);
                }
                listener.onEvaluation(step, lastEval);
            }
            if (step % plan.checkpointEvery() == 0 || step == plan.totalSteps()) {
                save(task, plan, step, lastStep, lastEval, listener);
                saved = step;
            }
        }
        if (stopped && step != saved) {
            save(task, plan, step, lastStep, lastEval, listener);
        }
        double[] done = java.util.Arrays.copyOf(stepMillis, step - plan.startStep());
        TrainingResult result = new TrainingResult(plan.modelDirectory(), step, stopped, lastStep, lastEval,
                (System.nanoTime() - begin) / 1e9, done);
        listener.onEnd(result);
        return result;
    }

    private static void save(Task task, Plan plan, int step, Map<String, Double> lastStep,
            Map<String, Double> lastEval, TrainingListener listener) {
        try {
            AtomicFiles.replaceDirectory(plan.modelDirectory(), dir -> {
                task.save(dir, step, lastStep, lastEval);
                for (Map.Entry<String, byte[]> a : plan.attachments().entrySet()) {
                    Files.write(dir.resolve(a.getKey()), a.getValue());
                }
            });
        } catch (IOException e) {
            throw new AtelierException("could not write the checkpoint " + plan.modelDirectory() + ": "
                    + e.getMessage(), e);
        }
        listener.onCheckpoint(step, plan.modelDirectory());
    }
}
