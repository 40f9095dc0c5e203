package art.atelier.music;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.List;

/**
 * The negative log-likelihood a music model gives whole pieces: how surprised it is, event by event,
 * by music it did not learn from. Every event of a piece and its END are predicted from the header
 * and the events before them, as many as the context holds: a piece longer than the context is read in
 * windows that start with its header and move on by half a context, each event scored once, in the
 * first window where it has at least half a context of history (or all of it, early in the piece).
 *
 * @param events events scored (END included)
 * @param nats their total negative log-likelihood, in nats
 * @param seconds the pieces' total length
 */
public record MusicScoring(long events, double nats, double seconds) {

    /** @return mean nats per event */
    public double natsPerEvent() {
        return nats / events;
    }

    /** @return nats per second of music */
    public double natsPerSecond() {
        return nats / seconds;
    }

    /**
     * @param model the model
     * @param pieces the pieces, unaugmented
     * @param manager where arrays live (a sub-manager is used per window)
     * @return the total
     */
    public static MusicScoring of(MusicModel model, List<MusicDataset.Entry> pieces, NDManager manager) {
        MusicVocabulary v = model.vocabulary();
        int context = model.gpt().config().contextLength();
        long events = 0;
        double nats = 0;
        double seconds = 0;
        for (MusicDataset.Entry e : pieces) {
            int[] tokens = v.encode(e.piece(), e.style());
            int head = 0;
            while (head < tokens.length && v.isHeader(tokens[head])) {
                head++;
            }
            seconds += e.piece().duration() / 1e6;
            int budget = context - head; // positions of a window after its header
            if (budget < 2) {
                throw new IllegalArgumentException("a context of " + context + " cannot hold a header of " + head);
            }
            int stride = Math.max(1, budget / 2);
            // window w holds the header, then tokens [from, from + budget); it scores targets [scoreFrom, to)
            int scoreFrom = head;
            int from = head;
            while (scoreFrom < tokens.length) {
                int to = Math.min(tokens.length, from + budget);
                nats += window(model, tokens, head, from, to, scoreFrom, manager);
                events += to - scoreFrom;
                scoreFrom = to;
                from = Math.max(head, to - stride);
                if (to == tokens.length) {
                    break;
                }
            }
        }
        return new MusicScoring(events, nats, seconds);
    }

    /**
     * Runs one window: header then tokens [from, to) as inputs; the target of input i is the token
     * after it. Sums −log p(target) over targets in [scoreFrom, to).
     */
    private static double window(MusicModel model, int[] tokens, int head, int from, int to, int scoreFrom,
            NDManager manager) {
        // inputs: header, then tokens[from .. to-2]; targets: tokens[1 .. head-1] (unscored), tokens[from .. to-1]
        int n = head + (to - 1 - from);
        long[] in = new long[n];
        int[] target = new int[n];
        boolean[] scored = new boolean[n];
        for (int i = 0; i < head; i++) {
            in[i] = tokens[i];
        }
        for (int i = head; i < n; i++) {
            in[i] = tokens[from + (i - head)];
        }
        for (int i = 0; i < n; i++) {
            int position = i < head - 1 ? i + 1 : from + (i - (head - 1)); // index in tokens of the target
            target[i] = tokens[position];
            scored[i] = position >= scoreFrom && position < to;
        }
        int vocab = model.vocabulary().size();
        try (NDManager m = manager.newSubManager()) {
            NDArray logits = model.gpt().logits(model.store(), m.create(in, new Shape(1, n)), null, false);
            float[] all = logits.logSoftmax(2).toFloatArray(); // (1, n, V)
            double sum = 0;
            for (int i = 0; i < n; i++) {
                if (scored[i]) {
                    sum -= all[i * vocab + target[i]];
                }
            }
            return sum;
        }
    }
}
