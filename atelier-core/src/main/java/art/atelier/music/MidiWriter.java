package art.atelier.music;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Writes a {@link Piece} as a Standard MIDI File, format 1, deterministically: the same piece and
 * texts always give the same bytes.
 *
 * <p>The file: 480 ticks per quarter note at a fixed tempo of 480000 µs per quarter (125 bpm), so
 * that one tick is one millisecond and every time is rounded to the nearest millisecond. Track 0 is
 * the conductor: the tempo, a 4/4 time signature and the texts (text meta events 0x01 at time 0,
 * UTF-8, in the order given), ending with the piece. Then one track per melodic program, in program
 * order, then one for the drums (channel 10, index 9) if any note is a drum. Each track holds its
 * name (the {@link Instrument#label()} of its program), its program change, its notes, and an
 * end-of-track event at its last note's release. Every event has its own status byte (no running
 * status). At one tick, note-offs come first, then program changes, then note-ons, each by channel,
 * key and velocity.
 *
 * <p>Decisions:
 * <ul>
 *   <li><b>Channels.</b> With at most 15 melodic programs, the i-th program (in program order) has a
 *       channel of its own: 0–8, then 10–15 (index 9 is the drums'), with one program change at time 0.
 *       With more, channels are shared: in time order, a note goes to the channel that already plays
 *       its program, else to a free channel (no note sounding: never used first, then the longest
 *       idle) with a program change just before it. If all 15 are busy, it joins the busy channel
 *       with the nearest program of its family (else the nearest program) and is heard — and read
 *       back — with that program. So a piece reads back exactly whenever at most 15 programs sound
 *       at once.
 *   <li><b>Overlapping notes of one key on one channel</b> cannot be told apart in MIDI: the earlier
 *       is cut at the later one's onset; of notes that start together on one key, the longest (then
 *       the loudest) is kept.
 *   <li><b>Notes shorter than half a millisecond</b> last one millisecond.
 * </ul>
 * {@link #rounded(Piece)} gives the piece exactly as reading the written file gives it back.
 */
public final class MidiWriter {

    /** The division: ticks per quarter note. */
    public static final int TICKS_PER_QUARTER = 480;

    /** The fixed tempo, microseconds per quarter note: with {@link #TICKS_PER_QUARTER}, 1 tick = 1 ms. */
    public static final int MICROS_PER_QUARTER = 480_000;

    private static final int MICROS_PER_TICK = MICROS_PER_QUARTER / TICKS_PER_QUARTER;
    private static final int DRUM_CHANNEL = 9;
    private static final int DRUM_TRACK = -1; // the drums' key among the program-keyed groups
    private static final long MAX_DELTA = 0x0FFF_FFFFL; // the largest delta time four VLQ bytes hold

    private MidiWriter() {}

    /**
     * @param piece the notes
     * @param texts text to keep in the file (a provenance manifest, say), each written as one text
     *     meta event; may be empty
     * @return the file's bytes
     * @throws IllegalArgumentException if a text is null, or two events are further apart than MIDI's
     *     longest delta time (about 74 hours)
     */
    public static byte[] write(Piece piece, List<String> texts) {
        return write(piece, texts, 0);
    }

    /**
     * A piece that lasts beyond its last release (a rest at the end): the conductor track ends at
     * {@code endMicros}, so players and renderers keep the silence.
     *
     * @param piece the notes
     * @param texts text to keep in the file, each written as one text meta event; may be empty
     * @param endMicros where the piece ends, microseconds; the last release if that is later
     * @return the file's bytes
     * @throws IllegalArgumentException as {@link #write(Piece, List)}
     */
    public static byte[] write(Piece piece, List<String> texts, long endMicros) {
        Objects.requireNonNull(piece, "piece");
        Objects.requireNonNull(texts, "texts");
        for (String t : texts) {
            if (t == null) {
                throw new IllegalArgumentException("texts must not contain null");
            }
        }
        Map<Integer, List<Tn>> groups = groups(piece); // program (or DRUM_TRACK last) → notes in ms
        long end = Math.max(0, Math.round(endMicros / 1000.0));
        for (List<Tn> g : groups.values()) {
            for (Tn n : g) {
                end = Math.max(end, n.end);
            }
        }
        List<Integer> programs = new ArrayList<>(groups.keySet());
        programs.remove((Integer) DRUM_TRACK);
        List<byte[]> tracks = new ArrayList<>();
        tracks.add(conductor(texts, end));
        Map<Integer, List<Ev>> melodic = programs.size() <= 15 ? ownChannels(groups, programs)
                : sharedChannels(groups, programs);
        for (int p : programs) {
            tracks.add(track(Instrument.of(p, false).label(), melodic.get(p)));
        }
        if (groups.containsKey(DRUM_TRACK)) {
            List<Ev> evs = new ArrayList<>();
            evs.add(Ev.program(0, DRUM_CHANNEL, 0));
            for (Tn n : groups.get(DRUM_TRACK)) {
                evs.add(Ev.on(n.start, DRUM_CHANNEL, n.pitch, n.velocity));
                evs.add(Ev.off(n.end, DRUM_CHANNEL, n.pitch));
            }
            tracks.add(track(Instrument.DRUMS.label(), evs));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {'M', 'T', 'h', 'd', 0, 0, 0, 6, 0, 1});
        u16(out, tracks.size());
        u16(out, TICKS_PER_QUARTER);
        for (byte[] t : tracks) {
            out.writeBytes(new byte[] {'M', 'T', 'r', 'k'});
            u32(out, t.length);
            out.writeBytes(t);
        }
        return out.toByteArray();
    }

    /**
     * The piece as reading the written file gives it back (when at most 15 melodic programs sound at
     * once): times rounded to whole milliseconds, notes at least 1 ms long, overlapping notes of one
     * key and program cut at the later onset (of those starting together, the longest, then loudest, kept).
     *
     * @param piece a piece
     * @return the piece as written
     */
    public static Piece rounded(Piece piece) {
        List<Note> out = new ArrayList<>();
        for (Map.Entry<Integer, List<Tn>> g : groups(piece).entrySet()) {
            boolean drum = g.getKey() == DRUM_TRACK;
            for (Tn n : g.getValue()) {
                out.add(new Note(n.start * MICROS_PER_TICK, n.end * MICROS_PER_TICK, n.pitch, n.velocity,
                        drum ? 0 : g.getKey(), drum));
            }
        }
        return new Piece(out);
    }

    // ---- notes in ticks ----------------------------------------------------------------------------

    /** A note in ticks (ms); end is mutable while overlaps are resolved. */
    private static final class Tn {
        final long start;
        long end;
        final int pitch;
        final int velocity;
        final int program; // for drums 0

        Tn(long start, long end, int pitch, int velocity, int program) {
            this.start = start;
            this.end = end;
            this.pitch = pitch;
            this.velocity = velocity;
            this.program = program;
        }
    }

    private static final Comparator<Tn> TN_ORDER = Comparator.<Tn>comparingLong(t -> t.start)
            .thenComparingInt(t -> t.pitch)
            .thenComparingLong(t -> t.end)
            .thenComparingInt(t -> t.velocity);

    /** @return notes rounded to ticks and freed of overlaps, by program ascending, drums (key -1) too */
    private static Map<Integer, List<Tn>> groups(Piece piece) {
        Map<Integer, List<Tn>> raw = new TreeMap<>(Comparator.comparingInt(k -> k == DRUM_TRACK ? 128 : k));
        for (Note n : piece.notes()) {
            long s = ticks(n.start());
            long e = Math.max(ticks(n.end()), s + 1);
            raw.computeIfAbsent(n.drum() ? DRUM_TRACK : n.program(), k -> new ArrayList<>())
                    .add(new Tn(s, e, n.pitch(), n.velocity(), n.drum() ? 0 : n.program()));
        }
        for (Map.Entry<Integer, List<Tn>> g : raw.entrySet()) {
            List<Tn> notes = g.getValue();
            notes.sort(TN_ORDER);
            Tn[] last = new Tn[128]; // per key, the note kept last
            List<Tn> kept = new ArrayList<>();
            for (Tn n : notes) {
                Tn prev = last[n.pitch];
                if (prev != null && n.start < prev.end) {
                    if (n.start == prev.start) {
                        kept.remove(prev); // same onset: n is at least as long, and as loud if as long
                    } else {
                        prev.end = n.start;
                    }
                }
                last[n.pitch] = n;
                kept.add(n);
            }
            kept.sort(TN_ORDER);
            g.setValue(kept);
        }
        return raw;
    }

    private static long ticks(long micros) {
        return (micros + MICROS_PER_TICK / 2) / MICROS_PER_TICK;
    }

    // ---- channels ----------------------------------------------------------------------------------

    private static int ownChannel(int index) {
        return index < DRUM_CHANNEL ? index : index + 1;
    }

    private static Map<Integer, List<Ev>> ownChannels(Map<Integer, List<Tn>> groups, List<Integer> programs) {
        Map<Integer, List<Ev>> out = new TreeMap<>();
        for (int i = 0; i < programs.size(); i++) {
            int p = programs.get(i);
            int ch = ownChannel(i);
            List<Ev> evs = new ArrayList<>();
            evs.add(Ev.program(0, ch, p));
            for (Tn n : groups.get(p)) {
                evs.add(Ev.on(n.start, ch, n.pitch, n.velocity));
                evs.add(Ev.off(n.end, ch, n.pitch));
            }
            out.put(p, evs);
        }
        return out;
    }

    private static Map<Integer, List<Ev>> sharedChannels(Map<Integer, List<Tn>> groups, List<Integer> programs) {
        List<Tn> all = new ArrayList<>();
        Map<Integer, List<Ev>> out = new TreeMap<>();
        for (int p : programs) {
            all.addAll(groups.get(p));
            out.put(p, new ArrayList<>());
        }
        all.sort(Comparator.<Tn>comparingLong(t -> t.start).thenComparingInt(t -> t.program).thenComparing(TN_ORDER));
        int[] channels = new int[15];
        for (int i = 0; i < 15; i++) {
            channels[i] = ownChannel(i);
        }
        int[] program = new int[16]; // per channel, -1 = never used
        long[] busyUntil = new long[16]; // per channel, the latest release of its notes
        Arrays.fill(program, -1);
        for (Tn n : all) {
            int chosen = -1;
            for (int ch : channels) {
                if (program[ch] == n.program) {
                    chosen = ch;
                    break;
                }
            }
            if (chosen < 0) {
                for (int ch : channels) { // a free channel: never used first, then the longest idle
                    boolean free = busyUntil[ch] <= n.start;
                    if (free && (chosen < 0 || rank(program, busyUntil, ch) < rank(program, busyUntil, chosen))) {
                        chosen = ch;
                    }
                }
                if (chosen >= 0) {
                    program[chosen] = n.program;
                    out.get(n.program).add(Ev.program(n.start, chosen, n.program));
                }
            }
            if (chosen < 0) { // all busy: the nearest program, of the same family if there is one
                for (int ch : channels) {
                    if (chosen < 0 || distance(n.program, program[ch]) < distance(n.program, program[chosen])) {
                        chosen = ch;
                    }
                }
            }
            busyUntil[chosen] = Math.max(busyUntil[chosen], n.end);
            out.get(n.program).add(Ev.on(n.start, chosen, n.pitch, n.velocity));
            out.get(n.program).add(Ev.off(n.end, chosen, n.pitch));
        }
        return out;
    }

    private static long rank(int[] program, long[] busyUntil, int ch) {
        return program[ch] < 0 ? Long.MIN_VALUE : busyUntil[ch];
    }

    private static int distance(int p, int q) {
        return (p / 8 == q / 8 ? 0 : 128) + Math.abs(p - q);
    }

    // ---- events and bytes --------------------------------------------------------------------------

    /**
     * One channel event of a track.
     *
     * @param tick when, ms
     * @param rank order at one tick: 0 note-off, 1 program change, 2 note-on
     * @param channel 0–15
     * @param a key or program
     * @param b velocity (0 for note-off and program change)
     */
    private record Ev(long tick, int rank, int channel, int a, int b) {
        static Ev off(long tick, int channel, int pitch) {
            return new Ev(tick, 0, channel, pitch, 0);
        }

        static Ev program(long tick, int channel, int program) {
            return new Ev(tick, 1, channel, program, 0);
        }

        static Ev on(long tick, int channel, int pitch, int velocity) {
            return new Ev(tick, 2, channel, pitch, velocity);
        }
    }

    private static final Comparator<Ev> EV_ORDER = Comparator.comparingLong(Ev::tick).thenComparingInt(Ev::rank)
            .thenComparingInt(Ev::channel).thenComparingInt(Ev::a).thenComparingInt(Ev::b);

    private static byte[] conductor(List<String> texts, long end) {
        ByteArrayOutputStream t = new ByteArrayOutputStream();
        t.writeBytes(new byte[] {0, (byte) 0xFF, 0x51, 3, (byte) (MICROS_PER_QUARTER >> 16),
                (byte) (MICROS_PER_QUARTER >> 8), (byte) MICROS_PER_QUARTER});
        t.writeBytes(new byte[] {0, (byte) 0xFF, 0x58, 4, 4, 2, 24, 8}); // 4/4, a click per quarter
        for (String s : texts) {
            meta(t, 0x01, s.getBytes(StandardCharsets.UTF_8));
        }
        delta(t, end);
        t.writeBytes(new byte[] {(byte) 0xFF, 0x2F, 0});
        return t.toByteArray();
    }

    private static byte[] track(String name, List<Ev> events) {
        events.sort(EV_ORDER);
        ByteArrayOutputStream t = new ByteArrayOutputStream();
        meta(t, 0x03, name.getBytes(StandardCharsets.UTF_8));
        long now = 0;
        for (Ev e : events) {
            delta(t, e.tick() - now);
            now = e.tick();
            switch (e.rank()) {
                case 0 -> t.writeBytes(new byte[] {(byte) (0x80 | e.channel()), (byte) e.a(), 0});
                case 1 -> t.writeBytes(new byte[] {(byte) (0xC0 | e.channel()), (byte) e.a()});
                default -> t.writeBytes(new byte[] {(byte) (0x90 | e.channel()), (byte) e.a(), (byte) e.b()});
            }
        }
        t.writeBytes(new byte[] {0, (byte) 0xFF, 0x2F, 0});
        return t.toByteArray();
    }

    private static void meta(ByteArrayOutputStream t, int type, byte[] data) {
        t.writeBytes(new byte[] {0, (byte) 0xFF, (byte) type});
        vlq(t, data.length);
        t.writeBytes(data);
    }

    private static void delta(ByteArrayOutputStream t, long ticks) {
        if (ticks > MAX_DELTA) {
            throw new IllegalArgumentException("a gap of " + ticks + " ms between events is longer than MIDI's longest"
                    + " delta time (" + MAX_DELTA + " ticks, about 74 hours)");
        }
        vlq(t, ticks);
    }

    private static void vlq(ByteArrayOutputStream t, long v) {
        if (v > MAX_DELTA) {
            throw new IllegalArgumentException("a text of " + v + " bytes is longer than a MIDI event can hold");
        }
        int shift = 21;
        while (shift > 0 && (v >>> shift) == 0) {
            shift -= 7;
        }
        for (; shift > 0; shift -= 7) {
            t.write((int) (0x80 | ((v >>> shift) & 0x7F)));
        }
        t.write((int) (v & 0x7F));
    }

    private static void u16(ByteArrayOutputStream out, int v) {
        out.write(v >> 8);
        out.write(v);
    }

    private static void u32(ByteArrayOutputStream out, int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
    }
}
