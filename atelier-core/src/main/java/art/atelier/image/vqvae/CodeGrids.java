package art.atelier.image.vqvae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import art.atelier.train.SequenceData;
import art.atelier.util.Rng;

import java.util.List;

/**
 * The prior's training data: the corpus's pictures as code grids in raster order, each read as the
 * start token followed by its codes, so the prior learns p(k_i | k_&lt;i, style) for every position.
 */
final class CodeGrids implements SequenceData {

    private final List<int[]> train; // each (g·g) codes in raster order
    private final int[] trainStyles;
    private final List<int[]> validation;
    private final int[] validationStyles;
    private final boolean styled;
    private final int start;
    private final int length;

    /**
     * @param train training grids
     * @param trainStyles their style ids
     * @param validation held-out grids (may be empty)
     * @param validationStyles their style ids
     * @param styled whether batches carry styles
     * @param start the start token
     */
    CodeGrids(List<int[]> train, int[] trainStyles, List<int[]> validation, int[] validationStyles, boolean styled,
            int start) {
        if (train.isEmpty()) {
            throw new IllegalArgumentException("no training grids");
        }
        this.train = List.copyOf(train);
        this.trainStyles = trainStyles.clone();
        this.validation = List.copyOf(validation);
        this.validationStyles = validationStyles.clone();
        this.styled = styled;
        this.start = start;
        this.length = train.get(0).length;
    }

    @Override
    public Batch sample(Rng rng, int batch, int context, boolean validationSplit, NDManager manager) {
        if (context != length) {
            throw new IllegalArgumentException("the prior reads " + context + " positions; the grids have " + length);
        }
        List<int[]> pool = validationSplit ? validation : train;
        int[] poolStyles = validationSplit ? validationStyles : trainStyles;
        long[] inputs = new long[batch * length];
        long[] targets = new long[batch * length];
        long[] styles = new long[batch];
        for (int i = 0; i < batch; i++) {
            int k = rng.nextInt(pool.size());
            int[] grid = pool.get(k);
            inputs[i * length] = start;
            for (int j = 0; j < length; j++) {
                if (j + 1 < length) {
                    inputs[i * length + j + 1] = grid[j];
                }
                targets[i * length + j] = grid[j];
            }
            styles[i] = poolStyles[k];
        }
        NDArray in = manager.create(inputs, new Shape(batch, length));
        NDArray out = manager.create(targets, new Shape(batch, length));
        return new Batch(in, out, styled ? manager.create(styles) : null);
    }

    @Override
    public boolean hasValidation() {
        return !validation.isEmpty();
    }
}
