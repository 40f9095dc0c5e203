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
