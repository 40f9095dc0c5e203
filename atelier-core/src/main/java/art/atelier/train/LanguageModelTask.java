package art.atelier.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;

import art.atelier.nn.Compute;
import art.atelier.nn.Gpt;
import art.atelier.util.Rng;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Next-token training of a {@link Gpt} on {@link SequenceData}: the task the text and music media
 * and the VQ-VAE prior share. One step: draw a batch, forward, cross-entropy, backward, clip the
 * global gradient norm, AdamW with this step's learning rate.
 *
 * <p>Randomness: batches come from one {@link Rng} whose state is saved with the checkpoint;
 * dropout draws from libtorch's generator, reseeded from (seed, step) at every step; evaluation
 * batches from a generator seeded by (seed, step), so evaluating never disturbs training. Hence a
 * resumed run continues exactly.
 */
public final class LanguageModelTask implements TrainingLoop.Task {


    private final Gpt gpt;
    private final ParameterStore store;
    private final SequenceData data;
    private final TrainSettings settings;
    private final LearningRateSchedule schedule;
    private final AdamW optimizer;
    private final Rng rng; // batch order
    private final CheckpointWriter saver;

    /**
     * @param gpt the model, initialised
     * @param store its parameter store
     * @param data the training windows
     * @param settings how to train
     * @param optimizer the optimizer over the model's parameters
     * @param rng the batch generator, fresh or restored
     * @param saver writes checkpoints
     */
    public LanguageModelTask(Gpt gpt, ParameterStore store, SequenceData data, TrainSettings settings,
            AdamW optimizer, Rng rng, CheckpointWriter saver) {
        this.gpt = gpt;
        this.store = store;
        this.data = data;
        this.settings = settings;
        this.schedule = settings.schedule();
        this.optimizer = optimizer;
        this.rng = rng;
        this.saver = saver;
    }

    @Override
    public Map<String, Double> step(int step, NDManager scope) {
        if (gpt.config().dropout() > 0) {
            Compute.seed(settings.seed() * 1_000_003L + step);
        }
        float lr = schedule.at(step);
        SequenceData.Batch batch = data.sample(rng, settings.batch(), gpt.config().contextLength(), false, scope);
        float loss;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray logits = gpt.logits(store, batch.inputs(), batch.styles(), true);
            NDArray l = Gpt.loss(logits, batch.targets());
            collector.backward(l);
            loss = l.getFloat();
        }
        NDArray gradient = optimizer.gradient(scope);
        float norm = GradientClipping.clipGlobalNorm(gradient, settings.clipNorm());
        optimizer.update(gradient, lr);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("loss", (double) loss);
        m.put("lr", (double) lr);
        m.put("grad_norm", (double) norm);
        return m;
    }

    @Override
    public Map<String, Double> evaluate(int step, NDManager scope) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("train_loss", meanLoss(false, step, scope));
        if (data.hasValidation()) {
            m.put("val_loss", meanLoss(true, step, scope));
        }
        return m;
    }

    /**
     * Mean loss over the settings' number of evaluation batches.
     *
     * @param validationSplit which split
     * @param salt picks the batches (the same salt gives the same batches)
     * @param manager where arrays live
     * @return the mean loss
     */
    public double meanLoss(boolean validationSplit, long salt, NDManager manager) {
        return meanLoss(gpt, store, data, settings.batch(), settings.evalBatches(), validationSplit,
                new Rng(settings.seed() ^ (salt * 0x9E3779B97F4A7C15L) ^ (validationSplit ? 0x5A5A : 0xA5A5)),
                manager);
    }

    /**
     * @param gpt the model
     * @param store its parameter store
     * @param data the dataset
     * @param batch batch size
     * @param batches how many batches to average
     * @param validationSplit which split
     * @param rng picks the batches
     * @param manager where arrays live
     * @return the mean next-token cross-entropy, in nats
     */
    public static double meanLoss(Gpt gpt, ParameterStore store, SequenceData data, int batch, int batches,
            boolean validationSplit, Rng rng, NDManager manager) {
        double sum = 0;
        for (int i = 0; i < batches; i++) {
            try (NDManager s = manager.newSubManager()) {
                SequenceData.Batch b = data.sample(rng, batch, gpt.config().contextLength(), validationSplit, s);
                NDArray logits = gpt.logits(store, b.inputs(), b.styles(), false);
                sum += Gpt.loss(logits, b.targets()).getFloat();
            }
        }
        return sum / batches;
    }

    @Override
    public void save(Path directory, int step, Map<String, Double> lastStep, Map<String, Double> lastEvaluation)
            throws IOException {
        saver.save(directory, step, lastStep, lastEvaluation, rng.state());
    }
}
