package art.atelier.demo;

import art.atelier.music.MidiWriter;
import art.atelier.music.Note;
import art.atelier.music.Piece;
import art.atelier.util.AtomicFiles;
import art.atelier.util.Rng;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A small MIDI corpus the project composes itself, for the demo: short pieces in two styles, as an
 * artist's folder might hold — {@code hymns/} (four voices, choir and bass, a chord a beat along a
 * cadence) and {@code waltzes/} (piano: a bass note and two chords a bar, a melody above). Each piece
 * takes its key, tempo, progression and melody from a seed.
 */
public final class SampleMusic {

    /** The styles, as sub-folder names. */
    public static final String[] STYLES = {"hymns", "waltzes"};
    private static final int[] MAJOR = {0, 2, 4, 5, 7, 9, 11};
    // progressions as scale degrees (0 = I), eight chords each
    private static final int[][] PROGRESSIONS = {
        {0, 3, 4, 0, 5, 3, 4, 0}, {0, 5, 3, 4, 0, 3, 4, 0}, {0, 4, 5, 3, 0, 3, 4, 0}, {0, 1, 4, 0, 3, 4, 4, 0}};

    private SampleMusic() {}

    /**
     * Writes {@code perStyle} MIDI files for each style.
     *
     * @param dir the corpus folder to write
     * @param perStyle pieces per style
     * @param seed the seed
     * @throws IOException if a file cannot be written
     */
    public static void write(Path dir, int perStyle, long seed) throws IOException {
        Rng rng = new Rng(seed);
        for (int i = 0; i < perStyle; i++) {
            AtomicFiles.write(dir.resolve(STYLES[0]).resolve(String.format("hymn-%02d.mid", i)),
                    MidiWriter.write(hymn(rng), List.of()));
            AtomicFiles.write(dir.resolve(STYLES[1]).resolve(String.format("waltz-%02d.mid", i)),
                    MidiWriter.write(waltz(rng), List.of()));
        }
    }

    /** The pitch of scale degree {@code degree} (any integer) in a major key on {@code tonic}. */
    private static int degree(int tonic, int degree) {
        int octave = Math.floorDiv(degree, 7);
        return tonic + 12 * octave + MAJOR[Math.floorMod(degree, 7)];
    }

    /** Four voices a chord a beat: bass (program 32) on the root, three choir voices (program 52) above. */
    static Piece hymn(Rng rng) {
        int tonic = 55 + rng.nextInt(8); // G3..D4
        long beat = 600_000 + 100_000L * rng.nextInt(4); // 100..75 bpm
        int[] progression = PROGRESSIONS[rng.nextInt(PROGRESSIONS.length)];
        List<Note> notes = new ArrayList<>();
        for (int c = 0; c < progression.length; c++) {
            int root = progression[c];
            long start = c * beat;
            long end = c == progression.length - 1 ? start + 2 * beat : start + beat;
            int velocity = 70 + rng.nextInt(20);
            notes.add(new Note(start, end, degree(tonic - 24, root), velocity, 32, false));
            int[] voicing = {root, root + 2, root + 4};
            int shift = rng.nextInt(3); // inversion of the upper voices
            for (int v = 0; v < 3; v++) {
                int d = voicing[(v + shift) % 3] + ((v + shift) >= 3 ? 7 : 0);
                notes.add(new Note(start, end, degree(tonic, d), velocity - 5, 52, false));
            }
        }
        return new Piece(notes);
    }

    /** Piano in three: the bass on the beat, two chords after it, a melody of chord and passing tones. */
    static Piece waltz(Rng rng) {
        int tonic = 60 + rng.nextInt(6); // C4..F4
        long beat = 350_000 + 50_000L * rng.nextInt(3);
        int[] progression = PROGRESSIONS[rng.nextInt(PROGRESSIONS.length)];
        List<Note> notes = new ArrayList<>();
        for (int bar = 0; bar < progression.length; bar++) {
            int root = progression[bar];
            long start = bar * 3L * beat;
            notes.add(new Note(start, start + beat, degree(tonic - 24, root), 72, 0, false));
            for (int b = 1; b < 3; b++) {
                for (int d : new int[] {root + 2, root + 4}) {
                    notes.add(new Note(start + b * beat, start + (b + 1) * beat - 50_000, degree(tonic - 12, d), 56, 0,
                            false));
                }
            }
            // melody: a chord tone on the downbeat, then a step or a leap within the chord
            int m = root + 2 * rng.nextInt(3);
            boolean last = bar == progression.length - 1;
            notes.add(new Note(start, start + (last ? 3 : 2) * beat, degree(tonic, m), 88, 0, false));
            if (!last) {
                int next = m + (rng.nextInt(2) == 0 ? 1 : -1);
                notes.add(new Note(start + 2 * beat, start + 3 * beat, degree(tonic, next), 80, 0, false));
            }
        }
        return new Piece(notes);
    }
}
