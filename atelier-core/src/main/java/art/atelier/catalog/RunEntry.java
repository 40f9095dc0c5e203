package art.atelier.catalog;

/**
 * A training run as the catalog records it: recorded when it starts and again when it ends (same id).
 *
 * @param id the run's id
 * @param model the model's name
 * @param medium "image", "music" or "text"
 * @param family the model's family
 * @param corpusFingerprint the fingerprint of the corpus it trains on, or null
 * @param started when it started, ISO-8601
 * @param finished when it ended, ISO-8601, or null while it runs
 * @param steps training steps done
 * @param status "running", "finished", "failed" or "stopped"
 * @param metricsJson the last metrics, as JSON, or null
 */
public record RunEntry(String id, String model, String medium, String family, String corpusFingerprint,
        String started, String finished, long steps, String status, String metricsJson) {}
