package art.atelier.image.gan;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;

import art.atelier.image.GridWriter;
import art.atelier.image.ImageDataset;
import art.atelier.image.Picture;
import art.atelier.nn.Ops;
import art.atelier.train.AdamW;
import art.atelier.train.CheckpointWriter;
import art.atelier.train.FlatParameters;
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
 * One GAN training step, for either family: the discriminator's step, then the generator's, then the
 * moving average of the generator's weights.
 *
 * <p>The generator draws the step's fakes once, with its graph kept: the discriminator learns from
 * them detached (real and fake pictures, each augmented when the family augments), its optimizer
 * steps, and the generator then learns from the updated discriminator's verdict on the same fakes,
 * back through the kept graph (as PyTorch's DCGAN example does). The generator's step also leaves
 * gradients on the discriminator, which are zeroed. Only one gradient collector is open at a time.
 *
 * <p>All randomness (batches, latents, augmentation) comes from one {@link Rng} saved with the
 * checkpoint, so a resumed run continues exactly.
 */
public final class GanTask implements TrainingLoop.Task {



    /** Pictures in the grid of samples an artist watches. */
    public static final int GRID = 16;
    /**
     * Adaptive augmentation's speed: p can move from 0 to 1 in this many pictures shown (Karras et al.
     * use 500k for runs of tens of millions; ours are hours on a CPU, a few hundred thousand).
     */
    public static final int ADAPT_PICTURES = 100_000;
    /**
     * The most adaptive augmentation's probability may reach. Augmenting every picture the
     * discriminator sees lets the augmentations "leak" into the generator (Karras et al. 2020, §2.2:
     * only while some pictures go unaugmented must the generator match the unaugmented corpus; they
     * see leaks above about 0.8). With a BatchNorm discriminator the overfitting signal stays near 1
     * and p rose to 1 within the hour: on Twemoji at 64×64 the 60-minute pictures had recoloured
     * gradient backgrounds and KID 0.092, against 0.014 at 30 minutes with p at 0.72.
     */
    public static final double AUGMENT_P_MAX = 0.8;
    /** Latents the moving average's standing statistics are gathered over, and how many at a time. */
    static final int STANDING_PICTURES = 512;
    private static final int STANDING_BATCH = 64;
    /** The metric holding adaptive augmentation's probability, saved with every checkpoint. */
    public static final String AUGMENT_P = "augment_p";

    private final GanNetworks networks;
    private final ParameterStore store;
    private final ImageDataset data;
    private final TrainSettings settings;
    private final LearningRateSchedule schedule;
    private final AdamW generatorOptimizer;
    private final AdamW discriminatorOptimizer;
    private final Generator average; // the moving average of the generator, or null
    private final FlatParameters averageWeights; // its parameters in one buffer, laid out as the generator's
    private int standingStep = -1; // the step whose weights the average's standing statistics belong to
    private final Rng rng;
    private double p; // the probability of each augmentation: 1 for DiffAugment, adapted for adaptive augmentation
    private final CheckpointWriter saver;
    private final GridWriter grids;
    private final List<float[]> gridLatents = new ArrayList<>(); // fixed for the whole run
    private final List<float[]> gridStyles = new ArrayList<>();

    /**
     * @param networks the two players, initialised
     * @param store their parameter store
     * @param data the pictures
     * @param settings how to train
     * @param generatorOptimizer the generator's optimizer
     * @param discriminatorOptimizer the discriminator's optimizer
     * @param average the moving-average generator (initialised and adopted into {@code averageWeights}),
     *     or null
     * @param averageWeights its flat parameters, or null
     * @param rng the step generator, fresh or restored
     * @param augmentP adaptive augmentation's probability where the run stopped (0 for a fresh run);
     *     ignored unless the config adapts
     * @param saver writes checkpoints
     * @param grids receives sample grids
     */
    public GanTask(GanNetworks networks, ParameterStore store, ImageDataset data, TrainSettings settings,
            AdamW generatorOptimizer, AdamW discriminatorOptimizer, Generator average, FlatParameters averageWeights,
            Rng rng, double augmentP, CheckpointWriter saver, GridWriter grids) {
        this.networks = networks;
        this.store = store;
        this.data = data;
        this.settings = settings;
        this.schedule = settings.schedule();
        this.generatorOptimizer = generatorOptimizer;
        this.discriminatorOptimizer = discriminatorOptimizer;
        this.average = average;
        this.averageWeights = averageWeights;
        this.rng = rng;
        this.p = networks.config().augmentTarget() > 0 ? augmentP : 1;
        this.saver = saver;
        this.grids = grids;
        GanConfig c = networks.config();
        Rng fixed = new Rng(settings.seed()).fork(0x6121D);
        for (int i = 0; i < GRID; i++) {
            gridLatents.add(GanSampler.gaussian(fixed, c.latent()));
            gridStyles.add(c.styles() == 0 ? null : GanSampler.oneHot(c.styles(), i % c.styles()));
        }
    }

    @Override
    public Map<String, Double> step(int step, NDManager scope) {
        GanConfig c = networks.config();
        Generator g = networks.generator();
        Discriminator d = networks.discriminator();
        int b = settings.batch();
        float lr = schedule.at(step);
        ImageDataset.Batch real = data.sample(rng, b, false, scope);
        NDArray z = scope.create(latents(b, c.latent()), new Shape(b, c.latent()));
        NDArray styleWeights = c.styles() == 0 ? null : oneHots(real.styleIds(), c.styles(), scope);
        NDArray styles = c.styles() == 0 ? null : real.styles();

        NDArray fake;
        double dLoss;
        double realScore;
        double fakeScore;
        double overfit; // E[sign D(real)], adaptive augmentation's signal
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            fake = g.generate(store, z, styleWeights, true);
            NDArray detached = fake.stopGradient();
            NDArray[] scores = judge(d, augment(real.pictures(), scope), augment(detached, scope), styles, scope);
            // −log σ(D(x)) − log(1 − σ(D(G(z)))) = softplus(−D(x)) + softplus(D(G(z)))
            NDArray loss = Ops.softplus(scores[0].neg()).mean().add(Ops.softplus(scores[1]).mean());
            collector.backward(loss);
            dLoss = loss.getFloat();
            realScore = scores[0].mean().getFloat();
            fakeScore = scores[1].mean().getFloat();
            overfit = scores[0].sign().mean().getFloat();
        }
        discriminatorOptimizer.update(discriminatorOptimizer.gradient(scope), lr);

        double gLoss;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray score = d.score(store, augment(fake, scope), styles, true);
            NDArray loss = Ops.softplus(score.neg()).mean(); // the non-saturating generator loss
            collector.backward(loss);
            gLoss = loss.getFloat();
        }
        generatorOptimizer.update(generatorOptimizer.gradient(scope), lr);
        discriminatorOptimizer.zeroGradients();
        if (c.augmentTarget() > 0) {
            p = adapt(p, overfit, c.augmentTarget(), b); // this step's fakes were augmented with the old p
        }
        if (average != null) {
            updateAverage(step, scope);
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("d_loss", dLoss);
        m.put("g_loss", gLoss);
        m.put("d_real", realScore);
        m.put("d_fake", fakeScore);
        m.put("lr", (double) lr);
        if (c.augmentTarget() > 0) {
            m.put("r_t", overfit);
            m.put(AUGMENT_P, p);
        }
        return m;
    }

    /** Scores real and fake pictures: in one pass where the discriminator allows, else two. */
    private NDArray[] judge(Discriminator d, NDArray real, NDArray fake, NDArray styles, NDManager scope) {
        if (!d.batchIndependent()) {
            return new NDArray[] {d.score(store, real, styles, true), d.score(store, fake, styles, true)};
        }
        long b = real.getShape().get(0);
        NDArray both = NDArrays.concat(new NDList(real, fake), 0);
        NDArray bothStyles = styles == null ? null : NDArrays.concat(new NDList(styles, styles), 0);
        NDArray s = d.score(store, both, bothStyles, true);
        return new NDArray[] {s.get(new NDIndex("0:" + b)), s.get(new NDIndex(b + ":"))};
    }

    private NDArray augment(NDArray x, NDManager scope) {
        List<String> policies = networks.config().augment();
        return policies.isEmpty() ? x : DiffAugment.apply(x, policies, p, rng, scope);
    }

    private float[] latents(int batch, int latent) {
        return latents(rng, batch, latent);
    }

    private static float[] latents(Rng rng, int batch, int latent) {
        float[] z = new float[batch * latent];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) rng.nextGaussian();
        }
        return z;
    }

    private static NDArray oneHots(int[] ids, int styles, NDManager scope) {
        float[] w = new float[ids.length * styles];
        for (int i = 0; i < ids.length; i++) {
            w[i * styles + ids[i]] = 1f;
        }
        return scope.create(w, new Shape(ids.length, styles));
    }

    /**
     * Adaptive augmentation's controller: p moves by {@code pictures / ADAPT_PICTURES} towards more
     * augmentation while the discriminator's overfitting signal is above the target, towards less while
     * below, and stays within [0, {@link #AUGMENT_P_MAX}].
     */
    static double adapt(double p, double overfit, double target, int pictures) {
        double moved = p + Math.signum(overfit - target) * pictures / ADAPT_PICTURES;
        return Math.min(AUGMENT_P_MAX, Math.max(0, moved));
    }

    /**
     * average ← β·average + (1 − β)·generator, with β from the half-life in pictures, ramped up over
     * the first steps as StyleGAN2-ADA does (the half-life is at most 5% of the pictures shown so
     * far), so early pictures are not dominated by the random initialisation.
     */
    private void updateAverage(int step, NDManager scope) {
        int b = settings.batch();
        double halfLife = Math.min(networks.config().emaHalfLife(), (step + 1.0) * b * 0.05);
        float beta = (float) Math.pow(0.5, b / Math.max(halfLife, 1e-8));
        NDArray avg = averageWeights.values();
        NDArray now = generatorOptimizer.parameters().values().mul(1f - beta);
        now.attach(scope);
        avg.muli(beta).addi(now);
    }

    /**
     * Gives the moving average its own normalisation statistics ({@link Generator#standingStatistics})
     * before it draws or is saved: the trained generator's running statistics belong to its own
     * weights, and copied to the average (as StyleGAN does for its few such arrays) they blur its
     * pictures (measured in the package documentation).
     * Drawn from fixed latents, so a run and its resumed twin save the same statistics.
     */
    private void standingStatistics(int step) {
        if (average == null || step == standingStep) {
            return;
        }
        GanConfig c = networks.config();
        Rng fixed = new Rng(settings.seed()).fork(0x57A4D);
        try (NDManager s = averageWeights.values().getManager().newSubManager()) {
            List<NDArray[]> inputs = new ArrayList<>();
            for (int done = 0; done < STANDING_PICTURES; done += STANDING_BATCH) {
                NDArray z = s.create(latents(fixed, STANDING_BATCH, c.latent()), new Shape(STANDING_BATCH, c.latent()));
                NDArray styles = null;
                if (c.styles() > 0) {
                    int[] ids = new int[STANDING_BATCH];
                    for (int i = 0; i < ids.length; i++) {
                        ids[i] = (done + i) % c.styles(); // every style equally
                    }
                    styles = oneHots(ids, c.styles(), s);
                }
                inputs.add(new NDArray[] {z, styles});
            }
            average.standingStatistics(store, inputs);
        }
        standingStep = step;
    }

    /** @return the generator pictures are sampled from: the moving average where there is one */
    public Generator samplingGenerator() {
        return average != null ? average : networks.generator();
    }

    @Override
    public Map<String, Double> evaluate(int step, NDManager scope) {
        standingStatistics(step);
        GanSampler sampler = new GanSampler(samplingGenerator(), store);
        List<Picture> pictures = new ArrayList<>();
        for (int i = 0; i < GRID; i++) {
            pictures.add(sampler.draw(scope, gridLatents.get(i), gridStyles.get(i), 1f));
        }
        grids.write(step, Picture.grid(pictures, 4, 2));
        // The discriminator's mean score on training and held-out pictures: a widening gap means it
        // is memorising the corpus (the overfitting signal of Karras et al. 2020).
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("d_train", meanScore(false, step, scope));
        if (data.hasValidation()) {
            m.put("d_val", meanScore(true, step, scope));
        }
        return m;
    }

    private double meanScore(boolean validation, int step, NDManager scope) {
        Rng r = new Rng(settings.seed() ^ (step * 0x9E3779B97F4A7C15L) ^ (validation ? 0x5A5A : 0xA5A5));
        Discriminator d = networks.discriminator();
        double sum = 0;
        for (int i = 0; i < settings.evalBatches(); i++) {
            try (NDManager s = scope.newSubManager()) {
                ImageDataset.Batch batch = data.sample(r, settings.batch(), validation, s);
                sum += d.score(store, batch.pictures(), batch.styles(), false).mean().getFloat();
            }
        }
        return sum / settings.evalBatches();
    }

    @Override
    public void save(Path directory, int step, Map<String, Double> lastStep, Map<String, Double> lastEvaluation)
            throws IOException {
        standingStatistics(step);
        saver.save(directory, step, lastStep, lastEvaluation, rng.state());
    }
}
