package art.atelier.catalog;

/**
 * A catalogued work's near-duplicate hash, for refusing a new work that is a near-copy of one already made.
 *
 * @param workId the work
 * @param hash its 64-bit near-duplicate hash, as the novelty code computed it (compare by Hamming distance)
 */
public record NearHash(String workId, long hash) {}
