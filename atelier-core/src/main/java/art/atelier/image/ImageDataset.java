package art.atelier.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import art.atelier.util.Rng;

import java.util.List;

/**
 * A corpus's pictures at the model's size, split for training and validation, served as batches.
 * Pictures stay 8-bit in memory (a quarter of the floats' size) and become (C, S, S) floats in
 * [-1, 1] as a batch is drawn. Batches are drawn with replacement from one seeded {@link Rng}, whose
 * state alone is then enough to resume exactly.
 */
public final class ImageDataset {

    private final List<Picture> train;
    private final int[] trainStyles;
    private final List<Picture> validation;
    private final int[] validationStyles;
    private final boolean styled;
    private final int channels;
    private final int size;

    /**
     * A batch.
     *
     * @param pictures (B, C, S, S) float32 in [-1, 1]
     * @param styles (B) int64 style ids, or null for an unstyled dataset
     * @param styleIds the same ids, in Java
     */
    public record Batch(NDArray pictures, NDArray styles, int[] styleIds) {}

    /**
     * @param train training pictures, all of one size and channel count
     * @param trainStyles their style ids
     * @param validation validation pictures (may be empty)
     * @param validationStyles their style ids
     * @param styled whether batches carry styles
     */
    public ImageDataset(List<Picture> train, int[] trainStyles, List<Picture> validation, int[] validationStyles,
            boolean styled) {
        if (train.isEmpty()) {
            throw new IllegalArgumentException("no training pictures");
        }
        this.train = List.copyOf(train);
        this.trainStyles = trainStyles.clone();
        this.validation = List.copyOf(validation);
        this.validationStyles = validationStyles.clone();
        this.styled = styled;
        this.channels = train.get(0).channels();
        this.size = train.get(0).width();
    }

    /** @return training pictures */
    public int trainSize() {
        return train.size();
    }

    /** @return validation pictures */
    public int validationSize() {
        return validation.size();
    }

    /** @return the training pictures */
    public List<Picture> train() {
        return train;
    }

    /** @return their style ids */
    public int[] trainStyles() {
        return trainStyles.clone();
    }

    /** @return the held-out pictures */
    public List<Picture> validation() {
        return validation;
    }

    /** @return their style ids */
    public int[] validationStyles() {
        return validationStyles.clone();
    }

    /**
     * @param pictures pictures of one size and channel count
     * @param scope where the array lives
     * @return them as one array, (B, C, S, S) float32 in [-1, 1]
     */
    public static NDArray stack(List<Picture> pictures, NDManager scope) {
        Picture first = pictures.get(0);
        int plane = first.channels() * first.width() * first.height();
        float[] data = new float[pictures.size() * plane];
        for (int i = 0; i < pictures.size(); i++) {
            pictures.get(i).toSigned(data, i * plane);
        }
        return scope.create(data, new Shape(pictures.size(), first.channels(), first.height(), first.width()));
    }

    /** @return whether there is a validation split */
    public boolean hasValidation() {
        return !validation.isEmpty();
    }

    /**
     * @param rng picks the pictures
     * @param batch how many
     * @param fromValidation which split
     * @param scope where the arrays live
     * @return the batch
     */
    public Batch sample(Rng rng, int batch, boolean fromValidation, NDManager scope) {
        List<Picture> pool = fromValidation ? validation : train;
        int[] poolStyles = fromValidation ? validationStyles : trainStyles;
        int plane = channels * size * size;
        float[] data = new float[batch * plane];
        int[] ids = new int[batch];
        long[] longIds = new long[batch];
        for (int i = 0; i < batch; i++) {
            int k = rng.nextInt(pool.size());
            pool.get(k).toSigned(data, i * plane);
            ids[i] = poolStyles[k];
            longIds[i] = ids[i];
        }
        NDArray pictures = scope.create(data, new Shape(batch, channels, size, size));
        NDArray styles = styled ? scope.create(longIds) : null;
        return new Batch(pictures, styles, ids);
    }
}
