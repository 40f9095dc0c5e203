package art.atelier.work;

import java.util.List;
import java.util.Map;

/**
 * A work's provenance: what it is, what made it and how, how far it stands from what its model
 * learned from, and what the artist did. Signed with the workspace's key and embedded in the work's
 * file where the format allows (PNG/APNG iTXt, GIF comment, MIDI text event), kept beside it
 * otherwise ({@code NAME.json}); the catalog holds a copy and what the artist did later.
 *
 * @param format the manifest format
 * @param id the work's id
 * @param medium "text", "image" or "music"
 * @param file the work's file name, beside the manifest
 * @param sha256 SHA-256 of the work's content: its file's bytes without the embedded manifest
 * @param created when it was made (ISO-8601); null in a signed manifest, whose bytes must not depend on
 *     the clock (the catalog records the time, in a signed "made" action)
 * @param model the model that made it
 * @param seed the seed that, with the same model and settings, makes it again
 * @param settings every generation setting
 * @param parents works it was derived from (vary, cross), by id
 * @param actions what the human did: prompts given, styles chosen, titles, keep/reject
 * @param software what made it
 * @param novelty the novelty scores against the model's corpus (see {@code art.atelier.novelty}), or null
 *     when they could not be measured (format 1 manifests have none)
 */
public record Manifest(int format, String id, String medium, String file, String sha256, String created,
        ModelRef model, long seed, Map<String, Object> settings, List<String> parents, List<HumanAction> actions,
        Map<String, String> software, Map<String, Object> novelty) {

    /** The manifest format this build writes: 2 adds novelty scores, a signature and content hashes. */
    public static final int FORMAT = 2;

    /**
     * A manifest before the work is stored: the store fills in the file name, content hash and scores.
     *
     * @param id the work's id
     * @param medium its medium
     * @param model the model that made it
     * @param seed its seed
     * @param settings every setting
     * @param parents works it came from
     * @param actions what the artist did in making it
     * @return the draft
     */
    public static Manifest draft(String id, String medium, ModelRef model, long seed, Map<String, Object> settings,
            List<String> parents, List<HumanAction> actions) {
        return new Manifest(FORMAT, id, medium, null, null, null, model, seed, settings, parents, actions,
                art.atelier.Atelier.software(), null);
    }

    /**
     * @param file the work's file name
     * @param sha256 its content hash
     * @param scores its novelty scores, or null
     * @return this manifest completed for storing
     */
    public Manifest completed(String file, String sha256, Map<String, Object> scores) {
        return new Manifest(format, id, medium, file, sha256, null, model, seed, settings, parents, actions, software,
                scores);
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
