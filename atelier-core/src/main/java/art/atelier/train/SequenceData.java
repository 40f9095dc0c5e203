package art.atelier.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import art.atelier.util.Rng;

/**
 * Where a language model's training windows come from: the text medium's token streams
 * ({@link TokenDataset}), the music medium's pieces (encoded afresh, augmented, at every draw).
 */
public interface SequenceData {

    /**
     * A batch.
     *
     * @param inputs (B, T) int64
     * @param targets (B, T) int64, the inputs shifted by one
     * @param styles (B) int64, or null for an unstyled model
     */
    record Batch(NDArray inputs, NDArray targets, NDArray styles) {}

    /**
     * Draws a batch.
     *
     * @param rng the generator (advanced)
     * @param batch B
     * @param context the model's context length
     * @param validationSplit draw from the validation split
     * @param manager where the arrays live
     * @return the batch
     */
    Batch sample(Rng rng, int batch, int context, boolean validationSplit, NDManager manager);

    /** @return whether there is a validation split to draw from */
    boolean hasValidation();
}
