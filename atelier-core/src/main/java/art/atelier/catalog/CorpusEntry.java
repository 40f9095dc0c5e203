package art.atelier.catalog;

import java.util.List;

/**
 * A corpus as the catalog records it, by fingerprint; recording the same fingerprint again replaces it.
 *
 * @param fingerprint the hash of its sorted file hashes
 * @param medium "image", "music" or "text"
 * @param path the folder it was read from
 * @param items how many items it held after validation
 * @param styles its style labels (sub-folder names), sorted; empty when it has none
 * @param recorded when it was recorded, ISO-8601
 */
public record CorpusEntry(String fingerprint, String medium, String path, int items, List<String> styles,
        String recorded) {

    /** Keeps an unmodifiable copy of the styles (null means none). */
    public CorpusEntry {
        styles = styles == null ? List.of() : List.copyOf(styles);
    }
}
