package art.atelier.music;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import art.atelier.train.SequenceData;
import art.atelier.util.Rng;

import java.util.List;

/**
 * Training windows of a music model, drawn afresh at every step. A window of T+1 tokens starts with
 * its piece's header (style and instruments: the conditioning every window carries), then the
 * piece's events from a uniformly drawn position; where the piece ends before the window does, its
 * END follows and another whole piece after it, so the model also learns how pieces end and begin.
 * A piece is drawn with probability proportional to its number of events (every event equally
 * likely, as nanoGPT draws windows of one stream).
 *
 * <p>Training pieces are augmented at each draw (Music Transformer's recipe): transposed by a whole
 * number of semitones up to {@code maxSemitones} either way (only intervals that keep every note on
 * the keyboard; drums never move), and stretched in tempo by a factor within
 * 1 ± {@code maxStretch}. Validation pieces are read as they are.
 */
public final class MusicDataset implements SequenceData {

    /**
     * A piece and its style label.
     *
     * @param piece the notes
     * @param style its style, or null
     */
    public record Entry(Piece piece, String style) {}

    private final MusicVocabulary vocabulary;
    private final List<Entry> train;
    private final List<Entry> validation;
    private final long[] trainWeights; // cumulative event counts, for drawing pieces
    private final long[] validationWeights;
    private final int maxSemitones; // augmentation: largest transposition, semitones
    private final double maxStretch; // augmentation: largest relative tempo change

    /**
     * @param vocabulary the vocabulary
     * @param train training pieces (at least one)
     * @param validation validation pieces (may be empty)
     * @param maxSemitones largest transposition of a training piece, 0 for none
     * @param maxStretch largest relative tempo change of a training piece, 0 for none
     */
    public MusicDataset(MusicVocabulary vocabulary, List<Entry> train, List<Entry> validation, int maxSemitones,
            double maxStretch) {
        if (train.isEmpty()) {
            throw new IllegalArgumentException("no training pieces");
        }
        this.vocabulary = vocabulary;
        this.train = List.copyOf(train);
        this.validation = List.copyOf(validation);
        this.trainWeights = weights(this.train, vocabulary);
        this.validationWeights = weights(this.validation, vocabulary);
        this.maxSemitones = maxSemitones;
        this.maxStretch = maxStretch;
    }

    private static long[] weights(List<Entry> entries, MusicVocabulary vocabulary) {
        long[] w = new long[entries.size()];
        long sum = 0;
        for (int i = 0; i < w.length; i++) {
            sum += vocabulary.events(entries.get(i).piece()).length + 1;
            w[i] = sum;
        }
        return w;
    }

    /** @return the events (and END tokens) of the training pieces, unaugmented */
    public long trainTokens() {
        return trainWeights[trainWeights.length - 1];
    }

    /** @return the events (and END tokens) of the validation pieces */
    public long validationTokens() {
        return validationWeights.length == 0 ? 0 : validationWeights[validationWeights.length - 1];
    }

    @Override
    public boolean hasValidation() {
        return !validation.isEmpty();
    }

    @Override
    public Batch sample(Rng rng, int batch, int context, boolean validationSplit, NDManager manager) {
        long[] x = new long[batch * context];
        long[] y = new long[batch * context];
        for (int b = 0; b < batch; b++) {
            int[] w = window(rng, context + 1, validationSplit);
            for (int i = 0; i < context; i++) {
                x[b * context + i] = w[i];
                y[b * context + i] = w[i + 1];
            }
        }
        Shape shape = new Shape(batch, context);
        return new Batch(manager.create(x, shape), manager.create(y, shape), null);
    }

    /**
     * @param rng the draws
     * @param length tokens wanted
     * @param validationSplit from the validation pieces (unaugmented)
     * @return one window
     */
    int[] window(Rng rng, int length, boolean validationSplit) {
        int[] out = new int[length];
        int n = 0;
        boolean first = true;
        while (n < length) {
            int[] tokens = encode(draw(rng, validationSplit), rng, validationSplit);
            int from = 0;
            if (first) {
                int head = headerLength(tokens);
                int copy = Math.min(head, length);
                System.arraycopy(tokens, 0, out, 0, copy);
                n = copy;
                from = head + rng.nextInt(tokens.length - head); // events and END
                first = false;
            }
            int copy = Math.min(tokens.length - from, length - n);
            System.arraycopy(tokens, from, out, n, copy);
            n += copy;
        }
        return out;
    }

    private Entry draw(Rng rng, boolean validationSplit) {
        List<Entry> entries = validationSplit ? validation : train;
        long[] w = validationSplit ? validationWeights : trainWeights;
        long pick = (long) (rng.nextDouble() * w[w.length - 1]);
        int lo = 0;
        int hi = w.length - 1;
        while (lo < hi) { // the first cumulative weight above pick
            int mid = (lo + hi) >>> 1;
            if (w[mid] > pick) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return entries.get(lo);
    }

    private int[] encode(Entry e, Rng rng, boolean validationSplit) {
        Piece p = e.piece();
        if (!validationSplit && (maxSemitones > 0 || maxStretch > 0)) {
            p = MusicAugment.random(p, rng, maxSemitones, maxStretch);
        }
        return vocabulary.encode(p, e.style());
    }

    /** @return how many tokens of an encoded piece are its header */
    private int headerLength(int[] tokens) {
        int h = 0;
        while (h < tokens.length && vocabulary.isHeader(tokens[h])) {
            h++;
        }
        return h;
    }
}
