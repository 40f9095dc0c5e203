package art.atelier.music;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Builds Standard MIDI File bytes by hand, byte by byte, so that tests can make exact files —
 * broken ones included — without trusting the code under test.
 */
public final class Smf {

    private Smf() {}

    /**
     * @param v a value, 0 to 0x0FFFFFFF
     * @return its variable-length quantity: 7 bits a byte, most significant first, high bit = more
     */
    public static byte[] vlq(long v) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int shift = 21;
        while (shift > 0 && (v >>> shift) == 0) {
            shift -= 7;
        }
        for (; shift > 0; shift -= 7) {
            out.write((int) (0x80 | ((v >>> shift) & 0x7F)));
        }
        out.write((int) (v & 0x7F));
        return out.toByteArray();
    }

    /**
     * @param type four ASCII letters
     * @param body the chunk's data
     * @return type, big-endian length, data
     */
    public static byte[] chunk(String type, byte[] body) {
        return concat(type.getBytes(StandardCharsets.ISO_8859_1), u32(body.length), body);
    }

    /**
     * @param format 0, 1 or 2
     * @param tracks declared track count
     * @param division ticks per quarter, or an SMPTE division with the high bit set
     * @return the 14-byte MThd chunk
     */
    public static byte[] header(int format, int tracks, int division) {
        return chunk("MThd", concat(u16(format), u16(tracks), u16(division)));
    }

    /**
     * @param format 0 or 1
     * @param division ticks per quarter
     * @param tracks the tracks, each becoming one MTrk chunk
     * @return a whole file
     */
    public static byte[] file(int format, int division, Track... tracks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header(format, tracks.length, division));
        for (Track t : tracks) {
            out.writeBytes(chunk("MTrk", t.bytes()));
        }
        return out.toByteArray();
    }

    /** @return the parts one after the other */
    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] u16(int v) {
        return new byte[] {(byte) (v >> 8), (byte) v};
    }

    static byte[] u32(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    /** A track's events, written as they are asked for: every call writes its delta time first. */
    public static final class Track {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        /** @return bytes appended as they are, with no delta time */
        public Track raw(int... bytes) {
            for (int b : bytes) {
                out.write(b);
            }
            return this;
        }

        /** @return a delta time and a channel message with its own status byte */
        public Track message(long delta, int status, int... data) {
            out.writeBytes(vlq(delta));
            return raw(status).raw(data);
        }

        /** @return a delta time and data bytes only, relying on running status */
        public Track running(long delta, int... data) {
            out.writeBytes(vlq(delta));
            return raw(data);
        }

        /** @return a note-on */
        public Track on(long delta, int channel, int key, int velocity) {
            return message(delta, 0x90 | channel, key, velocity);
        }

        /** @return a note-off (0x80, release velocity 64) */
        public Track off(long delta, int channel, int key) {
            return message(delta, 0x80 | channel, key, 64);
        }

        /** @return a program change */
        public Track program(long delta, int channel, int program) {
            return message(delta, 0xC0 | channel, program);
        }

        /** @return a control change */
        public Track control(long delta, int channel, int controller, int value) {
            return message(delta, 0xB0 | channel, controller, value);
        }

        /** @return a meta event */
        public Track meta(long delta, int type, byte[] data) {
            out.writeBytes(vlq(delta));
            raw(0xFF, type);
            out.writeBytes(vlq(data.length));
            out.writeBytes(data);
            return this;
        }

        /** @return a tempo meta event */
        public Track tempo(long delta, int microsPerQuarter) {
            return meta(delta, 0x51, new byte[] {(byte) (microsPerQuarter >> 16), (byte) (microsPerQuarter >> 8),
                    (byte) microsPerQuarter});
        }

        /** @return a time signature meta event: numerator / 2^power, 24 clocks a click, 8 32nds a quarter */
        public Track timeSignature(long delta, int numerator, int power) {
            return meta(delta, 0x58, new byte[] {(byte) numerator, (byte) power, 24, 8});
        }

        /** @return a text meta event in UTF-8 */
        public Track text(long delta, int type, String text) {
            return meta(delta, type, text.getBytes(StandardCharsets.UTF_8));
        }

        /** @return an end-of-track meta event */
        public Track end(long delta) {
            return meta(delta, 0x2F, new byte[0]);
        }

        /** @return the track's bytes so far */
        public byte[] bytes() {
            return out.toByteArray();
        }
    }

    /** @return a new, empty track */
    public static Track track() {
        return new Track();
    }
}
