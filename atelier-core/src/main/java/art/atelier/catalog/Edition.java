package art.atelier.catalog;

import java.util.List;

/**
 * A limited edition of a work: issued once, with one certificate per print, and never changed after.
 *
 * @param workId the work
 * @param size how many prints, at least 1
 * @param issued when it was issued, ISO-8601
 * @param certificates one per print, numbered 1 to {@code size}, in order
 */
public record Edition(String workId, int size, String issued, List<Certificate> certificates) {

    /** Keeps an unmodifiable copy of the certificates. */
    public Edition {
        certificates = List.copyOf(certificates);
    }
}
