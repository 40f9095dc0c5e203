package art.atelier.image;


import art.atelier.AtelierException;
import art.atelier.UsageException;
import art.atelier.Workspace;
import art.atelier.corpus.BadFilePolicy;
import art.atelier.corpus.ImageCorpus;
import art.atelier.image.quality.FeatureNet;
import art.atelier.image.quality.Kid;
import art.atelier.image.quality.Nearest;
import art.atelier.image.quality.PrecisionRecall;
import art.atelier.train.ModelCard;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.IntConsumer;

/**
 * {@code atelier score NAME}: how good and how new a picture model's pictures are, measured the same
 * way for every model of a corpus.
 *
 * <ul>
 *   <li>KID (Bińkowski et al. 2018): the squared maximum mean discrepancy between the feature
 *       vectors of generated and corpus pictures under a cubic polynomial kernel, unbiased, averaged
 *       over random subsets; 0 when the two are alike, lower is better. The features come from the
 *       corpus's own {@link FeatureNet}, not Inception's, so values compare models of one corpus, not
 *       across corpora or with published numbers.
 *   <li>Precision and recall (Kynkäänniemi et al. 2019): the share of generated pictures that fall
 *       within the corpus's feature manifold (fidelity), and of corpus pictures within the generated
 *       one (variety).
 *   <li>Nearest training picture: for generated pictures, the root-mean-square pixel distance (0 to
 *       255) to the closest training picture, beside the same distance for held-out corpus pictures,
 *       which a model that draws new pictures should resemble and one that copies undercuts.
 * </ul>
 */
public final class ImageScoring {

    /**
     * The measures.
     *
     * @param model the model's name
     * @param step its training steps
     * @param generated pictures generated
     * @param corpus corpus pictures compared with
     * @param kid KID
     * @param precisionRecall improved precision and recall, k = 3
     * @param generatedToTraining for generated pictures: RMS pixel distance to the nearest training picture
     * @param heldOutToTraining for held-out corpus pictures: the same
     * @param closestId the generated picture (by seed) closest to a training picture
     * @param closestTraining that training picture's path
     */
    public record Score(String model, int step, int generated, int corpus, Kid.Result kid,
            PrecisionRecall.Result precisionRecall, Nearest.Summary generatedToTraining,
            Nearest.Summary heldOutToTraining, long closestId, String closestTraining) {}

    /** Nearest-picture checks are made on this many generated pictures. */
    public static final int NEAREST_SAMPLE = 200;

    private ImageScoring() {}

    /**
     * @param ws the workspace
     * @param name the picture model
     * @param data the corpus folder, or null for the one the model was trained on
     * @param count pictures to generate (seeds 0 to count−1, truncation off)
     * @param featureSteps training steps of the corpus's feature network, if it is not cached
     *     ({@link FeatureNet#STEPS} is the ruler the CLI uses)
     * @param progress told what is being done
     * @return the measures
     */
    public static Score score(Workspace ws, String name, Path data, int count, int featureSteps,
            java.util.function.Consumer<String> progress) {
        if (count < 10) {
            throw new UsageException("--count must be at least 10, was " + count);
        }
        ModelCard card = ws.card(name);
        if (!ImageModel.MEDIUM.equals(card.medium())) {
            throw new UsageException("model '" + name + "' is " + ModelCard.article(card.medium()) + " model; score measures pictures");
        }
        Path corpusPath = data != null ? data : Path.of(card.corpus().path());
        ImageCorpus.Options options = ImageModel.format(card);
        progress.accept("reading the corpus " + corpusPath);
        ImageCorpus corpus = ImageCorpus.load(corpusPath, options, BadFilePolicy.SKIP);
        if (!corpus.fingerprint().equals(card.corpus().fingerprint())) {
            progress.accept("note: " + corpusPath + " is not the corpus '" + name + "' was trained on (fingerprint "
                    + corpus.fingerprint() + "); measuring against it anyway");
        }
        ImageCorpus.Split split = corpus.split(ImageTraining.TRAIN_FRACTION, card.training().seed());
        List<Picture> all = corpus.pictures().stream().map(ImageCorpus.Item::picture).toList();
        Path cache = ws.root().resolve("features").resolve(corpus.fingerprint().substring(7, 23) + "-"
                + options.size() + "px-" + options.channels() + "ch-" + options.fit().name().toLowerCase(Locale.ROOT)
                + "-" + featureSteps);
        IntConsumer steps = s -> {
            if (s % 100 == 0) {
                progress.accept("training the corpus's feature network: step " + s + " of " + featureSteps);
            }
        };
        progress.accept("drawing " + count + " pictures");
        List<Picture> generated = ImageCopying.draw(ws, card, count);
        try (FeatureNet features = FeatureNet.forCorpus(cache, all, featureSteps, steps)) {
            progress.accept("measuring");
            float[][] real = features.features(all);
            float[][] fake = features.features(generated);
            Kid.Result kid = Kid.of(real, fake, 50, 1000, 7L);
            PrecisionRecall.Result pr = PrecisionRecall.of(real, fake, 3);
            List<ImageCorpus.Item> train = split.train();
            float[][] trainPixels = Nearest.pixels(train.stream().map(ImageCorpus.Item::picture).toList());
            float[][] genPixels = Nearest.pixels(generated.subList(0, Math.min(NEAREST_SAMPLE, generated.size())));
            float[][] heldPixels = Nearest.pixels(split.validation().stream().map(ImageCorpus.Item::picture)
                    .limit(NEAREST_SAMPLE).toList());
            Nearest.Match[] g = Nearest.of(genPixels, trainPixels);
            Nearest.Match[] h = heldPixels.length == 0 ? null : Nearest.of(heldPixels, trainPixels);
            int closest = 0;
            for (int i = 1; i < g.length; i++) {
                if (g[i].distance() < g[closest].distance()) {
                    closest = i;
                }
            }
            return new Score(name, card.step(), count, all.size(), kid, pr, rms(Nearest.summarize(g), genPixels[0].length),
                    h == null ? null : rms(Nearest.summarize(h), genPixels[0].length), closest,
                    train.get(g[closest].index()).path());
        } catch (RuntimeException e) {
            if (e instanceof AtelierException) {
                throw e;
            }
            throw new AtelierException("could not score '" + name + "': " + e.getMessage(), e);
        }
    }


    /** Euclidean distances over n samples become root-mean-square ones. */
    private static Nearest.Summary rms(Nearest.Summary s, int n) {
        double f = 1 / Math.sqrt(n);
        return new Nearest.Summary(s.min() * f, s.median() * f, s.mean() * f);
    }
}
