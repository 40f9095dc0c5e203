package art.atelier.music;

import art.atelier.AtelierException;
import art.atelier.nn.GptConfig;
import art.atelier.train.Checkpoint;
import art.atelier.train.GptModel;
import art.atelier.train.ModelCard;
import art.atelier.util.Json;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A music model in memory: the shared GPT over {@link MusicVocabulary} events, the instrumentations
 * of its corpus (so that a piece asked for without {@code --instruments} is scored for instruments the
 * corpus used), and its card. Close it to free the weights.
 */
public final class MusicModel extends GptModel {

    /** The medium's name in cards and manifests. */
    public static final String MEDIUM = "music";
    /** The family's name in cards and manifests. */
    public static final String FAMILY = "gpt";
    /** The vocabulary's kind in the card. */
    static final String VOCABULARY_KIND = "music-events";
    /** The vocabulary layout this build reads and writes (see docs/music-vocabulary.md). */
    static final int VOCABULARY_VERSION = 1;

    /**
     * A set of instruments some corpus pieces of one style are scored for.
     *
     * @param style the pieces' style, or null for pieces without one
     * @param programs per family that plays, its program (drums: 0)
     * @param pieces how many corpus pieces of the style use exactly this set
     */
    public record Instrumentation(String style, Map<Instrument, Integer> programs, int pieces) {}

    private final MusicVocabulary vocabulary;
    private final List<Instrumentation> instrumentations; // most used first

    private MusicModel(Built built, MusicVocabulary vocabulary, List<Instrumentation> instrumentations,
            ModelCard card) {
        super(built, card);
        this.vocabulary = vocabulary;
        this.instrumentations = List.copyOf(instrumentations);
    }

    /**
     * A freshly initialised model.
     *
     * @param name its name
     * @param config its shape
     * @param vocabulary its vocabulary
     * @param instrumentations its corpus's instrumentations
     * @param seed the initialisation seed
     * @return the model
     */
    public static MusicModel create(String name, GptConfig config, MusicVocabulary vocabulary,
            List<Instrumentation> instrumentations, long seed) {
        return new MusicModel(fresh(name, config, seed), vocabulary, instrumentations, null);
    }

    /**
     * Loads a checkpoint whose card the caller has already read.
     *
     * @param dir the checkpoint directory
     * @param read its card
     * @return the model
     * @throws AtelierException if it is not a music model this version can read, or its weights do not fit
     */
    public static MusicModel load(Path dir, ModelCard read) {
        ModelCard card = Checkpoint.expect(read, MEDIUM, FAMILY);
        GptConfig config;
        MusicVocabulary vocabulary;
        List<Instrumentation> instrumentations;
        try {
            config = Json.from(card.config(), GptConfig.class);
            JsonObject v = card.vocabulary();
            if (!VOCABULARY_KIND.equals(v.get("kind").getAsString())
                    || v.get("version").getAsInt() != VOCABULARY_VERSION) {
                throw new AtelierException("its vocabulary is " + v.get("kind") + " version " + v.get("version")
                        + "; this build reads " + VOCABULARY_KIND + " version " + VOCABULARY_VERSION);
            }
            List<String> styles = new ArrayList<>();
            v.getAsJsonArray("styles").forEach(e -> styles.add(e.getAsString()));
            vocabulary = new MusicVocabulary(styles);
            instrumentations = instrumentations(v.getAsJsonArray("instrumentations"));
        } catch (RuntimeException e) {
            throw new AtelierException(dir.resolve(Checkpoint.CARD) + " has a bad config or vocabulary: "
                    + e.getMessage(), e);
        }
        if (vocabulary.size() != config.vocabSize()) {
            throw new AtelierException(dir.resolve(Checkpoint.CARD) + ": the vocabulary has " + vocabulary.size()
                    + " tokens but the model " + config.vocabSize());
        }
        return new MusicModel(load(dir, card.name(), config), vocabulary, instrumentations, card);
    }

    /**
     * @param vocabulary the vocabulary
     * @param instrumentations the corpus's instrumentations
     * @return the card's vocabulary record
     */
    static JsonObject vocabularyJson(MusicVocabulary vocabulary, List<Instrumentation> instrumentations) {
        JsonObject v = new JsonObject();
        v.addProperty("kind", VOCABULARY_KIND);
        v.addProperty("version", VOCABULARY_VERSION);
        v.addProperty("size", vocabulary.size());
        v.add("styles", Json.tree(vocabulary.styles()));
        JsonArray list = new JsonArray();
        for (Instrumentation i : instrumentations) {
            JsonObject o = new JsonObject();
            if (i.style() != null) {
                o.addProperty("style", i.style());
            }
            JsonObject programs = new JsonObject();
            i.programs().forEach((family, program) -> programs.addProperty(family.label(), program));
            o.add("programs", programs);
            o.addProperty("pieces", i.pieces());
            list.add(o);
        }
        v.add("instrumentations", list);
        return v;
    }

    private static List<Instrumentation> instrumentations(JsonArray list) {
        List<Instrumentation> out = new ArrayList<>();
        for (JsonElement e : list) {
            JsonObject o = e.getAsJsonObject();
            Map<Instrument, Integer> programs = new EnumMap<>(Instrument.class);
            for (Map.Entry<String, JsonElement> p : o.getAsJsonObject("programs").entrySet()) {
                programs.put(Instrument.parse(p.getKey()), p.getValue().getAsInt());
            }
            String style = o.has("style") ? o.get("style").getAsString() : null;
            out.add(new Instrumentation(style, programs, o.get("pieces").getAsInt()));
        }
        return out;
    }

    /** @return the vocabulary */
    public MusicVocabulary vocabulary() {
        return vocabulary;
    }

    /** @return the corpus's instrumentations, most used first */
    public List<Instrumentation> instrumentations() {
        return instrumentations;
    }
}
