package art.atelier.image;

import ai.djl.ndarray.NDManager;

import art.atelier.AtelierException;
import art.atelier.UsageException;
import art.atelier.Workspace;
import art.atelier.corpus.BadFilePolicy;
import art.atelier.corpus.ImageCorpus;
import art.atelier.image.gan.GanSampler;
import art.atelier.image.vqvae.VqVaeConfig;
import art.atelier.image.vqvae.VqVaeModel;
import art.atelier.image.vqvae.VqVaeSampler;
import art.atelier.nn.Compute;
import art.atelier.nn.SamplingSettings;
import art.atelier.novelty.DataCopying;
import art.atelier.novelty.PictureFeatures;
import art.atelier.train.ModelCard;
import art.atelier.util.Rng;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code atelier data-copying NAME}: the three-sample data-copying test of Meehan, Chaudhuri and
 * Dasgupta (2020) for a picture model. The model's corpus is split as it was in training; the
 * model draws pictures (seeds 0 to count−1); all three sets are placed in the novelty feature space
 * ({@link PictureFeatures}), and {@link DataCopying} compares, cell by cell, how close the generated
 * pictures and the held-out pictures come to the training pictures. A model that copies its training
 * pictures puts its samples closer to them than unseen pictures of the same kind are.
 */
public final class ImageCopying {

    private ImageCopying() {}

    /**
     * The test's outcome for one model.
     *
     * @param model the model's name
     * @param step its training steps
     * @param train training pictures
     * @param heldOut held-out pictures
     * @param generated pictures drawn
     * @param result the test
     */
    public record Report(String model, int step, int train, int heldOut, int generated, DataCopying.Report result) {}

    /**
     * @param ws the workspace
     * @param name the picture model
     * @param data the corpus, or null for the folder it was trained on
     * @param count pictures to draw
     * @param cells cells to partition the feature space into
     * @param progress told what is being done
     * @return the report
     */
    public static Report test(Workspace ws, String name, Path data, int count, int cells, Consumer<String> progress) {
        if (count < 20) {
            throw new UsageException("--count must be at least 20, was " + count);
        }
        if (cells < 1) {
            throw new UsageException("--cells must be at least 1, was " + cells);
        }
        ModelCard card = ImageGeneration.pictureCard(ws, name);
        Path corpusPath = data != null ? data : Path.of(card.corpus().path());
        if (!Files.exists(corpusPath)) {
            throw new UsageException("the corpus of '" + name + "' is no longer at " + corpusPath + "; give --data");
        }
        progress.accept("reading the corpus " + corpusPath);
        ImageCorpus corpus = ImageCorpus.load(corpusPath, ImageModel.format(card), BadFilePolicy.SKIP);
        if (!corpus.fingerprint().equals(card.corpus().fingerprint())) {
            throw new UsageException(corpusPath + " is not the corpus '" + name + "' was trained on (fingerprint "
                    + corpus.fingerprint() + ", the model's " + card.corpus().fingerprint() + "): the test needs the"
                    + " same training and held-out pictures");
        }
        ImageCorpus.Split split = corpus.split(ImageTraining.TRAIN_FRACTION, card.training().seed());
        if (split.validation().size() < 2) {
            throw new UsageException("the corpus of '" + name + "' has " + split.validation().size() + " held-out"
                    + " pictures; the test compares the model's pictures with held-out ones and needs more");
        }
        progress.accept("drawing " + count + " pictures");
        List<Picture> generated = draw(ws, card, count);
        progress.accept("comparing");
        DataCopying.Report r = DataCopying.test(features(split.train().stream().map(ImageCorpus.Item::picture)
                .toList()), features(split.validation().stream().map(ImageCorpus.Item::picture).toList()),
                features(generated), cells, card.training().seed());
        return new Report(name, card.step(), split.train().size(), split.validation().size(), count, r);
    }

    private static double[][] features(List<Picture> pictures) {
        double[][] out = new double[pictures.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = PictureFeatures.of(pictures.get(i));
        }
        return out;
    }

    /**
     * The pictures a model's measures are taken on ({@code data-copying}, {@code score}): seeds 0 to
     * count−1, the style drawn by the seed, no truncation (GAN) or plain sampling (VQ-VAE prior).
     *
     * @param ws the workspace
     * @param card the picture model
     * @param count how many
     * @return the pictures, in seed order
     */
    static List<Picture> draw(Workspace ws, ModelCard card, int count) {
        List<Picture> out = new ArrayList<>();
        try {
            if (VqVaeConfig.FAMILY.equals(card.family())) {
                try (VqVaeModel model = VqVaeModel.load(ws.model(card.name()), card);
                        NDManager manager = model.model().getNDManager().newSubManager()) {
                    if (!model.priorTrained()) {
                        throw new UsageException("model '" + card.name() + "' has not trained its prior yet");
                    }
                    Compute.prepareThisThread();
                    VqVaeSampler sampler = model.sampler();
                    SamplingSettings plain = new SamplingSettings(1f, 0, 1f, 1f, 1, true);
                    for (int i = 0; i < count; i++) {
                        Rng rng = new Rng(i);
                        String style = ImageGeneration.pickStyle(card, null, rng);
                        int styleId = style == null ? -1 : card.styles().indexOf(style);
                        try (NDManager scope = manager.newSubManager()) {
                            out.add(sampler.picture(scope, sampler.sample(scope, styleId, plain, rng, null, null)));
                        }
                    }
                }
            } else {
                try (ImageModel model = ImageModel.load(ws.model(card.name()), card);
                        NDManager manager = model.model().getNDManager().newSubManager()) {
                    Compute.prepareThisThread();
                    GanSampler sampler = model.sampler();
                    for (int i = 0; i < count; i++) {
                        Rng rng = new Rng(i);
                        float[] z = GanSampler.gaussian(rng, model.config().latent());
                        float[] w = card.styles().isEmpty() ? null
                                : GanSampler.oneHot(card.styles().size(), rng.nextInt(card.styles().size()));
                        try (NDManager scope = manager.newSubManager()) {
                            out.add(sampler.draw(scope, z, w, 1f));
                        }
                    }
                }
            }
        } catch (RuntimeException e) {
            if (e instanceof AtelierException) {
                throw e;
            }
            throw new AtelierException("could not draw from '" + card.name() + "': " + e.getMessage(), e);
        }
        return out;
    }
}
