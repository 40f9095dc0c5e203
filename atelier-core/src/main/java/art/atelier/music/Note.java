package art.atelier.music;

/**
 * One sounding note, in absolute time: what a MIDI file means once tempo, running status, note-off
 * conventions and the sustain pedal have been resolved.
 *
 * @param start onset, microseconds from the start of the piece
 * @param end release, microseconds; greater than {@code start}
 * @param pitch MIDI key 0–127 (for drums: which drum, General MIDI percussion map)
 * @param velocity MIDI velocity 1–127
 * @param program General MIDI program 0–127 (ignored for drums, kept 0)
 * @param drum whether the note was played on the drum channel (channel 10)
 */
public record Note(long start, long end, int pitch, int velocity, int program, boolean drum) {

    /** Validates the ranges. */
    public Note {
        if (pitch < 0 || pitch > 127) {
            throw new IllegalArgumentException("pitch out of 0..127: " + pitch);
        }
        if (velocity < 1 || velocity > 127) {
            throw new IllegalArgumentException("velocity out of 1..127: " + velocity);
        }
        if (program < 0 || program > 127) {
            throw new IllegalArgumentException("program out of 0..127: " + program);
        }
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException("note must start at or after 0 and end after it starts: " + start
                    + ".." + end);
        }
        if (drum) {
            program = 0;
        }
    }

    /** @return the instrument family this note is played by */
    public Instrument instrument() {
        return Instrument.of(program, drum);
    }

    /** @return end − start, microseconds */
    public long duration() {
        return end - start;
    }
}
