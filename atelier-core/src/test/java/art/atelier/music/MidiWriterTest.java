package art.atelier.music;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.sound.midi.MetaMessage;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.MidiMessage;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Track;

class MidiWriterTest {

    private static final String MANIFEST = "{\"seed\": 7, \"model\": \"chorales\"}";
    private static final String NON_ASCII = "Fugue in G minor \u266A \u00c9t\u00fcde \u97f3\u697d \uD83C\uDFBC";

    /** A small piece on whole milliseconds: piano chords, a string line, drums. */
    private static Piece piece() {
        List<Note> n = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            long t = i * 250_000L;
            n.add(new Note(t, t + 240_000, 60 + i % 3, 64 + i, 0, false));
            n.add(new Note(t, t + 500_000, 48 + i % 2, 80, 0, false)); // each ends as the next on its key starts
            n.add(new Note(t, t + 5_000, 36 + i % 2 * 6, 127, 0, true));
        }
        n.add(new Note(0, 2_000_000, 67, 50, 40, false)); // violin
        n.add(new Note(1_000_000, 1_750_000, 55, 51, 41, false)); // viola: another program of the strings
        return new Piece(n);
    }

    private static MidiFile read(byte[] bytes) throws MidiException {
        return MidiReader.read(bytes);
    }

    @Test
    void aPieceOnWholeMillisecondsReadsBackExactly() throws MidiException {
        Piece p = piece();
        MidiFile m = read(MidiWriter.write(p, List.of(MANIFEST, NON_ASCII)));
        assertThat(m.piece()).isEqualTo(p);
        assertThat(m.format()).isEqualTo(1);
        assertThat(m.trackCount()).isEqualTo(5); // conductor, programs 0, 40, 41, drums
        assertThat(m.ticksPerQuarter()).isEqualTo(480);
        assertThat(m.tempoChanges()).containsExactly(new MidiFile.TempoChange(0, 480_000));
        assertThat(m.timeSignatures()).containsExactly(new MidiFile.TimeSignature(0, 4, 4));
        assertThat(m.texts()).filteredOn(t -> t.type() == 0x01)
                .containsExactly(new MidiFile.Text(0, 0, 1, MANIFEST), new MidiFile.Text(0, 0, 1, NON_ASCII));
        assertThat(m.texts()).filteredOn(t -> t.type() == 0x03).extracting(MidiFile.Text::text)
                .containsExactly("piano", "strings", "strings", "drums");
        assertThat(m.durationMicros()).isEqualTo(p.duration());
    }

    @Test
    void timesAreRoundedToMilliseconds() throws MidiException {
        Piece p = new Piece(List.of(
                new Note(1_234_567, 2_000_499, 60, 100, 5, false), // 1235 ms to 2000 ms
                new Note(3_000_000, 3_000_200, 61, 100, 5, false), // 0.2 ms: becomes 1 ms
                new Note(499, 501, 62, 100, 5, false))); // 0 ms to 1 ms
        Piece expected = new Piece(List.of(
                new Note(1_235_000, 2_000_000, 60, 100, 5, false),
                new Note(3_000_000, 3_001_000, 61, 100, 5, false),
                new Note(0, 1_000, 62, 100, 5, false)));
        assertThat(MidiWriter.rounded(p)).isEqualTo(expected);
        assertThat(read(MidiWriter.write(p, List.of())).piece()).isEqualTo(expected);
    }

    @Test
    void overlappingNotesOfOneKeyAreCutAtTheLaterOnset() throws MidiException {
        Piece p = new Piece(List.of(
                new Note(0, 1_000_000, 60, 100, 0, false),
                new Note(500_000, 1_500_000, 60, 90, 0, false), // overlaps the first: the first ends at 0.5 s
                new Note(2_000_000, 2_300_000, 60, 70, 0, false),
                new Note(2_000_000, 2_800_000, 60, 80, 0, false), // same onset: the longer is kept
                new Note(0, 1_000_000, 60, 100, 1, false))); // another program, another channel: untouched
        Piece expected = new Piece(List.of(
                new Note(0, 500_000, 60, 100, 0, false),
                new Note(500_000, 1_500_000, 60, 90, 0, false),
                new Note(2_000_000, 2_800_000, 60, 80, 0, false),
                new Note(0, 1_000_000, 60, 100, 1, false)));
        assertThat(MidiWriter.rounded(p)).isEqualTo(expected);
        assertThat(read(MidiWriter.write(p, List.of())).piece()).isEqualTo(expected);
    }

    @Test
    void theSamePieceGivesTheSameBytes() {
        Piece p = piece();
        List<Note> reversed = new ArrayList<>(p.notes());
        java.util.Collections.reverse(reversed);
        byte[] first = MidiWriter.write(p, List.of(MANIFEST));
        assertThat(MidiWriter.write(p, List.of(MANIFEST))).isEqualTo(first);
        assertThat(MidiWriter.write(new Piece(reversed), List.of(MANIFEST))).isEqualTo(first);
        // and the start is exactly the documented header: format 1, 5 tracks, 480 ticks a quarter
        assertThat(Arrays.copyOf(first, 14)).isEqualTo(Smf.header(1, 5, 480));
    }

    @Test
    void anEmptyPieceIsAConductorTrackAlone() throws MidiException {
        MidiFile m = read(MidiWriter.write(new Piece(List.of()), List.of("nothing yet")));
        assertThat(m.piece().notes()).isEmpty();
        assertThat(m.trackCount()).isEqualTo(1);
        assertThat(m.texts()).extracting(MidiFile.Text::text).containsExactly("nothing yet");
    }

    @Test
    void moreThanFifteenProgramsShareChannels() throws MidiException {
        List<Note> n = new ArrayList<>();
        // 16 programs sounding at once: the 16th (15, chromatic percussion) joins program 14's channel
        for (int p = 0; p < 16; p++) {
            n.add(new Note(0, 1_000_000, 40 + p, 100, p, false));
        }
        // later, one at a time, 20 programs: each gets a free channel with a program change
        for (int p = 0; p < 20; p++) {
            long t = 2_000_000 + p * 100_000L;
            n.add(new Note(t, t + 100_000, 70, 90, 100 + p, false));
        }
        n.add(new Note(4_000_000, 4_100_000, 40, 100, 15, false)); // 15 again, now alone: its own program
        Piece p = new Piece(n);
        byte[] bytes = MidiWriter.write(p, List.of());
        Piece back = read(bytes).piece();
        List<Note> expected = new ArrayList<>(p.notes());
        expected.replaceAll(x -> x.start() == 0 && x.program() == 15
                ? new Note(0, 1_000_000, x.pitch(), 100, 14, false) : x);
        assertThat(back).isEqualTo(new Piece(expected));
        assertThat(read(bytes).trackCount()).isEqualTo(1 + 16 + 20);
    }

    @Test
    void javaSoundReadsWhatIsWritten() throws Exception {
        Piece p = piece();
        byte[] bytes = MidiWriter.write(p, List.of(NON_ASCII));
        Sequence s = MidiSystem.getSequence(new ByteArrayInputStream(bytes));
        assertThat(s.getDivisionType()).isEqualTo(Sequence.PPQ);
        assertThat(s.getResolution()).isEqualTo(480);
        assertThat(s.getTracks()).hasSize(5);
        int noteOns = 0;
        for (Track t : s.getTracks()) {
            for (int i = 0; i < t.size(); i++) {
                MidiMessage m = t.get(i).getMessage();
                if (m instanceof ShortMessage sm && sm.getCommand() == ShortMessage.NOTE_ON && sm.getData2() > 0) {
                    noteOns++;
                }
            }
        }
        assertThat(noteOns).isEqualTo(p.notes().size());
        assertThat(s.getMicrosecondLength()).isEqualTo(p.duration());
    }

    @Test
    void aFileWrittenByJavaSoundIsRead() throws Exception {
        Sequence s = new Sequence(Sequence.PPQ, 240);
        Track conductor = s.createTrack();
        conductor.add(new MidiEvent(new MetaMessage(0x51, new byte[] {0x06, 0x1A, (byte) 0x80}, 3), 0)); // 400000
        Track t = s.createTrack();
        t.add(new MidiEvent(new ShortMessage(ShortMessage.PROGRAM_CHANGE, 3, 19, 0), 0));
        for (int i = 0; i < 4; i++) { // consecutive note-ons: javax writes them with running status
            t.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_ON, 3, 60 + i, 70 + i), i * 240L));
            t.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_ON, 3, 60 + i, 0), i * 240L + 120));
        }
        t.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_ON, 9, 38, 110), 0));
        t.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_OFF, 9, 38, 0), 60));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MidiSystem.write(s, 1, out);
        MidiFile m = read(out.toByteArray());
        List<Note> expected = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            expected.add(new Note(i * 400_000L, i * 400_000L + 200_000, 60 + i, 70 + i, 19, false));
        }
        expected.add(new Note(0, 100_000, 38, 110, 0, true));
        assertThat(m.piece()).isEqualTo(new Piece(expected));
        assertThat(m.tempoChanges()).containsExactly(new MidiFile.TempoChange(0, 400_000));
    }

    @Test
    void aNullTextIsRefused() {
        assertThatThrownBy(() -> MidiWriter.write(piece(), Arrays.asList("a", null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("texts must not contain null");
    }
}
