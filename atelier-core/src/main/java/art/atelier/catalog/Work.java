package art.atelier.catalog;

import java.util.List;
import java.util.Optional;

/**
 * A catalogued work: what {@link NewWork} gave, where its files are, and what the artist made of it.
 *
 * @param id the work's id
 * @param medium "image", "music" or "text"
 * @param kind what sort of work within the medium ("picture", "grid", "animation", "piece", "text", ...)
 * @param model the name of the model that made it
 * @param family the model's family, or null if unknown
 * @param checkpoint "sha256:" and the hash of the model's weights, or null if unknown
 * @param corpusFingerprint the fingerprint of what the model learned from, or null if unknown
 * @param seed the seed that, with the same model and settings, makes it again
 * @param style the style label it was made in, or null
 * @param parents the works it was derived from, by id, in order
 * @param novelty its novelty score, or {@code Double.NaN} when unknown
 * @param nearHash its 64-bit near-duplicate hash, or null
 * @param contentSha256 the SHA-256 of its content as its manifest records it
 * @param manifestJson its provenance manifest as JSON
 * @param created when it was made, ISO-8601, as given
 * @param files its files in the store, in the order given
 * @param status {@link #NEW}, {@link #KEPT} or {@link #REJECTED}: the last keep or reject decides
 * @param title the title the artist gave it last, or null
 */
public record Work(String id, String medium, String kind, String model, String family, String checkpoint,
        String corpusFingerprint, long seed, String style, List<String> parents, double novelty, Long nearHash,
        String contentSha256, String manifestJson, String created, List<StoredFile> files, String status,
        String title) {

    /** Neither kept nor rejected yet. */
    public static final String NEW = "new";
    /** Kept by the artist. */
    public static final String KEPT = "kept";
    /** Rejected by the artist. */
    public static final String REJECTED = "rejected";

    /** Keeps unmodifiable copies of the lists. */
    public Work {
        parents = List.copyOf(parents);
        files = List.copyOf(files);
    }

    /**
     * @param role a file's role ("work", "audio", "manifest", ...)
     * @return the work's file in that role, if it has one
     */
    public Optional<StoredFile> file(String role) {
        return files.stream().filter(f -> f.role().equals(role)).findFirst();
    }
}
