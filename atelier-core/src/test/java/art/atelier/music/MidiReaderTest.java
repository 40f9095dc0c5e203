package art.atelier.music;

import static art.atelier.music.Smf.track;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

class MidiReaderTest {

    @TempDir
    Path dir;

    private static Note note(long start, long end, int pitch, int velocity, int program) {
        return new Note(start, end, pitch, velocity, program, false);
    }

    private static List<Note> notes(byte[] file) throws MidiException {
        return MidiReader.read(file).piece().notes();
    }

    // ---- what is read ------------------------------------------------------------------------------

    @Test
    void formatZeroAtTheDefaultTempo() throws MidiException {
        // 96 ticks a quarter at 500000 µs a quarter: 96 ticks = 0.5 s
        byte[] file = Smf.file(0, 96, track()
                .on(0, 0, 60, 100).off(96, 0, 60)
                .on(0, 0, 64, 90).off(48, 0, 64)
                .end(48));
        MidiFile m = MidiReader.read(file);
        assertThat(m.format()).isZero();
        assertThat(m.trackCount()).isEqualTo(1);
        assertThat(m.ticksPerQuarter()).isEqualTo(96);
        assertThat(m.tempoChanges()).isEmpty();
        assertThat(m.piece().notes()).containsExactly(note(0, 500_000, 60, 100, 0), note(500_000, 750_000, 64, 90, 0));
        assertThat(m.durationMicros()).isEqualTo(1_000_000); // the end-of-track event, after the last note
    }

    @Test
    void formatOneWithSeveralTracksAndChannels() throws MidiException {
        byte[] file = Smf.file(1, 480,
                track().tempo(0, 600_000).timeSignature(0, 4, 2).end(0),
                track().text(0, 0x03, "Soprano").program(0, 0, 52).on(0, 0, 72, 80).off(480, 0, 72).end(0),
                track().text(0, 0x03, "Bass").program(0, 1, 32).on(0, 1, 48, 70).off(960, 1, 48).end(0));
        MidiFile m = MidiReader.read(file);
        assertThat(m.format()).isEqualTo(1);
        assertThat(m.trackCount()).isEqualTo(3);
        assertThat(m.piece().notes()).containsExactly(note(0, 1_200_000, 48, 70, 32), note(0, 600_000, 72, 80, 52));
        assertThat(m.piece().instruments()).containsExactly(Instrument.BASS, Instrument.ENSEMBLE);
        assertThat(m.texts()).containsExactly(new MidiFile.Text(0, 1, 3, "Soprano"), new MidiFile.Text(0, 2, 3, "Bass"));
        assertThat(m.durationMicros()).isEqualTo(1_200_000);
    }

    @Test
    void aNoteTakesTheProgramCurrentAtItsOnset() throws MidiException {
        byte[] file = Smf.file(0, 100, track()
                .program(0, 0, 0).on(0, 0, 60, 100)
                .program(50, 0, 40).on(0, 0, 62, 100) // 60 still sounds: it stays a piano note
                .off(50, 0, 60).off(0, 0, 62)
                .program(0, 0, 73).on(0, 0, 64, 100).off(100, 0, 64).end(0));
        assertThat(notes(file)).containsExactly(
                note(0, 500_000, 60, 100, 0), note(250_000, 500_000, 62, 100, 40), note(500_000, 1_000_000, 64, 100, 73));
    }

    @Test
    void programsAreChannelStateSharedAcrossTracks() throws MidiException {
        // the conductor track sets channel 2's program; the notes are in another track
        byte[] file = Smf.file(1, 100, track().program(0, 2, 24).end(0), track().on(0, 2, 50, 60).off(100, 2, 50).end(0));
        assertThat(notes(file)).containsExactly(note(0, 500_000, 50, 60, 24));
    }

    @Test
    void aTempoChangeMidPieceMovesLaterOnsetsExactly() throws MidiException {
        // 480 ticks a quarter; 500000 µs a quarter, then from tick 960 on 250000 µs a quarter —
        // the second tempo event is in another track than the first: the map spans all tracks
        byte[] file = Smf.file(1, 480,
                track().tempo(0, 500_000).end(0),
                track().tempo(960, 250_000).end(0),
                track().on(480, 0, 60, 100).off(480, 0, 60) // 0.5 s to 1.0 s
                        .on(0, 0, 62, 100).off(480, 0, 62) // 1.0 s to 1.25 s
                        .on(240, 0, 64, 100).off(1, 0, 64) // 1.375 s, one tick = 520.8 µs later
                        .end(0));
        MidiFile m = MidiReader.read(file);
        assertThat(m.piece().notes()).extracting(Note::start).containsExactly(500_000L, 1_000_000L, 1_375_000L);
        assertThat(m.piece().notes()).extracting(Note::end).containsExactly(1_000_000L, 1_250_000L, 1_375_521L);
        assertThat(m.tempoChanges()).containsExactly(new MidiFile.TempoChange(0, 500_000),
                new MidiFile.TempoChange(1_000_000, 250_000));
    }

    @Test
    void timesAreRoundedOnceNotAccumulated() throws MidiException {
        // 3 ticks a quarter at 1 s a quarter: each tick is 333333.3 µs
        Smf.Track t = track().tempo(0, 1_000_000);
        for (int i = 0; i < 6; i++) {
            t.on(0, 0, 60 + i, 100).off(1, 0, 60 + i);
        }
        List<Note> n = notes(Smf.file(0, 3, t.end(0)));
        assertThat(n).extracting(Note::start)
                .containsExactly(0L, 333_333L, 666_667L, 1_000_000L, 1_333_333L, 1_666_667L);
    }

    @Test
    void timeSignaturesAreRead() throws MidiException {
        byte[] file = Smf.file(0, 480, track().timeSignature(0, 3, 2).timeSignature(1440, 6, 3).on(0, 0, 60, 1)
                .off(1, 0, 60).end(0));
        assertThat(MidiReader.read(file).timeSignatures()).containsExactly(new MidiFile.TimeSignature(0, 3, 4),
                new MidiFile.TimeSignature(1_500_000, 6, 8));
    }

    @Test
    void channelTenIsDrums() throws MidiException {
        byte[] file = Smf.file(0, 100, track().program(0, 9, 25).on(0, 9, 36, 127).off(10, 9, 36)
                .on(0, 3, 36, 127).off(10, 3, 36).end(0));
        List<Note> n = notes(file);
        assertThat(n).containsExactly(new Note(0, 50_000, 36, 127, 0, true), note(50_000, 100_000, 36, 127, 0));
        assertThat(n.get(0).instrument()).isEqualTo(Instrument.DRUMS);
        assertThat(n.get(1).instrument()).isEqualTo(Instrument.PIANO);
    }

    @Test
    void theSustainPedalHoldsReleasedKeysUntilItGoesUp() throws MidiException {
        byte[] file = Smf.file(0, 100, track()
                .control(0, 0, 64, 127) // down
                .on(0, 0, 60, 100).off(100, 0, 60) // released at 0.5 s, held
                .on(0, 0, 62, 100).off(100, 0, 62) // released at 1.0 s, held
                .control(100, 0, 64, 63) // up at 1.5 s: both end
                .on(0, 0, 64, 100).off(100, 0, 64) // no pedal: ends at its note-off
                .end(0));
        assertThat(notes(file)).containsExactly(note(0, 1_500_000, 60, 100, 0), note(500_000, 1_500_000, 62, 100, 0),
                note(1_500_000, 2_000_000, 64, 100, 0));
    }

    @Test
    void aKeyStruckAgainWhileHeldEndsTheHeldNote() throws MidiException {
        byte[] file = Smf.file(1, 100,
                track().control(0, 0, 64, 64).control(400, 0, 64, 0).end(0), // the pedal in its own track
                track().on(0, 0, 60, 100).off(50, 0, 60).on(50, 0, 60, 90).off(50, 0, 60).end(0));
        assertThat(notes(file)).containsExactly(note(0, 500_000, 60, 100, 0), note(500_000, 2_000_000, 60, 90, 0));
    }

    @Test
    void theSustainPedalIsPerChannel() throws MidiException {
        byte[] file = Smf.file(0, 100, track().control(0, 1, 64, 127).on(0, 0, 60, 100).off(100, 0, 60)
                .control(100, 1, 64, 0).end(0));
        assertThat(notes(file)).containsExactly(note(0, 500_000, 60, 100, 0));
    }

    @Test
    void runningStatusAndVelocityZeroNoteOffs() throws MidiException {
        byte[] file = Smf.file(0, 100, track()
                .on(0, 0, 60, 100).running(0, 64, 90) // note-on 64 by running status
                .running(100, 60, 0) // note-on, velocity 0: a note-off
                .text(0, 0x01, "between") // a meta event does not cancel running status
                .running(100, 64, 0)
                .control(0, 0, 7, 100).running(0, 10, 64) // running status for another message kind
                .end(0));
        assertThat(notes(file)).containsExactly(note(0, 500_000, 60, 100, 0), note(0, 1_000_000, 64, 90, 0));
    }

    @Test
    void aNoteNeverReleasedEndsWithItsTrack() throws MidiException {
        byte[] file = Smf.file(1, 100,
                track().on(0, 0, 60, 100).end(200), // never released: ends at its track's end, 1 s
                track().on(300, 1, 62, 100).end(0), // the last event of its track: ends at the file's end
                track().end(400));
        MidiFile m = MidiReader.read(file);
        assertThat(m.piece().notes()).containsExactly(note(0, 1_000_000, 60, 100, 0), note(1_500_000, 2_000_000, 62, 100, 0));
        assertThat(m.durationMicros()).isEqualTo(2_000_000);
    }

    @Test
    void aZeroLengthNoteLastsOneTick() throws MidiException {
        byte[] file = Smf.file(0, 100, track().on(0, 9, 42, 100).off(0, 9, 42).end(0));
        assertThat(notes(file)).singleElement().satisfies(n -> {
            assertThat(n.start()).isZero();
            assertThat(n.end()).isEqualTo(5_000);
        });
    }

    @Test
    void aRepeatedNoteOnEndsTheSoundingNote() throws MidiException {
        byte[] file = Smf.file(0, 100, track().on(0, 0, 60, 100).on(100, 0, 60, 80).off(100, 0, 60).off(100, 0, 60)
                .end(0));
        assertThat(notes(file)).containsExactly(note(0, 500_000, 60, 100, 0), note(500_000, 1_000_000, 60, 80, 0));
    }

    @Test
    void twoTracksOnOneChannelDoNotCutEachOthersNotes() throws MidiException {
        // a piano's two hands on channel 0 both play middle C, overlapping
        byte[] file = Smf.file(1, 100,
                track().on(0, 0, 60, 100).off(200, 0, 60).end(0),
                track().on(100, 0, 60, 50).off(200, 0, 60).end(0));
        assertThat(notes(file)).containsExactly(note(0, 1_000_000, 60, 100, 0), note(500_000, 1_500_000, 60, 50, 0));
    }

    @Test
    void smpteDivisionsCountFramesNotQuarters() throws MidiException {
        // -25 frames a second, 40 ticks a frame: 1000 ticks a second; tempo events do not move time
        int division = ((-25 & 0xFF) << 8) | 40;
        MidiFile m = MidiReader.read(Smf.file(0, division, track().tempo(0, 250_000).on(500, 0, 60, 100)
                .off(1500, 0, 60).end(0)));
        assertThat(m.ticksPerQuarter()).isZero();
        assertThat(m.piece().notes()).containsExactly(note(500_000, 2_000_000, 60, 100, 0));
        // 29.97 frames a second, 1 tick a frame: a tick is 33366.7 µs
        int drop = ((-29 & 0xFF) << 8) | 1;
        assertThat(notes(Smf.file(0, drop, track().on(30, 0, 60, 100).off(1, 0, 60).end(0))))
                .containsExactly(note(1_001_000, 1_034_367, 60, 100, 0));
    }

    @Test
    void sysexOtherMessagesMetaEventsAndChunksAreSkipped() throws MidiException {
        byte[] track = track()
                .raw(0, 0xF0, 3, 0x7E, 0x7F, 0xF7) // sysex
                .raw(0, 0xF7, 2, 0xF3, 0x01) // escaped bytes
                .meta(0, 0x59, new byte[] {2, 0}) // key signature
                .meta(0, 0x7F, new byte[] {0, 0, 0x41}) // sequencer-specific
                .message(0, 0xE0, 0, 64).message(0, 0xA0, 60, 5).message(0, 0xD0, 9).control(0, 0, 1, 20)
                .on(0, 0, 60, 100).off(100, 0, 60).end(0).bytes();
        byte[] file = Smf.concat(Smf.header(0, 1, 100), Smf.chunk("XFIH", new byte[] {1, 2, 3}),
                Smf.chunk("MTrk", track), new byte[] {0, 0, 0}); // and stray bytes after the last track
        assertThat(notes(file)).containsExactly(note(0, 500_000, 60, 100, 0));
    }

    @Test
    void textIsUtf8WhenValidElseLatin1() throws MidiException {
        byte[] file = Smf.file(0, 100, track().text(0, 0x01, "Fugue \u266A BWV 578")
                .meta(0, 0x05, "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1)).end(0));
        assertThat(MidiReader.read(file).texts()).extracting(MidiFile.Text::text)
                .containsExactly("Fugue \u266A BWV 578", "caf\u00e9");
    }

    // ---- what is refused, and how it is said -------------------------------------------------------

    private static void refused(byte[] file, String message) {
        assertThatThrownBy(() -> MidiReader.read(file)).isInstanceOf(MidiException.class).hasMessage(message);
    }

    @Test
    void anEmptyFile() {
        refused(new byte[0], "empty file (0 bytes)");
    }

    @Test
    void aFileThatIsNotMidi() {
        refused("RIFF....WAVEfmt ".getBytes(StandardCharsets.ISO_8859_1),
                "not a MIDI file (starts with 52 49 46 46 \"RIFF\", not \"MThd\")");
        refused(new byte[] {'M', 'T'}, "not a MIDI file (starts with 4d 54 \"MT\", not \"MThd\")");
    }

    @Test
    void aBadHeader() {
        refused(Arrays.copyOf(Smf.header(0, 1, 96), 10), "the header is truncated: the file has 10 bytes, a MIDI header takes 14");
        refused(Smf.concat(Smf.chunk("MThd", new byte[] {0, 0, 0, 1}), new byte[6]),
                "the header chunk has length 4, expected 6");
        refused(Smf.header(0, 0, 96), "the header declares no tracks");
        refused(Smf.file(0, 96, track().end(0), track().end(0)), "format 0 has exactly one track, but the header declares 2");
        refused(Smf.file(3, 96, track().end(0)), "unknown format 3 (formats 0 and 1 are supported)");
        refused(Smf.file(0, 0, track().end(0)), "the header's division is 0 ticks per quarter note");
        refused(Smf.file(0, ((-23 & 0xFF) << 8) | 4, track().end(0)),
                "the header's SMPTE division has 23 frames per second; 24, 25, 29 (29.97) or 30 expected");
    }

    @Test
    void formatTwo() {
        refused(Smf.file(2, 96, track().end(0), track().end(0)), "format 2 (independent sequences) is not supported");
    }

    @Test
    void aTruncatedTrack() {
        byte[] whole = Smf.file(1, 96, track().end(0), track().on(0, 0, 60, 100).off(96, 0, 60).end(0));
        // track 1 holds 12 bytes; cut 5 off the end of the file
        refused(Arrays.copyOf(whole, whole.length - 5), "track 1 is truncated: it declares 12 bytes, 7 remain");
    }

    @Test
    void missingTracks() {
        byte[] whole = Smf.file(1, 96, track().end(0), track().end(0));
        byte[] oneTrack = Arrays.copyOf(whole, 14 + 12);
        oneTrack[11] = 2;
        refused(oneTrack, "the header declares 2 tracks, but the file ends after 1");
        byte[] stray = Arrays.copyOf(whole, 14 + 12 + 3);
        refused(stray, "the header declares 2 tracks, but the file ends after 1 (3 stray bytes at offset 0x1a)");
    }

    @Test
    void runningStatusWithNoStatusBefore() {
        // header 14 bytes, track 0 (4 bytes of data) 12, track 1's header 8: its data begins at 0x22;
        // its first event: delta at 0x22, then a data byte at 0x23
        refused(Smf.file(1, 96, track().end(0), track().running(0, 60, 100).end(0)),
                "running status with no previous status byte at offset 0x23 (track 1)");
    }

    @Test
    void statusBytesThatCannotBeInAFile() {
        refused(Smf.file(0, 96, track().raw(0, 0xF4).end(0)),
                "unexpected status byte 0xf4 at offset 0x17 (track 0): only channel messages, sysex (0xf0, 0xf7)"
                        + " and meta events (0xff) may appear in a MIDI file");
        refused(Smf.file(0, 96, track().raw(0, 0x90, 60, 0x80, 60, 0).end(0)),
                "unexpected status byte 0x80 at offset 0x19 (track 0): the note-on before it needs 2 data bytes");
    }

    @Test
    void metaEventsOfTheWrongLength() {
        refused(Smf.file(0, 96, track().meta(0, 0x51, new byte[] {7, (byte) 0xA1}).end(0)),
                "tempo event at offset 0x17 (track 0) has length 2, expected 3");
        refused(Smf.file(0, 96, track().meta(0, 0x58, new byte[] {4, 2}).end(0)),
                "time signature event at offset 0x17 (track 0) has length 2, expected 4");
        refused(Smf.file(0, 96, track().meta(0, 0x2F, new byte[] {0})),
                "end-of-track event at offset 0x17 (track 0) has length 1, expected 0");
        refused(Smf.file(0, 96, track().tempo(0, 0).end(0)),
                "tempo event at offset 0x17 (track 0) sets 0 µs per quarter note");
    }

    @Test
    void anEventCutByItsTracksEnd() {
        refused(Smf.file(0, 96, track().on(0, 0, 60, 100).raw(0, 0x80, 60)),
                "track 0 ends in the middle of the event that starts at offset 0x1b");
        refused(Smf.file(0, 96, track().text(0, 1, "hello").raw(0, 0xFF, 0x01, 9, 'a')),
                "track 0 ends in the middle of the event that starts at offset 0x20");
        refused(Smf.file(0, 96, track().raw(0x81, 0x80)),
                "track 0 ends in the middle of the event that starts at offset 0x16");
    }

    @Test
    void anOverlongDeltaTime() {
        refused(Smf.file(0, 96, track().raw(0x81, 0x80, 0x80, 0x80, 0x00, 0x90, 60, 1).end(0)),
                "variable-length quantity at offset 0x16 (track 0) is longer than 4 bytes");
    }

    @Test
    void aPathPutsTheFileNameInFront() throws IOException {
        Path f = dir.resolve("broken.mid");
        Files.write(f, Smf.file(2, 96, track().end(0), track().end(0)));
        assertThatThrownBy(() -> MidiReader.read(f)).isInstanceOf(MidiException.class)
                .hasMessage(f + ": format 2 (independent sequences) is not supported")
                .satisfies(e -> assertThat(((MidiException) e).reason())
                        .isEqualTo("format 2 (independent sequences) is not supported"));
        assertThatThrownBy(() -> MidiReader.read(dir.resolve("missing.mid")))
                .hasMessage(dir.resolve("missing.mid") + ": no such file");
    }
}
