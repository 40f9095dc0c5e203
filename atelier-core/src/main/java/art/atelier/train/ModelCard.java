package art.atelier.train;

import com.google.gson.JsonObject;

import java.util.List;
import java.util.Map;

/**
 * A checkpoint's {@code model.json}: everything needed to rebuild the model and to say where it came
 * from. Medium-specific parts (the family's config, the tokenizer or codebook) are JSON objects that
 * the medium reads back.
 *
 * @param format the checkpoint format; a newer one than this build reads is refused
 * @param medium "text", "image" or "music"
 * @param family the model family within the medium, e.g. "gpt"
 * @param name the model's name in the workspace
 * @param preset the preset it was made from, or "custom"
 * @param config the family's config record
 * @param vocabulary the tokenizer, codebook or event vocabulary
 * @param styles style labels, in id order (empty for an unstyled model)
 * @param corpus what it learned from
 * @param training how it was trained
 * @param step steps done
 * @param metrics the last step's numbers
 * @param evaluation the last held-out evaluation
 * @param rng the batch generator's state, for an exact resume
 * @param software what made it
 * @param created when training started (ISO-8601)
 * @param updated when this checkpoint was written (ISO-8601)
 */
public record ModelCard(
        int format,
        String medium,
        String family,
        String name,
        String preset,
        JsonObject config,
        JsonObject vocabulary,
        List<String> styles,
        CorpusRecord corpus,
        TrainSettings training,
        int step,
        Map<String, Double> metrics,
        Map<String, Double> evaluation,
        long[] rng,
        Map<String, String> software,
        String created,
        String updated) {

    /**
     * Checks a style the artist asked for against the styles this model learnt.
     *
     * @param style the style, or null for none asked
     * @throws art.atelier.UsageException if the model has no styles, or not this one
     */
    public void requireStyle(String style) {
        if (style != null && styles.isEmpty()) {
            throw new art.atelier.UsageException("model '" + name + "' was trained without styles; drop --style");
        }
        if (style != null && !styles.contains(style)) {
            throw new art.atelier.UsageException("model '" + name + "' knows the styles " + styles + ", not '" + style
                    + "'");
        }
    }

    /**
     * @param medium "text", "image" or "music"
     * @return the medium with its indefinite article: "a text", "an image"
     */
    public static String article(String medium) {
        return (medium != null && !medium.isEmpty() && "aeiou".indexOf(medium.charAt(0)) >= 0 ? "an " : "a ") + medium;
    }

    /**
     * What a model learned from.
     *
     * @param path the corpus file or folder as given
     * @param fingerprint the corpus fingerprint
     * @param files files used
     * @param trainUnits training units (tokens, pictures) after the split
     * @param validationUnits validation units after the split
     * @param unit what a unit is ("tokens", "pictures")
     * @param skipped files left out, with reasons
     */
    public record CorpusRecord(String path, String fingerprint, int files, long trainUnits, long validationUnits,
            String unit, List<String> skipped) {}
}
