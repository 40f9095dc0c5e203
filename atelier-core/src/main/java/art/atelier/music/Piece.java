package art.atelier.music;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A piece of music as notes in absolute time, in a canonical order (onset, then drum last, program,
 * pitch, release, velocity), so that equal pieces compare and tokenize equally.
 *
 * @param notes the notes, sorted
 */
public record Piece(List<Note> notes) {

    /** The canonical order. */
    public static final Comparator<Note> ORDER = Comparator.comparingLong(Note::start)
            .thenComparing(Note::drum)
            .thenComparingInt(Note::program)
            .thenComparingInt(Note::pitch)
            .thenComparingLong(Note::end)
            .thenComparingInt(Note::velocity);

    /** Copies and sorts the notes. */
    public Piece {
        List<Note> sorted = new ArrayList<>(notes);
        sorted.sort(ORDER);
        notes = List.copyOf(sorted);
    }

    /** @return the release of the last note, microseconds (0 for no notes) */
    public long duration() {
        long d = 0;
        for (Note n : notes) {
            d = Math.max(d, n.end());
        }
        return d;
    }

    /** @return the instrument families that play, in enum order */
    public List<Instrument> instruments() {
        boolean[] seen = new boolean[Instrument.values().length];
        for (Note n : notes) {
            seen[n.instrument().ordinal()] = true;
        }
        List<Instrument> out = new ArrayList<>();
        for (Instrument i : Instrument.values()) {
            if (seen[i.ordinal()]) {
                out.add(i);
            }
        }
        return out;
    }
}
