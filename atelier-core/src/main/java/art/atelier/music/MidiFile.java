package art.atelier.music;

import java.util.List;
import java.util.Objects;

/**
 * What {@link MidiReader} finds in a Standard MIDI File: the notes as a {@link Piece} and the
 * file's conductor information, every time already in microseconds through the tempo map.
 *
 * @param piece the notes
 * @param format the SMF format: 0 (one track) or 1 (simultaneous tracks)
 * @param trackCount how many track chunks the file holds
 * @param ticksPerQuarter the header's division, ticks per quarter note; 0 when the file is timed in
 *     SMPTE frames instead (then tempo events are listed but do not move time)
 * @param tempoChanges the tempo events of every track, in time order (empty: the default
 *     {@link MidiReader#DEFAULT_TEMPO} applies throughout)
 * @param timeSignatures the time signature events of every track, in time order
 * @param texts the text meta events (types 0x01–0x07) of every track, in time order, then track order
 * @param durationMicros the end of the file: its last event (normally the last end-of-track), or the
 *     last note's release if that is later
 */
public record MidiFile(Piece piece, int format, int trackCount, int ticksPerQuarter, List<TempoChange> tempoChanges,
        List<TimeSignature> timeSignatures, List<Text> texts, long durationMicros) {

    /**
     * A tempo meta event (0x51).
     *
     * @param time when it takes effect, microseconds from the start
     * @param microsPerQuarter the new tempo, microseconds per quarter note (500000 = 120 bpm)
     */
    public record TempoChange(long time, int microsPerQuarter) {}

    /**
     * A time signature meta event (0x58).
     *
     * @param time when it takes effect, microseconds from the start
     * @param numerator beats per bar
     * @param denominator the beat's note value: 4 = quarter, 8 = eighth (a power of two)
     */
    public record TimeSignature(long time, int numerator, int denominator) {}

    /**
     * A text meta event (0x01 text, 0x02 copyright, 0x03 track name, 0x04 instrument name,
     * 0x05 lyric, 0x06 marker, 0x07 cue point).
     *
     * @param time when it occurs, microseconds from the start
     * @param track the track chunk it is in, counted from 0
     * @param type the meta type, 0x01–0x07
     * @param text its bytes decoded as UTF-8 when they are valid UTF-8, else as ISO-8859-1
     */
    public record Text(long time, int track, int type, String text) {}

    /** Copies the lists. */
    public MidiFile {
        Objects.requireNonNull(piece, "piece");
        tempoChanges = List.copyOf(tempoChanges);
        timeSignatures = List.copyOf(timeSignatures);
        texts = List.copyOf(texts);
    }
}
