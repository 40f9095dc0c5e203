package art.atelier.novelty;

import art.atelier.AtelierException;
import art.atelier.music.Note;
import art.atelier.music.Piece;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How far a piece of music stands from the pieces its model learned from, measured on melody lines.
 *
 * <p><b>Melody lines.</b> Each piece's non-drum notes, per program (instrument), make one line: the
 * notes sorted by onset, one note per onset — the highest, the "skyline" of Uitdenbogerd and Zobel
 * 1999, "Melodic Matching Techniques for Large Music Databases" (of notes that start together on the
 * same key, the longest). Lines are in program order.
 *
 * <p><b>Symbols.</b> Each note of a line becomes one symbol from two parts:
 * <ul>
 *   <li>the <i>interval</i> from the line's previous note in semitones, clamped to ±{@value #MAX_INTERVAL};
 *       the first note of a line gets a "start" interval of its own. Intervals, not pitches, so a
 *       transposed copy gives exactly the same symbols;
 *   <li>its <i>duration</i> (release − onset) on a logarithmic scale of {@value #DURATION_BINS} bins
 *       a factor √2 apart: bin b holds the durations nearest (in log terms) to 31.25 ms · √2^b, so bin 0
 *       is up to 37 ms, bin 2 holds 62.5 ms (a 32nd note at 120 bpm), 4: 125 ms (16th), 6: 250 ms (8th),
 *       7: 354 ms (dotted 8th, 375 ms), 8: 500 ms (quarter), 10: 1 s (half), 12: 2 s (whole), 14: 4 s, and
 *       bin 15 everything from 4.76 s. Absolute durations, so a copy played at the same tempo matches;
 *       one played at another tempo does not (that is a different performance, and the interval
 *       n-grams alone would over-match common scale figures).
 * </ul>
 * symbol = (interval + 37, or 0 for the start) · {@value #DURATION_BINS} + duration bin.
 *
 * <p><b>Score</b>, over all of a work's lines against all training lines (a run never crosses from one
 * line into another): the longest shared run in notes; the coverage, the share of the work's line notes
 * inside a shared run of at least {@value #MIN_RUN} notes; n-gram novelty at n = 4, 8, 16; and the
 * headline novelty = 1 − coverage.
 */
public final class MusicNovelty {

    /** The shortest shared run that counts towards coverage, in notes. */
    public static final int MIN_RUN = 8;

    /** The n-gram lengths scored, in notes. */
    public static final List<Integer> NGRAMS = List.of(4, 8, 16);

    /** Intervals are clamped to ± this many semitones. */
    public static final int MAX_INTERVAL = 36;

    /** How many duration bins there are. */
    public static final int DURATION_BINS = 16;

    /** The centre of duration bin 0, microseconds: a 64th note at 120 bpm. */
    public static final long DURATION_BASE = 31_250;

    /** The interval part of the first note of a line. */
    private static final int START = 0;

    /** thresholds[b]: the shortest duration, µs, in bin b + 1: 31.25 ms · √2^(b + ½), rounded. */
    private static final long[] THRESHOLDS = new long[DURATION_BINS - 1];

    static {
        for (int b = 0; b < THRESHOLDS.length; b++) {
            THRESHOLDS[b] = Math.round(DURATION_BASE * StrictMath.pow(2.0, (b + 0.5) / 2.0));
        }
    }

    static final String KIND = "music";
    static final int FORMAT = 1;

    private final SequenceIndex index;
    private final int[] linePiece; // (lines) which training piece each indexed line comes from
    private final int[] lineProgram; // (lines) its program

    private MusicNovelty(SequenceIndex index, int[] linePiece, int[] lineProgram) {
        this.index = index;
        this.linePiece = linePiece;
        this.lineProgram = lineProgram;
    }

    /**
     * Builds the index.
     *
     * @param pieces the training pieces
     * @return the index
     */
    public static MusicNovelty build(List<Piece> pieces) {
        List<int[]> lines = new ArrayList<>();
        List<Integer> piece = new ArrayList<>();
        List<Integer> program = new ArrayList<>();
        for (int p = 0; p < pieces.size(); p++) {
            for (Line l : lines(pieces.get(p))) {
                lines.add(l.symbols());
                piece.add(p);
                program.add(l.program());
            }
        }
        return new MusicNovelty(SequenceIndex.build(lines), piece.stream().mapToInt(Integer::intValue).toArray(),
                program.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * One melody line of a piece.
     *
     * @param program the General MIDI program that plays it
     * @param symbols its notes as symbols, in onset order
     */
    public record Line(int program, int[] symbols) {

        @Override
        public boolean equals(Object o) {
            return o instanceof Line l && l.program == program && Arrays.equals(l.symbols, symbols);
        }

        @Override
        public int hashCode() {
            return program * 31 + Arrays.hashCode(symbols);
        }

        @Override
        public String toString() {
            return "Line[program=" + program + ", symbols=" + Arrays.toString(symbols) + "]";
        }
    }

    /**
     * @param piece any piece
     * @return its melody lines, one per program that plays a non-drum note, in program order
     */
    public static List<Line> lines(Piece piece) {
        List<List<Note>> byProgram = new ArrayList<>(128);
        for (int i = 0; i < 128; i++) {
            byProgram.add(null);
        }
        for (Note n : piece.notes()) {
            if (n.drum()) {
                continue;
            }
            List<Note> line = byProgram.get(n.program());
            if (line == null) {
                line = new ArrayList<>();
                byProgram.set(n.program(), line);
            }
            // Piece order is onset, program, pitch, release: the last note of an onset is the skyline's
            if (!line.isEmpty() && line.get(line.size() - 1).start() == n.start()) {
                line.set(line.size() - 1, n);
            } else {
                line.add(n);
            }
        }
        List<Line> out = new ArrayList<>();
        for (int program = 0; program < 128; program++) {
            List<Note> line = byProgram.get(program);
            if (line == null) {
                continue;
            }
            int[] symbols = new int[line.size()];
            for (int i = 0; i < symbols.length; i++) {
                Note n = line.get(i);
                int interval = i == 0 ? Integer.MIN_VALUE : n.pitch() - line.get(i - 1).pitch();
                symbols[i] = symbol(interval, n.duration());
            }
            out.add(new Line(program, symbols));
        }
        return out;
    }

    /**
     * @param interval semitones from the line's previous note (clamped to ±{@value #MAX_INTERVAL}), or
     *     {@link Integer#MIN_VALUE} for a line's first note
     * @param durationMicros the note's duration, µs
     * @return the note's symbol
     */
    public static int symbol(int interval, long durationMicros) {
        int part = interval == Integer.MIN_VALUE ? START
                : Math.max(-MAX_INTERVAL, Math.min(MAX_INTERVAL, interval)) + MAX_INTERVAL + 1;
        return part * DURATION_BINS + durationBin(durationMicros);
    }

    /**
     * @param durationMicros a duration, µs
     * @return its bin, 0 to {@value #DURATION_BINS} − 1: the bin whose centre 31.25 ms · √2^b is nearest
     *     on a log scale
     */
    public static int durationBin(long durationMicros) {
        int b = 0;
        while (b < THRESHOLDS.length && durationMicros >= THRESHOLDS[b]) {
            b++;
        }
        return b;
    }

    /**
     * Scores a work against the training pieces.
     *
     * @param work the piece
     * @return its score; a work without non-drum notes has novelty 1 and NaN n-gram novelty
     */
    public Score score(Piece work) {
        int notes = 0;
        int covered = 0;
        int[] ngrams = new int[NGRAMS.size()];
        int[] novel = new int[NGRAMS.size()];
        int best = 0;
        int bestPiece = -1;
        int bestProgram = -1;
        int bestNote = -1;
        int bestWorkProgram = -1;
        int bestWorkNote = -1;
        for (Line line : lines(work)) {
            SequenceIndex.Matches m = index.matches(line.symbols());
            notes += m.size();
            covered += m.covered(MIN_RUN);
            for (int k = 0; k < ngrams.length; k++) {
                ngrams[k] += m.ngrams(NGRAMS.get(k));
                novel[k] += m.novelNgrams(NGRAMS.get(k));
            }
            SequenceIndex.Shared s = m.shared(MIN_RUN);
            if (s.length() > best) {
                best = s.length();
                bestPiece = linePiece[s.document()];
                bestProgram = lineProgram[s.document()];
                bestNote = s.offset();
                bestWorkProgram = line.program();
                bestWorkNote = s.workStart();
            }
        }
        Map<Integer, Double> ngram = new TreeMap<>();
        for (int k = 0; k < ngrams.length; k++) {
            ngram.put(NGRAMS.get(k), ngrams[k] == 0 ? Double.NaN : novel[k] / (double) ngrams[k]);
        }
        double coverage = notes == 0 ? 0.0 : covered / (double) notes;
        return new Score(best, bestWorkProgram, bestWorkNote, bestPiece, bestProgram, bestNote, coverage,
                Collections.unmodifiableMap(ngram), 1.0 - coverage);
    }

    /** @return how many training melody lines the index holds */
    public int lines() {
        return linePiece.length;
    }

    /**
     * Saves the index (atomically).
     *
     * @param file where
     * @throws IOException on failure
     */
    public void save(Path file) throws IOException {
        IndexFile.write(file, KIND, FORMAT, out -> {
            out.writeInt(linePiece.length);
            for (int i = 0; i < linePiece.length; i++) {
                out.writeInt(linePiece[i]);
                out.writeInt(lineProgram[i]);
            }
            index.write(out);
        });
    }

    /**
     * Loads an index saved by {@link #save}.
     *
     * @param file where
     * @return the index
     * @throws AtelierException naming the file if it is missing, not a music novelty index, of another
     *     format, truncated or corrupt
     * @throws IOException on failure to read
     */
    public static MusicNovelty load(Path file) throws IOException {
        return IndexFile.read(file, KIND, FORMAT, MusicNovelty::read);
    }

    private static MusicNovelty read(DataInputStream in, String source) throws IOException {
        int lines = in.readInt();
        if (lines < 0 || lines > in.available() / 8) {
            throw new AtelierException(source + " is corrupt: " + lines + " melody lines");
        }
        int[] piece = new int[lines];
        int[] program = new int[lines];
        for (int i = 0; i < lines; i++) {
            piece[i] = in.readInt();
            program[i] = in.readInt();
            if (piece[i] < 0 || program[i] < 0 || program[i] > 127) {
                throw new AtelierException(source + " is corrupt: line " + i + " of piece " + piece[i]
                        + ", program " + program[i]);
            }
        }
        SequenceIndex index = SequenceIndex.read(in, source);
        if (index.documents() != lines) {
            throw new AtelierException(source + " is corrupt: " + lines + " melody lines named but "
                    + index.documents() + " indexed");
        }
        return new MusicNovelty(index, piece, program);
    }

    /**
     * A piece's novelty against the training pieces.
     *
     * @param longestShared the longest run of a work's melody line found in one training line, in notes
     * @param workProgram the program of the work's line holding that run, -1 if none
     * @param workNote where the run starts in that line (note index), -1 if none
     * @param piece the training piece it was found in (its position in the list built from), -1 if none
     * @param program the program of that training line, -1 if none
     * @param note where the run starts in that training line (note index), -1 if none
     * @param coverage the share of the work's melody notes inside a shared run of at least
     *     {@value MusicNovelty#MIN_RUN} notes, 0 to 1 (0 for a work without melody notes)
     * @param ngramNovelty for n = 4, 8, 16: the share of the work's note n-grams found in no training
     *     line, 0 to 1; NaN if no line of the work has n notes
     * @param novelty 1 − coverage: 1 = no run of {@value MusicNovelty#MIN_RUN} notes shared, 0 = made of
     *     training runs
     */
    public record Score(int longestShared, int workProgram, int workNote, int piece, int program, int note,
            double coverage, Map<Integer, Double> ngramNovelty, double novelty) {}
}
