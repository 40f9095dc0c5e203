package art.atelier.music;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Music as a stream of event tokens, in the spirit of Performance RNN (Oore et al., 2018) and MuseNet:
 * a header saying what plays, then note-ons and note-offs per instrument family and pitch, separated by
 * time shifts, with the loudness set by velocity tokens.
 *
 * <h2>Layout</h2>
 * With {@code S} styles (the order of the list given to the constructor) and {@code F} = 17 instrument
 * families (the sixteen General MIDI families in {@link Instrument} order, then {@link Instrument#DRUMS}):
 * <pre>
 * id                     count   token
 * 0                      1       START
 * 1                      1       END
 * 2 ..                   S       STYLE s        (none when the vocabulary has no styles)
 * 2+S ..                 128     PROGRAM p      header: family p/8 plays, with GM program p
 * 130+S                  1       DRUMS          header: the drum kit plays
 * 131+S ..               F×128   NOTE_ON  f,k   id = 131+S + f·128 + k
 * 2307+S ..              F×128   NOTE_OFF f,k   id = 2307+S + f·128 + k
 * 4483+S ..              100     TIME_SHIFT n   n = 1..100 steps of 10 ms; id = 4482+S + n
 * 4583+S ..              32      VELOCITY b     b = 0..31; id = 4583+S + b
 * size = 4615 + S
 * </pre>
 *
 * <h2>A piece as tokens</h2>
 * {@code START [STYLE] PROGRAM* [DRUMS]}, then the events, then {@code END}. The header names one
 * program per family that plays (the first program of that family in the piece), in family order, and
 * {@code DRUMS} last if the drum kit plays. The events walk through time on a 10 ms grid: onsets and
 * releases are rounded to the nearest step from the start of the piece (absolute rounding, so no error
 * accumulates), and a note that rounds to less than one step lasts one step. At each instant the
 * note-offs come first (family, then pitch), then the note-ons (family, then pitch), each preceded by
 * a velocity token when its velocity bin differs from the last one written (the first note-on always
 * has one). Gaps between instants are written as time shifts of at most one second each.
 *
 * <h2>What a round trip keeps</h2>
 * Piece → tokens → piece keeps every note's pitch, family, velocity bin (velocity decodes to the
 * middle of its bin, {@link #velocityOfBin}), onset within 5 ms and duration within 10 ms. It loses:
 * <ul>
 *   <li>a second program of the same family in one piece: the header names one program per family,
 *       so every note of the family decodes to the first program (a piano piece with program 0 and 1
 *       comes back all program 0);</li>
 *   <li>overlaps of one key with itself (same family and pitch): a note struck again while it still
 *       sounds ends at the new strike, and two notes of one key at one instant become one (the
 *       loudest velocity, the latest release), as a MIDI channel would play them.</li>
 * </ul>
 *
 * <h2>Decoding what a model writes</h2>
 * {@link Decoder} accepts any sequence of ids in {@code [0, size())} without throwing: header tokens
 * count only before the first event token (later ones are ignored, as are repeated START tokens); a
 * note-off of a silent key is ignored; a note-on of a sounding key ends the old note there; {@code END}
 * stops decoding. A family's notes use the program its header token named, else
 * {@link Instrument#defaultProgram()}. Immutable and thread-safe; each {@link Decoder} is not.
 */
public final class MusicVocabulary {

    /** The kinds of token, in id order. */
    public enum Kind {
        /** Begins a piece. */
        START,
        /** Ends a piece; a decoder stops here. */
        END,
        /** Header: the piece's style. */
        STYLE,
        /** Header: a family plays, with this GM program. */
        PROGRAM,
        /** Header: the drum kit plays. */
        DRUMS,
        /** A key of a family goes down. */
        NOTE_ON,
        /** A key of a family is released. */
        NOTE_OFF,
        /** Time moves on by 1..100 steps. */
        TIME_SHIFT,
        /** The velocity of the next note-ons. */
        VELOCITY
    }

    /** Length of one time step, microseconds (10 ms). */
    public static final long STEP_MICROS = 10_000;
    /** Longest single time shift, steps (1 s). */
    public static final int MAX_SHIFT_STEPS = 100;
    /** Number of velocity bins. */
    public static final int VELOCITY_BINS = 32;
    /** Number of instrument families, drums included. */
    public static final int FAMILIES = Instrument.values().length;
    /** Velocity bin a decoder uses for note-ons before any velocity token: velocity 62, mezzo-forte. */
    public static final int DEFAULT_VELOCITY_BIN = 15;

    private static final int KEYS = 128; // MIDI keys per family
    private static final String[] NOTE_NAMES = {"C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"};

    private final List<String> styles; // style labels, in id order
    private final Map<String, Integer> styleIndex; // style label -> index in styles
    private final int styleBase; // first STYLE id
    private final int programBase; // first PROGRAM id
    private final int drumsToken; // the DRUMS id
    private final int noteOnBase; // first NOTE_ON id
    private final int noteOffBase; // first NOTE_OFF id
    private final int shiftBase; // id of TIME_SHIFT 1
    private final int velocityBase; // id of VELOCITY 0
    private final int size; // number of ids

    /**
     * @param styles the corpus's style labels, in the order that gives them ids; may be empty
     * @throws IllegalArgumentException if a label is null, blank or repeated
     */
    public MusicVocabulary(List<String> styles) {
        Objects.requireNonNull(styles, "styles");
        Map<String, Integer> index = new HashMap<>();
        for (String s : styles) {
            if (s == null || s.isBlank()) {
                throw new IllegalArgumentException("a style label must not be null or blank: " + styles);
            }
            if (index.putIfAbsent(s, index.size()) != null) {
                throw new IllegalArgumentException("style '" + s + "' is listed twice: " + styles);
            }
        }
        this.styles = List.copyOf(styles);
        this.styleIndex = Map.copyOf(index);
        this.styleBase = 2;
        this.programBase = styleBase + styles.size();
        this.drumsToken = programBase + 128;
        this.noteOnBase = drumsToken + 1;
        this.noteOffBase = noteOnBase + FAMILIES * KEYS;
        this.shiftBase = noteOffBase + FAMILIES * KEYS;
        this.velocityBase = shiftBase + MAX_SHIFT_STEPS;
        this.size = velocityBase + VELOCITY_BINS;
    }

    /** @return the number of token ids: 4615 + number of styles */
    public int size() {
        return size;
    }

    /** @return the style labels, in id order */
    public List<String> styles() {
        return styles;
    }

    // ---------------------------------------------------------------- token ids

    /** @return the START id (0) */
    public int startToken() {
        return 0;
    }

    /** @return the END id (1) */
    public int endToken() {
        return 1;
    }

    /**
     * @param style one of {@link #styles()}
     * @return its STYLE id
     * @throws IllegalArgumentException naming the known styles, if the vocabulary has no such style
     */
    public int styleToken(String style) {
        Integer i = styleIndex.get(style);
        if (i == null) {
            throw new IllegalArgumentException(styles.isEmpty()
                    ? "this vocabulary has no styles, so it cannot write style '" + style + "'"
                    : "unknown style '" + style + "'; known: " + styles);
        }
        return styleBase + i;
    }

    /**
     * @param program GM program 0–127
     * @return its PROGRAM id
     */
    public int programToken(int program) {
        checkRange("program", program, 0, 127);
        return programBase + program;
    }

    /** @return the DRUMS id */
    public int drumsToken() {
        return drumsToken;
    }

    /**
     * @param family the instrument family
     * @param pitch MIDI key 0–127
     * @return the NOTE_ON id
     */
    public int noteOnToken(Instrument family, int pitch) {
        checkRange("pitch", pitch, 0, 127);
        return noteOnBase + family.ordinal() * KEYS + pitch;
    }

    /**
     * @param family the instrument family
     * @param pitch MIDI key 0–127
     * @return the NOTE_OFF id
     */
    public int noteOffToken(Instrument family, int pitch) {
        checkRange("pitch", pitch, 0, 127);
        return noteOffBase + family.ordinal() * KEYS + pitch;
    }

    /**
     * @param steps 1–100 steps of 10 ms
     * @return the TIME_SHIFT id
     */
    public int timeShiftToken(int steps) {
        checkRange("time shift", steps, 1, MAX_SHIFT_STEPS);
        return shiftBase + steps - 1;
    }

    /**
     * @param bin velocity bin 0–31
     * @return the VELOCITY id
     */
    public int velocityToken(int bin) {
        checkRange("velocity bin", bin, 0, VELOCITY_BINS - 1);
        return velocityBase + bin;
    }

    // ---------------------------------------------------------------- typed predicates and decoders

    /**
     * @param token an id in {@code [0, size())}
     * @return its kind
     * @throws IllegalArgumentException if the id is outside the vocabulary
     */
    public Kind kind(int token) {
        checkToken(token);
        if (token == 0) {
            return Kind.START;
        } else if (token == 1) {
            return Kind.END;
        } else if (token < programBase) {
            return Kind.STYLE;
        } else if (token < drumsToken) {
            return Kind.PROGRAM;
        } else if (token == drumsToken) {
            return Kind.DRUMS;
        } else if (token < noteOffBase) {
            return Kind.NOTE_ON;
        } else if (token < shiftBase) {
            return Kind.NOTE_OFF;
        } else if (token < velocityBase) {
            return Kind.TIME_SHIFT;
        }
        return Kind.VELOCITY;
    }

    /**
     * @param token an id
     * @return whether it belongs to the header (START, STYLE, PROGRAM, DRUMS)
     */
    public boolean isHeader(int token) {
        Kind k = kind(token);
        return k == Kind.START || k == Kind.STYLE || k == Kind.PROGRAM || k == Kind.DRUMS;
    }

    /**
     * @param token an id
     * @return whether it is a NOTE_ON
     */
    public boolean isNoteOn(int token) {
        return kind(token) == Kind.NOTE_ON;
    }

    /**
     * @param token an id
     * @return whether it is a NOTE_OFF
     */
    public boolean isNoteOff(int token) {
        return kind(token) == Kind.NOTE_OFF;
    }

    /**
     * @param token an id
     * @return whether it is a TIME_SHIFT
     */
    public boolean isTimeShift(int token) {
        return kind(token) == Kind.TIME_SHIFT;
    }

    /**
     * @param token an id
     * @return whether it is a VELOCITY
     */
    public boolean isVelocity(int token) {
        return kind(token) == Kind.VELOCITY;
    }

    /**
     * @param token a STYLE id
     * @return its label
     */
    public String style(int token) {
        expect(token, Kind.STYLE);
        return styles.get(token - styleBase);
    }

    /**
     * @param token a PROGRAM id
     * @return its GM program 0–127
     */
    public int program(int token) {
        expect(token, Kind.PROGRAM);
        return token - programBase;
    }

    /**
     * @param token a NOTE_ON or NOTE_OFF id
     * @return its instrument family
     */
    public Instrument family(int token) {
        return Instrument.values()[noteIndex(token) / KEYS];
    }

    /**
     * @param token a NOTE_ON or NOTE_OFF id
     * @return its MIDI key 0–127
     */
    public int pitch(int token) {
        return noteIndex(token) % KEYS;
    }

    /**
     * @param token a TIME_SHIFT id
     * @return its length, steps of 10 ms (1–100)
     */
    public int shiftSteps(int token) {
        expect(token, Kind.TIME_SHIFT);
        return token - shiftBase + 1;
    }

    /**
     * @param token a VELOCITY id
     * @return its bin 0–31
     */
    public int velocityBin(int token) {
        expect(token, Kind.VELOCITY);
        return token - velocityBase;
    }

    /**
     * @param token an id
     * @return a human-readable name: "start", "style bach", "program 40 (strings)", "drums",
     *         "note-on piano C4", "note-off drums 36", "shift 120ms", "velocity 17"
     */
    public String describe(int token) {
        return switch (kind(token)) {
            case START -> "start";
            case END -> "end";
            case STYLE -> "style " + style(token);
            case PROGRAM -> "program " + program(token) + " (" + Instrument.of(program(token), false).label() + ")";
            case DRUMS -> "drums";
            case NOTE_ON -> "note-on " + family(token).label() + " " + keyName(family(token), pitch(token));
            case NOTE_OFF -> "note-off " + family(token).label() + " " + keyName(family(token), pitch(token));
            case TIME_SHIFT -> "shift " + shiftSteps(token) * (STEP_MICROS / 1000) + "ms";
            case VELOCITY -> "velocity " + velocityBin(token);
        };
    }

    /**
     * @param tokens ids
     * @return their descriptions, one per line
     */
    public String describe(int[] tokens) {
        StringBuilder sb = new StringBuilder();
        for (int t : tokens) {
            sb.append(describe(t)).append('\n');
        }
        return sb.toString();
    }

    /**
     * @param velocity MIDI velocity 1–127
     * @return its bin 0–31: velocities 1–4 are bin 0, 5–8 bin 1, …, 125–127 bin 31
     */
    public static int binOfVelocity(int velocity) {
        checkRange("velocity", velocity, 1, 127);
        return (velocity - 1) / 4;
    }

    /**
     * @param bin velocity bin 0–31
     * @return the velocity a decoder gives it, the middle of the bin: 4·bin + 2 (2..126)
     */
    public static int velocityOfBin(int bin) {
        checkRange("velocity bin", bin, 0, VELOCITY_BINS - 1);
        return 4 * bin + 2;
    }

    // ---------------------------------------------------------------- encoding

    /**
     * What a header says: the style, and for each family that plays, its program.
     *
     * @param style the style label, or null for none
     * @param programs for each family that plays, the GM program of that family it plays (drums: 0);
     *        iterated in family order
     */
    public record Header(String style, Map<Instrument, Integer> programs) {

        /** Checks that each program belongs to its family, and copies the map into family order. */
        public Header {
            EnumMap<Instrument, Integer> copy = new EnumMap<>(Instrument.class);
            for (Map.Entry<Instrument, Integer> e : programs.entrySet()) {
                Instrument family = Objects.requireNonNull(e.getKey(), "family");
                int program = Objects.requireNonNull(e.getValue(), "program");
                if (family == Instrument.DRUMS ? program != 0
                        : program < 0 || program > 127 || Instrument.of(program, false) != family) {
                    throw new IllegalArgumentException("program " + program + " is not one of the "
                            + family.label() + " family's programs" + (family == Instrument.DRUMS ? " (drums: 0)" : ""));
                }
                copy.put(family, program);
            }
            programs = Collections.unmodifiableMap(copy);
        }

        /**
         * @param style the style label, or null
         * @param families the families that play, each with its default program
         * @return the header
         */
        public static Header of(String style, List<Instrument> families) {
            Map<Instrument, Integer> programs = new EnumMap<>(Instrument.class);
            for (Instrument f : families) {
                programs.put(f, f.defaultProgram());
            }
            return new Header(style, programs);
        }

        /**
         * @param piece a piece
         * @param style the style label, or null
         * @return the header that describes it: each family that plays with its first program
         */
        public static Header of(Piece piece, String style) {
            Map<Instrument, Integer> programs = new EnumMap<>(Instrument.class);
            for (Note n : piece.notes()) { // canonical order: by onset, so the first program in time wins
                programs.putIfAbsent(n.instrument(), n.program());
            }
            return new Header(style, programs);
        }

        /** @return the families that play, in family order */
        public List<Instrument> families() {
            return List.copyOf(programs.keySet());
        }
    }

    /**
     * @param header what plays
     * @return {@code START [STYLE] PROGRAM* [DRUMS]}
     * @throws IllegalArgumentException if the style is not one of this vocabulary's
     */
    public int[] header(Header header) {
        List<Integer> out = new ArrayList<>();
        out.add(startToken());
        if (header.style() != null) {
            out.add(styleToken(header.style()));
        }
        for (Map.Entry<Instrument, Integer> e : header.programs().entrySet()) {
            out.add(e.getKey() == Instrument.DRUMS ? drumsToken : programToken(e.getValue()));
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * @param style the style label, or null
     * @param families the families that play, each with its default program (for generation:
     *        {@code --instruments piano,strings})
     * @return the header tokens
     */
    public int[] header(String style, List<Instrument> families) {
        return header(Header.of(style, families));
    }

    /**
     * @param piece a piece
     * @param style its style label, or null
     * @return header, events and END
     * @throws IllegalArgumentException if the style is not one of this vocabulary's
     */
    public int[] encode(Piece piece, String style) {
        int[] head = header(Header.of(piece, style));
        int[] events = events(piece);
        int[] out = Arrays.copyOf(head, head.length + events.length + 1);
        System.arraycopy(events, 0, out, head.length, events.length);
        out[out.length - 1] = endToken();
        return out;
    }

    /**
     * @param piece a piece
     * @return its event tokens (note-ons, note-offs, time shifts, velocities), without header or END
     */
    public int[] events(Piece piece) {
        // One sounding of a key (family, pitch) on the 10 ms grid.
        record Sounding(int key, long on, long off, int bin) {}
        // Per key, the notes in onset order; merge equal onsets, cut a note where its key is struck again.
        Map<Integer, List<Sounding>> byKey = new LinkedHashMap<>();
        for (Note n : piece.notes()) {
            int key = n.instrument().ordinal() * KEYS + n.pitch();
            long on = roundToStep(n.start());
            long off = Math.max(roundToStep(n.end()), on + 1);
            byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(new Sounding(key, on, off, binOfVelocity(n.velocity())));
        }
        List<Sounding> soundings = new ArrayList<>();
        for (List<Sounding> notes : byKey.values()) {
            notes.sort((a, b) -> Long.compare(a.on(), b.on()));
            List<Sounding> merged = new ArrayList<>();
            for (Sounding s : notes) {
                Sounding last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
                if (last != null && last.on() == s.on()) {
                    merged.set(merged.size() - 1, new Sounding(s.key(), s.on(), Math.max(last.off(), s.off()),
                            Math.max(last.bin(), s.bin())));
                } else {
                    if (last != null && last.off() > s.on()) {
                        merged.set(merged.size() - 1, new Sounding(last.key(), last.on(), s.on(), last.bin()));
                    }
                    merged.add(s);
                }
            }
            soundings.addAll(merged);
        }
        // Events as (step, off before on, key) packed in one long each, sorted: the canonical order.
        long[] events = new long[soundings.size() * 2];
        Map<Long, Integer> binOfOnset = new HashMap<>(); // (step, key) of a note-on -> velocity bin
        int i = 0;
        for (Sounding s : soundings) {
            events[i++] = pack(s.off(), 0, s.key());
            events[i++] = pack(s.on(), 1, s.key());
            binOfOnset.put(s.on() * FAMILIES * KEYS + s.key(), s.bin());
        }
        Arrays.sort(events);
        int[] out = new int[events.length * 2 + 16];
        int n = 0;
        long now = 0; // steps
        int bin = -1; // the last velocity bin written; none yet
        for (long e : events) {
            long step = e >>> 16;
            boolean on = ((e >>> 15) & 1) == 1;
            int key = (int) (e & 0x7FFF);
            for (long gap = step - now; gap > 0; gap -= MAX_SHIFT_STEPS) {
                out = ensure(out, n + 1);
                out[n++] = timeShiftToken((int) Math.min(gap, MAX_SHIFT_STEPS));
            }
            now = step;
            out = ensure(out, n + 2);
            if (on) {
                int b = binOfOnset.get(step * FAMILIES * KEYS + key);
                if (b != bin) {
                    out[n++] = velocityToken(b);
                    bin = b;
                }
                out[n++] = noteOnBase + key;
            } else {
                out[n++] = noteOffBase + key;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /**
     * @param micros a time, microseconds, not negative
     * @return the nearest step of the 10 ms grid (halves round up)
     */
    public static long roundToStep(long micros) {
        return Math.floorDiv(micros + STEP_MICROS / 2, STEP_MICROS);
    }

    private static long pack(long step, int on, int key) {
        return (step << 16) | ((long) on << 15) | key; // key < 17·128 = 2176 < 2^15
    }

    private static int[] ensure(int[] a, int needed) {
        return needed <= a.length ? a : Arrays.copyOf(a, Math.max(needed, a.length * 2));
    }

    // ---------------------------------------------------------------- decoding

    /**
     * @param tokens any ids in {@code [0, size())}, as {@link #encode} writes or a model emits
     * @return the piece they describe; open notes end where the tokens end
     */
    public Piece decode(int[] tokens) {
        Decoder d = decoder();
        for (int t : tokens) {
            if (!d.feed(t)) {
                break;
            }
        }
        return d.finish();
    }

    /** @return a new incremental decoder, at time 0 with nothing sounding */
    public Decoder decoder() {
        return new Decoder();
    }

    /**
     * Reads tokens one at a time, as a model writes them, so that generation can watch the clock and
     * stop at a length. Never throws on a token of this vocabulary, whatever the order. Not thread-safe.
     */
    public final class Decoder {

        private long now; // current time, steps of 10 ms
        private int bin = DEFAULT_VELOCITY_BIN; // velocity bin of the next note-ons
        private boolean inHeader = true; // no event token seen yet
        private boolean ended; // END seen
        private String style; // from the header, or null
        private final int[] programs = new int[FAMILIES]; // per family: program named by the header, or -1
        private final boolean[] named = new boolean[FAMILIES]; // per family: whether the header named it
        private final long[] openSince = new long[FAMILIES * KEYS]; // per key: onset step, or -1 if silent
        private final int[] openBin = new int[FAMILIES * KEYS]; // per key: velocity bin of the open note
        private int open; // number of sounding keys
        private final List<long[]> closed = new ArrayList<>(); // finished notes: {key, on, off, bin}

        private Decoder() {
            Arrays.fill(programs, -1);
            Arrays.fill(openSince, -1);
        }

        /**
         * @param token an id in {@code [0, size())}
         * @return false once END has been read (this token or an earlier one): further tokens are ignored
         * @throws IllegalArgumentException only if the id is outside the vocabulary
         */
        public boolean feed(int token) {
            Kind kind = kind(token);
            if (ended) {
                return false;
            }
            switch (kind) {
                case START -> { }
                case END -> ended = true;
                case STYLE -> {
                    if (inHeader && style == null) {
                        style = style(token);
                    }
                }
                case PROGRAM -> {
                    int p = program(token);
                    int f = p / 8;
                    if (inHeader && !named[f]) {
                        named[f] = true;
                        programs[f] = p;
                    }
                }
                case DRUMS -> {
                    if (inHeader) {
                        named[Instrument.DRUMS.ordinal()] = true;
                        programs[Instrument.DRUMS.ordinal()] = 0;
                    }
                }
                case NOTE_ON -> {
                    inHeader = false;
                    int key = token - noteOnBase;
                    if (openSince[key] >= 0) {
                        if (openSince[key] < now) {
                            close(key, now);
                        } else { // struck twice at one instant: one note, the later velocity
                            open--;
                        }
                    }
                    openSince[key] = now;
                    openBin[key] = bin;
                    open++;
                }
                case NOTE_OFF -> {
                    inHeader = false;
                    int key = token - noteOffBase;
                    if (openSince[key] >= 0) {
                        close(key, Math.max(now, openSince[key] + 1));
                        openSince[key] = -1;
                        open--;
                    }
                }
                case TIME_SHIFT -> {
                    inHeader = false;
                    now += shiftSteps(token);
                }
                case VELOCITY -> {
                    inHeader = false;
                    bin = velocityBin(token);
                }
            }
            return !ended;
        }

        private void close(int key, long off) {
            closed.add(new long[] {key, openSince[key], off, openBin[key]});
        }

        /** @return the current time, microseconds from the start of the piece */
        public long currentTimeMicros() {
            return now * STEP_MICROS;
        }

        /** @return the number of notes sounding now */
        public int openNotes() {
            return open;
        }

        /** @return the number of notes so far, sounding ones included */
        public int noteCount() {
            return closed.size() + open;
        }

        /** @return whether END has been read */
        public boolean ended() {
            return ended;
        }

        /** @return whether no event token has been read yet, so header tokens still count */
        public boolean inHeader() {
            return inHeader;
        }

        /** @return what the header said so far */
        public Header header() {
            Map<Instrument, Integer> p = new EnumMap<>(Instrument.class);
            for (Instrument f : Instrument.values()) {
                if (named[f.ordinal()]) {
                    p.put(f, programs[f.ordinal()]);
                }
            }
            return new Header(style, p);
        }

        /**
         * The piece so far, with the sounding notes ending now (a note struck at this very instant
         * lasts one step). Leaves the decoder as it was: it may be called again, and feeding may go on.
         *
         * @return the piece
         */
        public Piece finish() {
            List<Note> notes = new ArrayList<>(noteCount());
            for (long[] c : closed) {
                notes.add(note((int) c[0], c[1], c[2], (int) c[3]));
            }
            for (int key = 0; key < openSince.length; key++) {
                if (openSince[key] >= 0) {
                    notes.add(note(key, openSince[key], Math.max(now, openSince[key] + 1), openBin[key]));
                }
            }
            return new Piece(notes);
        }

        private Note note(int key, long on, long off, int velocityBin) {
            Instrument family = Instrument.values()[key / KEYS];
            boolean drum = family == Instrument.DRUMS;
            int program = drum ? 0 : programs[family.ordinal()] >= 0 ? programs[family.ordinal()] : family.defaultProgram();
            return new Note(on * STEP_MICROS, off * STEP_MICROS, key % KEYS, velocityOfBin(velocityBin), program, drum);
        }
    }

    // ---------------------------------------------------------------- helpers

    private int noteIndex(int token) {
        Kind k = kind(token);
        if (k == Kind.NOTE_ON) {
            return token - noteOnBase;
        } else if (k == Kind.NOTE_OFF) {
            return token - noteOffBase;
        }
        throw new IllegalArgumentException("token " + token + " (" + describe(token) + ") is not a note token");
    }

    private void expect(int token, Kind kind) {
        Kind k = kind(token);
        if (k != kind) {
            throw new IllegalArgumentException("token " + token + " is a " + k + ", not a " + kind);
        }
    }

    private void checkToken(int token) {
        if (token < 0 || token >= size) {
            throw new IllegalArgumentException("token " + token + " is outside the vocabulary [0, " + size + ")");
        }
    }

    private static void checkRange(String what, int value, int lo, int hi) {
        if (value < lo || value > hi) {
            throw new IllegalArgumentException(what + " out of " + lo + ".." + hi + ": " + value);
        }
    }

    private static String keyName(Instrument family, int pitch) {
        if (family == Instrument.DRUMS) {
            return Integer.toString(pitch); // a drum of the GM percussion map, not a pitch
        }
        return NOTE_NAMES[pitch % 12] + (pitch / 12 - 1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MusicVocabulary v && v.styles.equals(styles);
    }

    @Override
    public int hashCode() {
        return styles.hashCode();
    }

    @Override
    public String toString() {
        return "MusicVocabulary[" + size + " tokens, styles " + styles + "]";
    }
}
