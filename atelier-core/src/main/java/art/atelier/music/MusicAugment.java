package art.atelier.music;

import art.atelier.util.Rng;

import java.util.ArrayList;
import java.util.List;

/**
 * Training-time augmentation of pieces, as in Music Transformer (Huang et al., 2018): transposition
 * by a few semitones and a small tempo stretch, so that a model learns intervals and rhythms rather
 * than absolute keys and tempi. Drums are never transposed: their "pitch" names a drum, not a note.
 */
public final class MusicAugment {

    /**
     * How far a piece can be transposed with every pitched note staying in MIDI's 0..127.
     *
     * @param down the lowest allowed shift, semitones, zero or negative
     * @param up the highest allowed shift, semitones, zero or positive
     */
    public record Bounds(int down, int up) {}

    private MusicAugment() {}

    /**
     * @param piece a piece
     * @return the transpositions that keep every pitched note in 0..127 (−127..127 if none is pitched)
     */
    public static Bounds bounds(Piece piece) {
        int lowest = 127;
        int highest = 0;
        boolean pitched = false;
        for (Note n : piece.notes()) {
            if (!n.drum()) {
                pitched = true;
                lowest = Math.min(lowest, n.pitch());
                highest = Math.max(highest, n.pitch());
            }
        }
        return pitched ? new Bounds(-lowest, 127 - highest) : new Bounds(-127, 127);
    }

    /**
     * Moves every pitched note by the same interval; drums stay as they are.
     *
     * @param piece a piece
     * @param semitones the interval, semitones (negative: down)
     * @return the transposed piece
     * @throws IllegalArgumentException if a note would leave 0..127 (the piece's {@link #bounds} say
     *         which intervals are allowed): a refused transposition, not a silently clamped one, since
     *         clamping would change the melody
     */
    public static Piece transpose(Piece piece, int semitones) {
        if (semitones == 0) {
            return piece;
        }
        Bounds b = bounds(piece);
        if (semitones < b.down() || semitones > b.up()) {
            throw new IllegalArgumentException("cannot transpose by " + semitones + " semitones: a note would leave"
                    + " MIDI's 0..127; this piece allows " + b.down() + ".." + b.up());
        }
        List<Note> out = new ArrayList<>(piece.notes().size());
        for (Note n : piece.notes()) {
            out.add(n.drum() ? n
                    : new Note(n.start(), n.end(), n.pitch() + semitones, n.velocity(), n.program(), false));
        }
        return new Piece(out);
    }

    /**
     * Scales every time by the same factor: above 1 slower, below 1 faster. Times are rounded to the
     * microsecond; a note keeps at least one microsecond.
     *
     * @param piece a piece
     * @param factor the factor, positive and finite (1.05: five percent slower)
     * @return the stretched piece
     */
    public static Piece stretch(Piece piece, double factor) {
        if (!(factor > 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("a stretch factor must be positive and finite: " + factor);
        }
        if (factor == 1.0) {
            return piece;
        }
        List<Note> out = new ArrayList<>(piece.notes().size());
        for (Note n : piece.notes()) {
            long start = Math.round(n.start() * factor);
            long end = Math.max(Math.round(n.end() * factor), start + 1);
            out.add(new Note(start, end, n.pitch(), n.velocity(), n.program(), n.drum()));
        }
        return new Piece(out);
    }

    /**
     * A random transposition and stretch, drawn from {@code rng} in a fixed order (interval, then
     * factor), so that equal seeds give equal results.
     *
     * @param piece a piece
     * @param rng the generator
     * @param maxSemitones the largest interval, semitones, 0 or more: the interval is uniform over those
     *        in −max..max that keep every note in 0..127 (0 is always one of them)
     * @param maxStretch the largest relative change of tempo, in [0, 1): the factor is uniform in
     *        [1 − maxStretch, 1 + maxStretch] (0.05: ±5%)
     * @return the augmented piece
     */
    public static Piece random(Piece piece, Rng rng, int maxSemitones, double maxStretch) {
        if (maxSemitones < 0) {
            throw new IllegalArgumentException("maxSemitones must be 0 or more: " + maxSemitones);
        }
        if (!(maxStretch >= 0 && maxStretch < 1)) {
            throw new IllegalArgumentException("maxStretch must be in [0, 1): " + maxStretch);
        }
        Bounds b = bounds(piece);
        int lo = Math.max(-maxSemitones, b.down());
        int hi = Math.min(maxSemitones, b.up());
        int semitones = lo + rng.nextInt(hi - lo + 1);
        double factor = 1 + maxStretch * (2 * rng.nextDouble() - 1);
        return stretch(transpose(piece, semitones), factor);
    }
}
