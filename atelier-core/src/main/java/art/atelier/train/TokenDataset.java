package art.atelier.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import art.atelier.util.Rng;

import java.util.List;

/**
 * Token streams for a language model, one per style, each split into a training and a validation
 * stream. A batch is B windows of T+1 tokens: inputs are the first T, targets the last T. A window's
 * style is drawn with probability proportional to its stream's length (every token equally likely),
 * then its start uniformly, as nanoGPT's {@code get_batch} does for one stream. A stream shorter than
 * a window is read cyclically.
 */
public final class TokenDataset implements SequenceData {

    private final int[][] train; // per style: training tokens
    private final int[][] validation; // per style: validation tokens
    private final boolean styled; // whether batches carry style ids

    /**
     * @param train per style: training tokens
     * @param validation per style: validation tokens (may be empty)
     * @param styled whether the model is conditioned on style
     */
    public TokenDataset(List<int[]> train, List<int[]> validation, boolean styled) {
        this.train = train.toArray(new int[0][]);
        this.validation = validation.toArray(new int[0][]);
        this.styled = styled;
    }

    /** @return training tokens in all */
    public long trainTokens() {
        long n = 0;
        for (int[] s : train) {
            n += s.length;
        }
        return n;
    }

    /** @return validation tokens in all */
    public long validationTokens() {
        long n = 0;
        for (int[] s : validation) {
            n += s.length;
        }
        return n;
    }

    /** @return whether there is enough validation data for a window of two tokens */
    @Override
    public boolean hasValidation() {
        return validationTokens() >= 2;
    }

    /**
     * @param context the model's context length
     * @param validationSplit whether for the validation streams
     * @return the window length used: the context, or less if the longest stream is shorter
     */
    public int windowLength(int context, boolean validationSplit) {
        int longest = 0;
        for (int[] s : validationSplit ? validation : train) {
            longest = Math.max(longest, s.length);
        }
        return Math.max(1, Math.min(context, longest - 1));
    }

    @Override
    public Batch sample(Rng rng, int batch, int context, boolean validationSplit, NDManager manager) {
        int[][] streams = validationSplit ? validation : train;
        int t = windowLength(context, validationSplit);
        long total = 0;
        for (int[] s : streams) {
            total += s.length;
        }
        long[] x = new long[batch * t];
        long[] y = new long[batch * t];
        long[] styles = new long[batch];
        for (int b = 0; b < batch; b++) {
            int style = 0;
            if (streams.length > 1) {
                long pick = (long) (rng.nextDouble() * total);
                while (pick >= streams[style].length) {
                    pick -= streams[style].length;
                    style++;
                }
            }
            int[] s = streams[style];
            styles[b] = style;
            if (s.length > t) {
                int start = rng.nextInt(s.length - t);
                for (int i = 0; i < t; i++) {
                    x[b * t + i] = s[start + i];
                    y[b * t + i] = s[start + i + 1];
                }
            } else {
                int start = rng.nextInt(s.length);
                for (int i = 0; i < t; i++) {
                    x[b * t + i] = s[(start + i) % s.length];
                    y[b * t + i] = s[(start + i + 1) % s.length];
                }
            }
        }
        Shape shape = new Shape(batch, t);
        return new Batch(manager.create(x, shape), manager.create(y, shape),
                styled ? manager.create(styles) : null);
    }
}
