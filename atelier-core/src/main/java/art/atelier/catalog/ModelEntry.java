package art.atelier.catalog;

/**
 * A model checkpoint as the catalog records it. A model's name holds one checkpoint at a time in the
 * workspace, but works made by earlier checkpoints still name them, so each (name, checkpoint) pair is
 * kept; recording the same pair again replaces it.
 *
 * @param name the model's name in the workspace
 * @param checkpoint "sha256:" and the hash of its weights
 * @param medium "image", "music" or "text"
 * @param family its family, e.g. "atelier", "dcgan", "vqvae", "gpt"
 * @param corpusFingerprint the fingerprint of what it learned from, or null
 * @param steps training steps it had
 * @param cardJson its model card (model.json) as written, or null
 * @param recorded when it was recorded, ISO-8601
 */
public record ModelEntry(String name, String checkpoint, String medium, String family, String corpusFingerprint,
        long steps, String cardJson, String recorded) {}
