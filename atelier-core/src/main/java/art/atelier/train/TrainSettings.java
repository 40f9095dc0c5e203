package art.atelier.train;

import art.atelier.UsageException;

/**
 * How a model is trained; saved in its checkpoint so that a resumed run trains exactly as the first.
 *
 * @param steps optimisation steps in all (a resumed run continues up to this number)
 * @param batch sequences (or pictures) per step
 * @param learningRate peak learning rate, reached after warm-up
 * @param minLearningRate learning rate at the end of the cosine decay
 * @param warmupSteps steps of linear warm-up from 0 to the peak
 * @param weightDecay AdamW's decoupled weight decay, for the decaying parameter group only
 * @param beta1 AdamW's first-moment decay
 * @param beta2 AdamW's second-moment decay
 * @param epsilon AdamW's denominator guard
 * @param clipNorm the global gradient norm is scaled down to this when above it; 0 for no clipping
 * @param evalEvery steps between evaluations on the held-out split
 * @param evalBatches batches averaged in one evaluation
 * @param checkpointEvery steps between checkpoints (one is always written at the end)
 * @param seed the seed of initialisation, data order and dropout
 */
public record TrainSettings(
        int steps,
        int batch,
        float learningRate,
        float minLearningRate,
        int warmupSteps,
        float weightDecay,
        float beta1,
        float beta2,
        float epsilon,
        float clipNorm,
        int evalEvery,
        int evalBatches,
        int checkpointEvery,
        long seed) {

    /** Checks every field; a bad value is a usage error naming it. */
    public TrainSettings {
        require(steps >= 1, "steps must be at least 1, was " + steps);
        require(batch >= 1, "batch must be at least 1, was " + batch);
        require(learningRate > 0 && Float.isFinite(learningRate), "learning rate must be positive, was " + learningRate);
        require(minLearningRate >= 0 && minLearningRate <= learningRate,
                "the minimum learning rate must be in [0, lr], was " + minLearningRate);
        require(warmupSteps >= 0, "warm-up steps must not be negative");
        require(weightDecay >= 0, "weight decay must not be negative");
        require(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1, "betas must be in [0, 1)");
        require(epsilon > 0, "epsilon must be positive");
        require(clipNorm >= 0, "the clipping norm must not be negative");
        require(evalEvery >= 1 && evalBatches >= 1, "evaluation interval and batches must be positive");
        require(checkpointEvery >= 1, "checkpoint interval must be positive");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new UsageException(message);
        }
    }

    /**
     * nanoGPT's settings for the baby Shakespeare model, scaled to a number of steps.
     *
     * @param steps total steps
     * @param batch batch size
     * @param learningRate peak learning rate
     * @param seed seed
     * @return the settings
     */
    public static TrainSettings nanoGpt(int steps, int batch, float learningRate, long seed) {
        int warmup = Math.min(100, Math.max(0, steps / 20));
        return new TrainSettings(steps, batch, learningRate, learningRate / 10, warmup, 0.1f, 0.9f, 0.99f, 1e-8f,
                1.0f, Math.min(250, Math.max(1, steps / 4)), 20, Math.min(500, Math.max(1, steps / 4)), seed);
    }

    /** @return the learning-rate schedule these settings describe */
    public LearningRateSchedule schedule() {
        return new LearningRateSchedule(learningRate, minLearningRate, warmupSteps, steps);
    }

    /**
     * @param n new total steps
     * @return these settings with that many steps
     */
    public TrainSettings withSteps(int n) {
        return new TrainSettings(n, batch, learningRate, minLearningRate, warmupSteps, weightDecay, beta1, beta2,
                epsilon, clipNorm, evalEvery, evalBatches, checkpointEvery, seed);
    }

    /**
     * @param every steps between evaluations
     * @param batches batches per evaluation
     * @return these settings with that evaluation cadence
     */
    public TrainSettings withEvaluation(int every, int batches) {
        return new TrainSettings(steps, batch, learningRate, minLearningRate, warmupSteps, weightDecay, beta1, beta2,
                epsilon, clipNorm, every, batches, checkpointEvery, seed);
    }

    /**
     * @param every steps between checkpoints
     * @return these settings with that checkpoint cadence
     */
    public TrainSettings withCheckpointEvery(int every) {
        return new TrainSettings(steps, batch, learningRate, minLearningRate, warmupSteps, weightDecay, beta1, beta2,
                epsilon, clipNorm, evalEvery, evalBatches, every, seed);
    }
}
