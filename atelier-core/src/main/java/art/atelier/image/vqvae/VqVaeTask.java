package art.atelier.image.vqvae;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;

import art.atelier.image.GridWriter;
import art.atelier.image.ImageDataset;
import art.atelier.image.Picture;
import art.atelier.nn.SamplingSettings;
import art.atelier.train.AdamW;
import art.atelier.train.CheckpointWriter;
import art.atelier.train.LanguageModelTask;
import art.atelier.train.LearningRateSchedule;
import art.atelier.train.TrainSettings;
import art.atelier.train.TrainingLoop;
import art.atelier.util.Rng;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The VQ-VAE's two stages in one run of the shared loop: steps [0, A) train the autoencoder, steps
 * [A, A + P) the prior on the code grids of the corpus as the finished autoencoder encodes it.
 *
 * <p>An autoencoder step: encode, quantize, decode; loss = ‖x̂ − x‖² + β‖z_e − sg(e)‖², averaged per
 * value; Adam on the encoder and decoder; then the codebook's moving averages and the dead-code
 * restart from the same batch. At the very first step the codebook is set from the first batch's
 * encoder outputs (k-means, or random outputs). A prior step is the text medium's
 * {@link LanguageModelTask} over {@link CodeGrids}.
 *
 * <p>All randomness (batches, restarts, the prior's batches) comes from one {@link Rng} saved with the
 * checkpoint, so a resumed run continues exactly, in either stage.
 */
public final class VqVaeTask implements TrainingLoop.Task {



    /** Pictures in an evaluation's grid. */
    public static final int GRID = 8;

    private final VqVae vq;
    private final ParameterStore store;
    private final ImageDataset pictures;
    private final TrainSettings settings; // the autoencoder's (its steps: both stages)
    private final TrainSettings priorSettings;
    private final int autoencoderSteps;
    private final boolean mirror;
    private final LearningRateSchedule schedule;
    private final AdamW autoencoderOptimizer;
    private final AdamW priorOptimizer;
    private final Rng rng;
    private final CheckpointWriter saver;
    private final GridWriter grids;
    private final Map<String, Double> autoencoderEvaluation = new LinkedHashMap<>(); // its last numbers
    private boolean finalEvaluation; // whether they are of the finished autoencoder
    private LanguageModelTask prior; // made at the start of the second stage

    /**
     * @param vq the model, initialised (or loaded)
     * @param store its parameter store
     * @param pictures the corpus's pictures
     * @param settings the autoencoder's settings; their steps are both stages'
     * @param priorSettings the prior's settings; their steps are the prior's
     * @param mirror whether the prior also learns every training picture's mirror image
     * @param autoencoderOptimizer over the encoder and decoder
     * @param priorOptimizer over the prior
     * @param rng the step generator, fresh or restored
     * @param saver writes checkpoints
     * @param grids receives picture grids
     */
    public VqVaeTask(VqVae vq, ParameterStore store, ImageDataset pictures, TrainSettings settings,
            TrainSettings priorSettings, boolean mirror, AdamW autoencoderOptimizer, AdamW priorOptimizer, Rng rng,
            CheckpointWriter saver, GridWriter grids) {
        this.vq = vq;
        this.store = store;
        this.pictures = pictures;
        this.settings = settings;
        this.priorSettings = priorSettings;
        this.autoencoderSteps = settings.steps() - priorSettings.steps();
        this.mirror = mirror;
        this.schedule = settings.schedule();
        this.autoencoderOptimizer = autoencoderOptimizer;
        this.priorOptimizer = priorOptimizer;
        this.rng = rng;
        this.saver = saver;
        this.grids = grids;
    }

    @Override
    public Map<String, Double> step(int step, NDManager scope) {
        if (step < autoencoderSteps) {
            return autoencoderStep(step, scope);
        }
        return prior(scope).step(step - autoencoderSteps, scope);
    }

    private Map<String, Double> autoencoderStep(int step, NDManager scope) {
        ImageDataset.Batch batch = pictures.sample(rng, settings.batch(), false, scope);
        NDArray x = batch.pictures();
        VectorQuantizer quantizer = vq.quantizer();
        if (step == 0) {
            NDArray ze = vq.encode(store, x, false);
            quantizer.initializeFrom(ze.transpose(0, 2, 3, 1).reshape(-1, vq.config().codeDim()), rng);
        }
        float lr = schedule.at(step);
        VectorQuantizer.Quantized q;
        double mse;
        double loss;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray ze = vq.encode(store, x, true);
            q = quantizer.quantize(ze);
            NDArray reconstruction = vq.decode(store, q.straightThrough(), true);
            NDArray error = reconstruction.sub(x).square().mean();
            NDArray l = error.add(q.commitment());
            collector.backward(l);
            mse = error.getFloat();
            loss = l.getFloat();
        }
        autoencoderOptimizer.update(autoencoderOptimizer.gradient(scope), lr);
        VectorQuantizer.Update update = quantizer.update(q, rng);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("loss", loss);
        m.put("mse", mse / 4); // on the [0, 1] scale of pixel values
        m.put("psnr", psnr(mse));
        m.put("perplexity", update.perplexity());
        m.put("restarted", (double) update.restarted());
        m.put("lr", (double) lr);
        return m;
    }

    /** @return PSNR in dB of a mean squared error on the [-1, 1] scale (peak-to-peak 2) */
    static double psnr(double mseSigned) {
        return 10 * Math.log10(4.0 / Math.max(mseSigned, 1e-12));
    }

    private LanguageModelTask prior(NDManager scope) {
        if (prior == null) {
            // the finished autoencoder's numbers, measured again (deterministically) on a resume too,
            // since the last evaluation may have come before its last steps
            if (!finalEvaluation) {
                autoencoderEvaluation.clear();
                autoencoderEvaluation.putAll(evaluateAutoencoder(autoencoderSteps, scope, false));
                finalEvaluation = true;
            }
            CodeGrids grids = encodeCorpus(scope);
            prior = new LanguageModelTask(vq.prior(), store, grids, priorSettings, priorOptimizer, rng,
                    saver);
        }
        return prior;
    }

    /** The corpus as code grids: training pictures (and their mirror images) and held-out ones. */
    private CodeGrids encodeCorpus(NDManager scope) {
        List<int[]> train = new ArrayList<>();
        List<Integer> trainStyles = new ArrayList<>();
        encode(pictures.train(), pictures.trainStyles(), false, train, trainStyles, scope);
        if (mirror) {
            encode(pictures.train(), pictures.trainStyles(), true, train, trainStyles, scope);
        }
        List<int[]> validation = new ArrayList<>();
        List<Integer> validationStyles = new ArrayList<>();
        encode(pictures.validation(), pictures.validationStyles(), false, validation, validationStyles, scope);
        return new CodeGrids(train, trainStyles.stream().mapToInt(Integer::intValue).toArray(), validation,
                validationStyles.stream().mapToInt(Integer::intValue).toArray(), vq.config().styled(),
                vq.config().startToken());
    }

    private void encode(List<Picture> list, int[] styles, boolean mirrored, List<int[]> out, List<Integer> outStyles,
            NDManager scope) {
        out.addAll(vq.grids(store, list, mirrored, scope));
        for (int style : styles) {
            outStyles.add(style);
        }
    }

    @Override
    public Map<String, Double> evaluate(int step, NDManager scope) {
        if (step <= autoencoderSteps) {
            Map<String, Double> m = evaluateAutoencoder(step, scope, true);
            autoencoderEvaluation.clear();
            autoencoderEvaluation.putAll(m);
            finalEvaluation = step == autoencoderSteps;
            return m;
        }
        Map<String, Double> m = new LinkedHashMap<>(autoencoderEvaluation);
        Map<String, Double> p = prior(scope).evaluate(step - autoencoderSteps, scope);
        for (Map.Entry<String, Double> e : p.entrySet()) {
            m.put("prior_" + e.getKey(), e.getValue());
        }
        Double held = p.getOrDefault("val_loss", p.get("train_loss"));
        m.put("prior_bits_per_dim", bitsPerDim(held, vq.config()));
        writeSamples(step, scope);
        return m;
    }

    /**
     * @param nats the prior's mean negative log-likelihood per code, in nats
     * @param c the model
     * @return the same, in bits per picture value (per pixel and channel): the whole grid's bits
     *     over the picture's S·S·C values
     */
    public static double bitsPerDim(double nats, VqVaeConfig c) {
        double codes = (double) c.grid() * c.grid();
        return nats * codes / Math.log(2) / ((double) c.size() * c.size() * c.channels());
    }

    /**
     * The autoencoder on held-out pictures (training pictures when none are held out): reconstruction
     * error, PSNR, the codes' perplexity and how many distinct codes they use.
     */
    private Map<String, Double> evaluateAutoencoder(int step, NDManager scope, boolean writeGrid) {
        boolean validation = pictures.hasValidation();
        Rng r = new Rng(settings.seed() ^ 0x5EED_0F_E7A1L);
        double error = 0;
        int k = vq.config().codes();
        double[] counts = new double[k];
        try (NDManager s = scope.newSubManager()) {
            for (int i = 0; i < settings.evalBatches(); i++) {
                ImageDataset.Batch b = pictures.sample(r, settings.batch(), validation, s);
                NDArray codes = vq.codes(store, b.pictures());
                NDArray reconstruction = vq.picture(store, codes);
                error += reconstruction.sub(b.pictures()).square().mean().getFloat();
                for (long c : codes.toLongArray()) {
                    counts[(int) c]++;
                }
                if (i == 0 && writeGrid) {
                    writeReconstructions(step, b.pictures(), reconstruction);
                }
            }
            double mse = error / settings.evalBatches();
            int inUse = 0;
            for (double c : counts) {
                inUse += c > 0 ? 1 : 0;
            }
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("val_mse", mse / 4);
            m.put("val_psnr", psnr(mse));
            m.put("val_perplexity", VectorQuantizer.perplexity(counts));
            m.put("codes_used", (double) inUse);
            return m;
        }
    }

    private void writeReconstructions(int step, NDArray originals, NDArray reconstructions) {
        VqVaeConfig c = vq.config();
        int n = (int) Math.min(GRID, originals.getShape().get(0));
        float[] a = originals.toFloatArray();
        float[] b = reconstructions.toFloatArray();
        int plane = c.channels() * c.size() * c.size();
        List<Picture> cells = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            cells.add(Picture.fromSigned(a, i * plane, c.channels(), c.size(), c.size()));
        }
        for (int i = 0; i < n; i++) {
            cells.add(Picture.fromSigned(b, i * plane, c.channels(), c.size(), c.size()));
        }
        grids.write(step, Picture.grid(cells, n, 2));
    }

    private void writeSamples(int step, NDManager scope) {
        VqVaeSampler sampler = new VqVaeSampler(vq, store);
        int styles = vq.config().prior().styles();
        List<Picture> cells = new ArrayList<>();
        for (int i = 0; i < 2 * GRID; i++) {
            Rng r = new Rng(settings.seed()).fork(0x6121D + i);
            int[] codes = sampler.sample(scope, styles == 0 ? -1 : i % styles, SamplingSettings.defaults(), r, null,
                    null);
            cells.add(sampler.picture(scope, codes));
        }
        grids.write(step, Picture.grid(cells, GRID, 2));
    }

    @Override
    public void save(Path directory, int step, Map<String, Double> lastStep, Map<String, Double> lastEvaluation)
            throws IOException {
        saver.save(directory, step, lastStep, lastEvaluation, rng.state());
    }
}
