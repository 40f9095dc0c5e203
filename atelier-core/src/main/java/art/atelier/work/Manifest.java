package art.atelier.work;

import java.util.List;
import java.util.Map;

/**
 * A work's provenance: what it is, what made it and how, and what the artist did. Kept beside the
 * work as {@code ID.json}.
 *
 * @param format the manifest format
 * @param id the work's id
 * @param medium "text", "image" or "music"
 * @param file the work's file name, beside the manifest
 * @param sha256 hash of the work's bytes
 * @param created when it was made (ISO-8601)
 * @param model the model that made it
 * @param seed the seed that, with the same model and settings, makes it again
 * @param settings every generation setting
 * @param parents works it was derived from (vary, cross), by id
 * @param actions what the human did: prompts given, styles chosen, titles, keep/reject
 * @param software what made it
 */
public record Manifest(int format, String id, String medium, String file, String sha256, String created,
        ModelRef model, long seed, Map<String, Object> settings, List<String> parents, List<HumanAction> actions,
        Map<String, String> software) {

    /** The manifest format this build writes. */
    public static final int FORMAT = 1;

    /**
     * @return this manifest as embedded in the work's own bytes (a PNG's iTXt chunk, a MIDI text event):
     *     without its creation time, so that the same model, seed and settings give the same bytes; the
     *     time is kept in the manifest beside the file
     */
    public Manifest embedded() {
        return new Manifest(format, id, medium, file, sha256, null, model, seed, settings, parents, actions, software);
    }

    /**
     * The model behind a work.
     *
     * @param name its name in the workspace
     * @param medium its medium
     * @param family its family
     * @param checkpoint "sha256:" and the hash of its weights
     * @param step training steps it had
     * @param corpusFingerprint the fingerprint of what it learned from
     */
    public record ModelRef(String name, String medium, String family, String checkpoint, int step,
            String corpusFingerprint) {}

    /**
     * Something the artist did.
     *
     * @param action e.g. "prompt", "style"
     * @param detail what exactly
     */
    public record HumanAction(String action, String detail) {}
}
