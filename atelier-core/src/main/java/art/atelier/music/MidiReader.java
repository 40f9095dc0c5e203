package art.atelier.music;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A strict reader of Standard MIDI Files (format 0 and 1) into notes in absolute time. Our own
 * parser rather than {@code javax.sound.midi}, so that a damaged file is refused with what is wrong
 * and where: "track 2 is truncated: it declares 1234 bytes, 800 remain".
 *
 * <p>What is read: the header; track chunks (other chunks are skipped); delta times; running status;
 * note-on, note-off (a note-on of velocity 0 is a note-off), program change, control change 64 (the
 * sustain pedal); sysex events (skipped); meta events tempo (0x51), time signature (0x58), end of
 * track (0x2F) and text (0x01–0x07). Other channel messages are parsed and ignored, other meta events
 * skipped. Tracks are counted from 0 in messages; offsets are byte offsets into the file.
 *
 * <p>Decisions where the standard leaves room or files go wrong:
 * <ul>
 *   <li><b>Time.</b> Ticks become microseconds through the tempo map, built from the tempo events of
 *       every track (in format 1 the map applies across tracks), 500000 µs per quarter until the first;
 *       two tempo events at one tick: the later one in (track, file) order wins. Times are computed
 *       exactly from the tick and rounded to the nearest microsecond once, so no error accumulates.
 *   <li><b>SMPTE division</b> (negative frames per second in the header) is supported: a tick lasts
 *       1/(fps × ticks per frame) s, with 29 meaning 29.97 (30000/1001) frames per second; tempo events
 *       are then listed but do not change time, and {@link MidiFile#ticksPerQuarter()} is 0.
 *   <li><b>Tracks and channels.</b> All tracks are merged in time order (then track number, then file
 *       order). Channel state — the program and the sustain pedal — is per channel across all tracks,
 *       as on a synthesizer. A note-off is matched to a note-on of the same key and channel in the
 *       same track, so two tracks sharing a channel (a piano's two hands) never cut each other's notes.
 *   <li><b>Programs.</b> Every channel starts at program 0; a note takes the program current at its
 *       onset. Channel 10 (index 9) is drums: {@link Note#drum()} is true and the program 0.
 *   <li><b>Sustain pedal</b> (control 64, down at values 64 and above): a key released while the pedal
 *       is down keeps sounding until the pedal goes up; striking that key again on that channel while
 *       it is held ends the held note at the new onset.
 *   <li><b>A note-on for a key that is already sounding</b> (same track, channel and key) ends the
 *       sounding note at the new onset (retrigger). A note-off with no sounding note is ignored.
 *   <li><b>Notes never released</b>, or still held by the pedal when the file ends, end at their
 *       track's end (its end-of-track event, or its last event); if that is their onset, at the file's end.
 *   <li><b>Zero-length notes</b> (released at the tick of their onset) last one tick, and at least 1 µs.
 *   <li><b>Running status</b> continues across meta and sysex events (the standard says those cancel
 *       it; some writers rely on it, and the meaning is plain). A data byte with no channel status
 *       before it in the track is an error.
 *   <li><b>Text</b> is decoded as UTF-8 when its bytes are valid UTF-8 (as {@link MidiWriter} writes
 *       it), else as ISO-8859-1 (as older files do), so no text is ever refused.
 *   <li>A track without an end-of-track event ends at its last event; bytes after the end-of-track
 *       event inside the chunk are ignored; so are bytes after the last declared track.
 * </ul>
 */
public final class MidiReader {

    /** The tempo before the first tempo event: microseconds per quarter note (120 bpm). */
    public static final int DEFAULT_TEMPO = 500_000;

    private static final int SUSTAIN = 64; // the sustain pedal's controller number
    private static final int DRUM_CHANNEL = 9; // channel 10, counted from 0

    private MidiReader() {}

    /**
     * Reads a MIDI file.
     *
     * @param file the file
     * @return what it holds
     * @throws MidiException naming the file and what is wrong, or that it cannot be read
     */
    public static MidiFile read(Path file) throws MidiException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new MidiException(file.toString(), "no such file", e);
        } catch (IOException e) {
            throw new MidiException(file.toString(), "cannot be read (" + e.getMessage() + ")", e);
        }
        try {
            return read(bytes);
        } catch (MidiException e) {
            throw new MidiException(file.toString(), e.reason(), null);
        }
    }

    /**
     * Reads a MIDI file's bytes.
     *
     * @param bytes the file's content
     * @return what it holds
     * @throws MidiException saying what is wrong and where
     */
    public static MidiFile read(byte[] bytes) throws MidiException {
        return new Parser(bytes).parse();
    }

    // ---- raw events --------------------------------------------------------------------------------

    /**
     * One event kept from a track, still in ticks.
     *
     * @param tick absolute time in ticks
     * @param track track chunk, from 0
     * @param seq position in its track
     * @param status channel status byte (0x80–0xEF), or 0xFF for a meta event
     * @param a first data byte, or the meta type
     * @param b second data byte, or for meta events a value (tempo, numerator)
     * @param c for a time signature, the denominator
     * @param text for a text event, its string
     */
    private record Event(long tick, int track, int seq, int status, int a, int b, int c, String text) {}

    private static final Comparator<Event> TIME_ORDER = Comparator.comparingLong(Event::tick)
            .thenComparingInt(Event::track)
            .thenComparingInt(Event::seq);

    /** Ticks to microseconds. */
    private static final class TempoMap {
        private final int ticksPerQuarter; // 0 for SMPTE
        private final long smpteNum; // SMPTE: µs per tick = smpteNum / smpteDen
        private final long smpteDen;
        private final long[] ticks; // segment starts, ascending; ticks[0] = 0
        private final long[] scaled; // µs × ticksPerQuarter at each segment start (exact)
        private final int[] tempo; // µs per quarter in each segment

        TempoMap(int ticksPerQuarter, List<Event> tempoEvents) throws MidiException {
            this.ticksPerQuarter = ticksPerQuarter;
            this.smpteNum = 0;
            this.smpteDen = 0;
            List<long[]> segs = new ArrayList<>(); // {tick, scaled, tempo}
            segs.add(new long[] {0, 0, DEFAULT_TEMPO});
            for (Event e : tempoEvents) {
                long[] last = segs.get(segs.size() - 1);
                if (e.tick() == last[0]) {
                    last[2] = e.b();
                } else {
                    long s = add(last[1], mul(e.tick() - last[0], last[2]));
                    segs.add(new long[] {e.tick(), s, e.b()});
                }
            }
            ticks = new long[segs.size()];
            scaled = new long[segs.size()];
            tempo = new int[segs.size()];
            for (int i = 0; i < segs.size(); i++) {
                ticks[i] = segs.get(i)[0];
                scaled[i] = segs.get(i)[1];
                tempo[i] = (int) segs.get(i)[2];
            }
        }

        TempoMap(long microsNum, long microsDen) {
            this.ticksPerQuarter = 0;
            this.smpteNum = microsNum;
            this.smpteDen = microsDen;
            this.ticks = null;
            this.scaled = null;
            this.tempo = null;
        }

        long micros(long tick) throws MidiException {
            if (ticksPerQuarter == 0) {
                return add(mul(tick, smpteNum), smpteDen / 2) / smpteDen;
            }
            int i = Arrays.binarySearch(ticks, tick);
            if (i < 0) {
                i = -i - 2;
            }
            long s = add(scaled[i], mul(tick - ticks[i], tempo[i]));
            return add(s, ticksPerQuarter / 2) / ticksPerQuarter;
        }

        private static long mul(long x, long y) throws MidiException {
            try {
                return Math.multiplyExact(x, y);
            } catch (ArithmeticException e) {
                throw new MidiException("the file's times are too long to count in microseconds");
            }
        }

        private static long add(long x, long y) throws MidiException {
            try {
                return Math.addExact(x, y);
            } catch (ArithmeticException e) {
                throw new MidiException("the file's times are too long to count in microseconds");
            }
        }
    }

    // ---- parsing -----------------------------------------------------------------------------------

    private static final class Parser {
        private final byte[] b; // the whole file
        private final List<Event> channel = new ArrayList<>(); // note-on/off, program change, control 64
        private final List<Event> tempos = new ArrayList<>();
        private final List<Event> signatures = new ArrayList<>();
        private final List<Event> texts = new ArrayList<>();
        private long[] trackEnds; // tick of each track's end

        // the track being read
        private int track;
        private int end; // offset just after the track's data
        private int pos; // the next byte
        private int eventStart; // offset of the event being read: its status byte (or first data byte)
        private int seq;

        Parser(byte[] bytes) {
            this.b = bytes;
        }

        MidiFile parse() throws MidiException {
            if (b.length == 0) {
                throw new MidiException("empty file (0 bytes)");
            }
            if (b.length < 4 || b[0] != 'M' || b[1] != 'T' || b[2] != 'h' || b[3] != 'd') {
                throw new MidiException("not a MIDI file (starts with " + describe(0, Math.min(4, b.length))
                        + ", not \"MThd\")");
            }
            if (b.length < 14) {
                throw new MidiException("the header is truncated: the file has " + b.length
                        + " bytes, a MIDI header takes 14");
            }
            long headerLength = u32(4);
            if (headerLength < 6) {
                throw new MidiException("the header chunk has length " + headerLength + ", expected 6");
            }
            if (headerLength > b.length - 8) {
                throw new MidiException("the header is truncated: it declares " + headerLength + " bytes, "
                        + (b.length - 8) + " remain");
            }
            int format = u16(8);
            int declared = u16(10);
            int division = u16(12);
            if (format == 2) {
                throw new MidiException("format 2 (independent sequences) is not supported");
            }
            if (format > 2) {
                throw new MidiException("unknown format " + format + " (formats 0 and 1 are supported)");
            }
            if (declared == 0) {
                throw new MidiException("the header declares no tracks");
            }
            if (format == 0 && declared != 1) {
                throw new MidiException("format 0 has exactly one track, but the header declares " + declared);
            }
            int ticksPerQuarter = 0;
            long smpteNum = 0;
            long smpteDen = 0;
            if ((division & 0x8000) != 0) {
                int fps = -(byte) (division >> 8);
                int perFrame = division & 0xFF;
                // µs per tick = 1e6 / (fps × perFrame), fps 29 being 30000/1001
                switch (fps) {
                    case 24, 25, 30 -> {
                        smpteNum = 1_000_000L;
                        smpteDen = (long) fps * perFrame;
                    }
                    case 29 -> {
                        smpteNum = 1_000_000L * 1001;
                        smpteDen = 30_000L * perFrame;
                    }
                    default -> throw new MidiException("the header's SMPTE division has " + fps
                            + " frames per second; 24, 25, 29 (29.97) or 30 expected");
                }
                if (perFrame == 0) {
                    throw new MidiException("the header's SMPTE division has 0 ticks per frame");
                }
            } else {
                ticksPerQuarter = division;
                if (ticksPerQuarter == 0) {
                    throw new MidiException("the header's division is 0 ticks per quarter note");
                }
            }

            trackEnds = new long[declared];
            int at = 8 + (int) headerLength;
            int found = 0;
            while (found < declared) {
                if (b.length - at < 8) {
                    throw new MidiException("the header declares " + declared + " tracks, but the file ends after "
                            + found + (at < b.length ? " (" + (b.length - at) + " stray bytes at offset " + hex(at)
                            + ")" : ""));
                }
                String type = new String(b, at, 4, StandardCharsets.ISO_8859_1);
                long length = u32(at + 4);
                long remain = b.length - at - 8L;
                if (type.equals("MTrk")) {
                    if (length > remain) {
                        throw new MidiException("track " + found + " is truncated: it declares " + length
                                + " bytes, " + remain + " remain");
                    }
                    readTrack(found, at + 8, at + 8 + (int) length);
                    found++;
                } else {
                    if (!isChunkType(at)) {
                        throw new MidiException("expected a chunk at offset " + hex(at) + " (track " + found
                                + " or another chunk), found bytes " + describe(at, at + 4));
                    }
                    if (length > remain) {
                        throw new MidiException("chunk \"" + type + "\" at offset " + hex(at)
                                + " is truncated: it declares " + length + " bytes, " + remain + " remain");
                    }
                }
                at += 8 + (int) length;
            }
            return resolve(format, declared, ticksPerQuarter, smpteNum, smpteDen);
        }

        private void readTrack(int track, int start, int end) throws MidiException {
            this.track = track;
            this.end = end;
            this.pos = start;
            this.seq = 0;
            long tick = 0;
            int running = 0; // the last channel status byte in this track, 0 for none
            while (pos < end) {
                eventStart = pos; // until the delta time is read, the event starts there
                tick += vlq();
                eventStart = pos; // from here on, at its status byte
                int statusOffset = pos;
                int status = next();
                if (status < 0x80) {
                    if (running == 0) {
                        throw new MidiException("running status with no previous status byte at offset "
                                + hex(statusOffset) + " (track " + track + ")");
                    }
                    pos--; // the byte is the message's first data byte
                    status = running;
                }
                if (status < 0xF0) {
                    running = status;
                    channelMessage(tick, status, statusOffset);
                } else if (status == 0xF0 || status == 0xF7) {
                    skip(vlq()); // a sysex message or an escaped sequence
                } else if (status == 0xFF) {
                    if (meta(tick)) {
                        break; // end of track: whatever follows in the chunk is ignored
                    }
                } else {
                    throw new MidiException("unexpected status byte " + hex2(status) + " at offset "
                            + hex(statusOffset) + " (track " + track + "): only channel messages, sysex (0xf0, 0xf7)"
                            + " and meta events (0xff) may appear in a MIDI file");
                }
            }
            trackEnds[track] = tick;
        }

        private void channelMessage(long tick, int status, int statusOffset) throws MidiException {
            int kind = status & 0xF0;
            int ch = status & 0x0F;
            int dataBytes = kind == 0xC0 || kind == 0xD0 ? 1 : 2;
            int d1 = data(status, dataBytes);
            int d2 = dataBytes == 2 ? data(status, dataBytes) : 0;
            switch (kind) {
                case 0x80 -> add(channel, tick, 0x80 | ch, d1, 0);
                case 0x90 -> add(channel, tick, (d2 == 0 ? 0x80 : 0x90) | ch, d1, d2);
                case 0xB0 -> {
                    if (d1 == SUSTAIN) {
                        add(channel, tick, status, d1, d2);
                    }
                }
                case 0xC0 -> add(channel, tick, status, d1, 0);
                default -> { } // key pressure, channel pressure, pitch bend: parsed, not used
            }
        }

        private int data(int status, int count) throws MidiException {
            int at = pos;
            int v = next();
            if (v >= 0x80) {
                throw new MidiException("unexpected status byte " + hex2(v) + " at offset " + hex(at) + " (track "
                        + track + "): the " + messageName(status) + " before it needs " + count + " data byte"
                        + (count == 1 ? "" : "s"));
            }
            return v;
        }

        /** @return whether the event was the end of the track */
        private boolean meta(long tick) throws MidiException {
            int typeOffset = pos;
            int type = next();
            if (type >= 0x80) {
                throw new MidiException("meta event at offset " + hex(typeOffset - 1) + " (track " + track
                        + ") has type " + hex2(type) + ", expected 0x00–0x7f");
            }
            long length = vlq();
            int dataAt = pos;
            need(length);
            switch (type) {
                case 0x51 -> {
                    expectLength("tempo", length, 3);
                    int tempo = (u8(dataAt) << 16) | (u8(dataAt + 1) << 8) | u8(dataAt + 2);
                    if (tempo == 0) {
                        throw new MidiException("tempo event at offset " + hex(eventStart) + " (track " + track
                                + ") sets 0 µs per quarter note");
                    }
                    add(tempos, tick, 0xFF, type, tempo);
                }
                case 0x58 -> {
                    expectLength("time signature", length, 4);
                    int numerator = u8(dataAt);
                    int power = u8(dataAt + 1);
                    if (numerator == 0 || power > 7) {
                        throw new MidiException("time signature event at offset " + hex(eventStart) + " (track "
                                + track + ") is " + numerator + "/2^" + power + ", not a time signature");
                    }
                    signatures.add(new Event(tick, track, seq++, 0xFF, type, numerator, 1 << power, null));
                }
                case 0x2F -> expectLength("end-of-track", length, 0);
                case 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07 ->
                        texts.add(new Event(tick, track, seq++, 0xFF, type, 0, 0, text(dataAt, (int) length)));
                default -> { } // sequence number, channel prefix, port, SMPTE offset, key signature, ...
            }
            pos = dataAt + (int) length;
            return type == 0x2F;
        }

        private void expectLength(String what, long length, int expected) throws MidiException {
            if (length != expected) {
                throw new MidiException(what + " event at offset " + hex(eventStart) + " (track " + track
                        + ") has length " + length + ", expected " + expected);
            }
        }

        private void add(List<Event> to, long tick, int status, int a, int b) {
            to.add(new Event(tick, track, seq++, status, a, b, 0, null));
        }

        // ---- bytes ---------------------------------------------------------------------------------

        private int next() throws MidiException {
            if (pos >= end) {
                throw truncatedEvent();
            }
            return b[pos++] & 0xFF;
        }

        private void need(long count) throws MidiException {
            if (count > end - pos) {
                throw truncatedEvent();
            }
        }

        private void skip(long count) throws MidiException {
            need(count);
            pos += (int) count;
        }

        private MidiException truncatedEvent() {
            return new MidiException("track " + track + " ends in the middle of the event that starts at offset "
                    + hex(eventStart));
        }

        private long vlq() throws MidiException {
            int at = pos;
            long v = 0;
            for (int i = 0; i < 4; i++) {
                int c = next();
                v = (v << 7) | (c & 0x7F);
                if ((c & 0x80) == 0) {
                    return v;
                }
            }
            throw new MidiException("variable-length quantity at offset " + hex(at) + " (track " + track
                    + ") is longer than 4 bytes");
        }

        private int u8(int at) {
            return b[at] & 0xFF;
        }

        private int u16(int at) {
            return (u8(at) << 8) | u8(at + 1);
        }

        private long u32(int at) {
            return ((long) u16(at) << 16) | u16(at + 2);
        }

        private boolean isChunkType(int at) {
            for (int i = at; i < at + 4; i++) {
                if (b[i] < 0x20 || b[i] > 0x7E) {
                    return false;
                }
            }
            return true;
        }

        private String text(int at, int length) {
            try {
                return StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(b, at, length))
                        .toString();
            } catch (CharacterCodingException e) {
                return new String(b, at, length, StandardCharsets.ISO_8859_1);
            }
        }

        private String describe(int from, int to) {
            StringBuilder hexes = new StringBuilder();
            StringBuilder chars = new StringBuilder();
            for (int i = from; i < to; i++) {
                int v = u8(i);
                hexes.append(i == from ? "" : " ").append(String.format(Locale.ROOT, "%02x", v));
                chars.append(v >= 0x20 && v < 0x7F ? (char) v : '.');
            }
            return hexes + " \"" + chars + "\"";
        }

        // ---- from events to notes ------------------------------------------------------------------

        private MidiFile resolve(int format, int trackCount, int ticksPerQuarter, long smpteNum, long smpteDen)
                throws MidiException {
            tempos.sort(TIME_ORDER);
            signatures.sort(TIME_ORDER);
            texts.sort(TIME_ORDER);
            channel.sort(TIME_ORDER);
            TempoMap map = ticksPerQuarter > 0 ? new TempoMap(ticksPerQuarter, tempos) : new TempoMap(smpteNum, smpteDen);
            long fileEnd = 0;
            for (long t : trackEnds) {
                fileEnd = Math.max(fileEnd, t);
            }
            List<Note> notes = new Notes(map, trackEnds, fileEnd).play(channel);
            List<MidiFile.TempoChange> tempoChanges = new ArrayList<>();
            for (Event e : tempos) {
                tempoChanges.add(new MidiFile.TempoChange(map.micros(e.tick()), e.b()));
            }
            List<MidiFile.TimeSignature> sigs = new ArrayList<>();
            for (Event e : signatures) {
                sigs.add(new MidiFile.TimeSignature(map.micros(e.tick()), e.b(), e.c()));
            }
            List<MidiFile.Text> txt = new ArrayList<>();
            for (Event e : texts) {
                txt.add(new MidiFile.Text(map.micros(e.tick()), e.track(), e.a(), e.text()));
            }
            Piece piece = new Piece(notes);
            long duration = Math.max(map.micros(fileEnd), piece.duration());
            return new MidiFile(piece, format, trackCount, ticksPerQuarter, tempoChanges, sigs, txt, duration);
        }
    }

    /** Plays the merged channel events through per-channel state and collects the notes. */
    private static final class Notes {

        /** A note whose onset is known and whose end is not yet. */
        private record Open(long start, int track, int channel, int pitch, int velocity, int program) {}

        private final TempoMap map;
        private final long[] trackEnds;
        private final long fileEnd;
        private final int[] program = new int[16]; // per channel
        private final boolean[] pedal = new boolean[16]; // per channel: sustain down
        private final Map<Integer, Open> sounding = new HashMap<>(); // key(track, channel, pitch) → note
        private final Map<Integer, List<Open>> held = new HashMap<>(); // channel × 128 + pitch → released, pedal down
        private final List<Note> notes = new ArrayList<>();

        Notes(TempoMap map, long[] trackEnds, long fileEnd) {
            this.map = map;
            this.trackEnds = trackEnds;
            this.fileEnd = fileEnd;
        }

        List<Note> play(List<Event> events) throws MidiException {
            for (Event e : events) {
                int ch = e.status() & 0x0F;
                switch (e.status() & 0xF0) {
                    case 0x90 -> noteOn(e.tick(), e.track(), ch, e.a(), e.b());
                    case 0x80 -> noteOff(e.tick(), e.track(), ch, e.a());
                    case 0xC0 -> program[ch] = e.a();
                    case 0xB0 -> pedal(e.tick(), ch, e.b() >= 64);
                    default -> throw new IllegalStateException("unexpected kept event " + e);
                }
            }
            // whatever still sounds or is held ends with its track (or, if that is its onset, the file)
            List<Open> left = new ArrayList<>(sounding.values());
            held.values().forEach(left::addAll);
            left.sort(Comparator.comparingLong(Open::start).thenComparingInt(Open::track)
                    .thenComparingInt(Open::channel).thenComparingInt(Open::pitch));
            for (Open o : left) {
                long endTick = trackEnds[o.track()] > o.start() ? trackEnds[o.track()] : fileEnd;
                end(o, endTick);
            }
            return notes;
        }

        private void noteOn(long tick, int track, int ch, int pitch, int velocity) throws MidiException {
            List<Open> sustained = held.remove(ch * 128 + pitch);
            if (sustained != null) {
                for (Open o : sustained) {
                    end(o, tick); // a key struck again while the pedal holds it
                }
            }
            Open previous = sounding.put(key(track, ch, pitch),
                    new Open(tick, track, ch, pitch, velocity, ch == DRUM_CHANNEL ? 0 : program[ch]));
            if (previous != null) {
                end(previous, tick); // retrigger
            }
        }

        private void noteOff(long tick, int track, int ch, int pitch) throws MidiException {
            Open o = sounding.remove(key(track, ch, pitch));
            if (o == null) {
                return; // nothing to release
            }
            if (pedal[ch]) {
                held.computeIfAbsent(ch * 128 + pitch, k -> new ArrayList<>()).add(o);
            } else {
                end(o, tick);
            }
        }

        private void pedal(long tick, int ch, boolean down) throws MidiException {
            if (pedal[ch] && !down) {
                List<Integer> keys = new ArrayList<>();
                for (Integer k : held.keySet()) {
                    if (k / 128 == ch) {
                        keys.add(k);
                    }
                }
                keys.sort(null);
                for (Integer k : keys) {
                    for (Open o : held.remove(k)) {
                        end(o, tick);
                    }
                }
            }
            pedal[ch] = down;
        }

        private void end(Open o, long endTick) throws MidiException {
            long start = map.micros(o.start());
            long end = map.micros(endTick > o.start() ? endTick : o.start() + 1); // zero length: one tick
            notes.add(new Note(start, Math.max(end, start + 1), o.pitch(), o.velocity(), o.program(),
                    o.channel() == DRUM_CHANNEL));
        }

        private static int key(int track, int ch, int pitch) {
            return (track << 11) | (ch << 7) | pitch;
        }
    }

    // ---- wording -----------------------------------------------------------------------------------

    private static String messageName(int status) {
        return switch (status & 0xF0) {
            case 0x80 -> "note-off";
            case 0x90 -> "note-on";
            case 0xA0 -> "key pressure";
            case 0xB0 -> "control change";
            case 0xC0 -> "program change";
            case 0xD0 -> "channel pressure";
            default -> "pitch bend";
        };
    }

    private static String hex(int offset) {
        return "0x" + Integer.toHexString(offset);
    }

    private static String hex2(int v) {
        return String.format(Locale.ROOT, "0x%02x", v);
    }
}
