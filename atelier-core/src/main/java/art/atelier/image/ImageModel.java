package art.atelier.image;

import ai.djl.Model;
import ai.djl.training.ParameterStore;

import art.atelier.AtelierException;
import art.atelier.corpus.ImageCorpus;
import art.atelier.image.gan.GanConfig;
import art.atelier.image.gan.GanNetworks;
import art.atelier.image.gan.GanSampler;
import art.atelier.image.gan.Generator;
import art.atelier.nn.Compute;
import art.atelier.train.Checkpoint;
import art.atelier.train.ModelCard;
import art.atelier.util.Json;

import com.google.gson.JsonObject;

import java.nio.file.Path;
import java.util.Locale;

/**
 * A trained picture model loaded for sampling: only the generator pictures are drawn from (the
 * moving average where the family keeps one), from the checkpoint's {@value #GENERATOR}. Close it to
 * free the weights.
 */
public final class ImageModel implements AutoCloseable {

    /** The medium's name in cards and manifests. */
    public static final String MEDIUM = "image";
    /** The family's name in cards and manifests; the card's preset says which GAN. */
    public static final String FAMILY = "gan";
    /** The sampling generator's weights file in a checkpoint. */
    public static final String GENERATOR = "generator.params";

    private final Model model;
    private final Generator generator;
    private final ParameterStore store;
    private final ModelCard card;
    private final String weightsHash;

    private ImageModel(Model model, Generator generator, ModelCard card, String weightsHash) {
        this.model = model;
        this.generator = generator;
        this.store = new ParameterStore(model.getNDManager(), false);
        this.card = card;
        this.weightsHash = weightsHash;
    }

    /**
     * @param card a card
     * @return its GAN config
     * @throws AtelierException if the card's config is not one
     */
    public static GanConfig config(ModelCard card) {
        try {
            return Json.from(card.config(), GanConfig.class);
        } catch (RuntimeException e) {
            throw new AtelierException("model '" + card.name() + "' has a bad config: " + e.getMessage(), e);
        }
    }

    /**
     * @param options what the corpus's pictures were brought to
     * @return the card's record of it (its "vocabulary": a picture model's input format)
     */
    public static JsonObject format(ImageCorpus.Options options) {
        JsonObject format = new JsonObject();
        format.addProperty("kind", "pixels");
        format.addProperty("size", options.size());
        format.addProperty("channels", options.channels());
        format.addProperty("fit", options.fit().name().toLowerCase(Locale.ROOT));
        return format;
    }

    /**
     * @param card a picture model's card
     * @return the format its corpus's pictures were brought to, for a resumed run or a measurement
     * @throws AtelierException if the card has none
     */
    public static ImageCorpus.Options format(ModelCard card) {
        JsonObject v = card.vocabulary();
        try {
            return new ImageCorpus.Options(v.get("size").getAsInt(),
                    ImageCorpus.Fit.valueOf(v.get("fit").getAsString().toUpperCase(Locale.ROOT)),
                    v.get("channels").getAsInt());
        } catch (RuntimeException e) {
            throw new AtelierException("model '" + card.name() + "' has no usable picture format in its card: "
                    + e.getMessage(), e);
        }
    }

    /**
     * @param dir the checkpoint directory
     * @param read its card, already read
     * @return the model
     * @throws AtelierException if it is not a picture model this version reads, or its weights do not fit
     */
    public static ImageModel load(Path dir, ModelCard read) {
        ModelCard card = Checkpoint.expect(read, MEDIUM, FAMILY);
        GanConfig config = config(card);
        Compute.init();
        Model model = Model.newInstance(card.name(), Compute.device(), "PyTorch");
        try {
            Generator g = GanNetworks.newGenerator(config);
            model.setBlock(g);
            GanNetworks.initialize(g, model.getNDManager());
            String hash = Checkpoint.loadWeights(dir, g, model.getNDManager(), GENERATOR);
            return new ImageModel(model, g, card, hash);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** @return a sampler over the generator */
    public GanSampler sampler() {
        return new GanSampler(generator, store);
    }

    /** @return the DJL model that owns the weights */
    public Model model() {
        return model;
    }

    /** @return the card it was loaded from */
    public ModelCard card() {
        return card;
    }

    /** @return the model's shape */
    public GanConfig config() {
        return generator.config();
    }

    /** @return "sha256:" and the hash of the sampling generator's weights: the checkpoint's identity */
    public String weightsHash() {
        return weightsHash;
    }

    @Override
    public void close() {
        model.close();
    }
}
