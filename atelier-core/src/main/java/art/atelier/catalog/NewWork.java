package art.atelier.catalog;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A work about to be catalogued: what it is, what made it, and its files. {@link Catalog#add} checks
 * every component and names the first bad one.
 *
 * @param id the work's id, as its manifest records it: a letter or digit, then up to 127 letters,
 *     digits, '.', '_' or '-' (e.g. "emoji-s7-1a2b3c4d")
 * @param medium "image", "music" or "text"
 * @param kind what sort of work within the medium: "picture", "grid", "animation", "piece", "text", ...
 * @param model the name of the model that made it
 * @param family the model's family ("atelier", "dcgan", "vqvae", "gpt", ...), or null if unknown
 * @param checkpoint "sha256:" and the hash of the model's weights, or null if unknown
 * @param corpusFingerprint the fingerprint of what the model learned from, or null if unknown
 * @param seed the seed that, with the same model and settings, makes the work again
 * @param style the style label it was made in, or null
 * @param parents the works it was derived from (vary, cross, morph), by id, in order; empty for none
 * @param novelty its novelty score (finite), or {@code Double.NaN} when unknown
 * @param nearHash its 64-bit near-duplicate hash, or null when it has none
 * @param contentSha256 the SHA-256 of the work's content as its manifest records it (lowercase hex)
 * @param manifestJson its provenance manifest as JSON
 * @param created when it was made, ISO-8601 with an offset or 'Z' ({@code Instant.toString()})
 * @param files its files, at least one, one per role; their bytes are stored by hash
 */
public record NewWork(String id, String medium, String kind, String model, String family, String checkpoint,
        String corpusFingerprint, long seed, String style, List<String> parents, double novelty, Long nearHash,
        String contentSha256, String manifestJson, String created, List<NewFile> files) {

    /** Keeps unmodifiable copies of the lists (null means empty; null elements are left for add to refuse). */
    public NewWork {
        parents = copy(parents);
        files = copy(files);
    }

    private static <T> List<T> copy(List<T> list) {
        return list == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(list));
    }
}
