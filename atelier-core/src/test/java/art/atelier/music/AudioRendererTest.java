package art.atelier.music;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import art.atelier.AtelierException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.sound.midi.MetaMessage;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Soundbank;
import javax.sound.midi.Synthesizer;
import javax.sound.midi.Track;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AudioRendererTest {

    /** Two seconds: a piano line, a string chord and a drum beat. */
    private static final Piece PIECE = piece();

    @Test
    void rendersStereo16BitWavOfTheRightLengthThatIsNotSilent() throws Exception {
        byte[] wav = AudioRenderer.render(PIECE, null);
        try (AudioInputStream in = AudioSystem.getAudioInputStream(new ByteArrayInputStream(wav))) {
            AudioFormat f = in.getFormat();
            assertThat(f.getSampleRate()).isEqualTo(44_100f);
            assertThat(f.getChannels()).isEqualTo(2);
            assertThat(f.getSampleSizeInBits()).isEqualTo(16);
            assertThat(f.getEncoding()).isEqualTo(AudioFormat.Encoding.PCM_SIGNED);
            double seconds = (PIECE.duration() + AudioRenderer.TAIL_MICROS) / 1e6;
            assertThat(in.getFrameLength()).isBetween((long) (seconds * 44_100) - 1, (long) (seconds * 44_100) + 1);
            byte[] pcm = in.readAllBytes();
            assertThat(pcm.length).isEqualTo(in.getFrameLength() * 4);
            assertThat(rms(pcm, 0, 2.0)).as("RMS of the music").isGreaterThan(300);
        }
    }

    @Test
    void renderingIsDeterministic() {
        assertThat(AudioRenderer.render(PIECE, null)).isEqualTo(AudioRenderer.render(PIECE, null));
    }

    @Test
    void anEmptyPieceIsTheTailOfSilence() throws Exception {
        byte[] wav = AudioRenderer.render(new Piece(List.of()), null);
        try (AudioInputStream in = AudioSystem.getAudioInputStream(new ByteArrayInputStream(wav))) {
            assertThat(in.getFrameLength()).isEqualTo(66_150);
            assertThat(rms(in.readAllBytes(), 0, 1.5)).isZero();
        }
    }

    @Test
    void rendersMidiBytesWithTheirTempo() throws Exception {
        Sequence s = new Sequence(Sequence.PPQ, 480);
        Track t = s.createTrack();
        t.add(new MidiEvent(new MetaMessage(0x51, new byte[] {0x0F, 0x42, 0x40}, 3), 0)); // 1 s per quarter: 60 bpm
        t.add(new MidiEvent(new ShortMessage(ShortMessage.PROGRAM_CHANGE, 0, 19, 0), 0)); // church organ
        t.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_ON, 0, 60, 100), 0));
        t.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_OFF, 0, 60, 0), 960)); // two quarters: 2 s
        ByteArrayOutputStream midi = new ByteArrayOutputStream();
        MidiSystem.write(s, 0, midi);
        byte[] wav = AudioRenderer.render(midi.toByteArray(), null);
        try (AudioInputStream in = AudioSystem.getAudioInputStream(new ByteArrayInputStream(wav))) {
            assertThat(in.getFrameLength()).isBetween(3_499L * 441 / 10, 3_501L * 441 / 10); // 2 s + tail
            byte[] pcm = in.readAllBytes();
            assertThat(rms(pcm, 0.2, 1.9)).isGreaterThan(300);
        }
        assertThatThrownBy(() -> AudioRenderer.render(new byte[] {1, 2, 3}, null))
                .isInstanceOf(AtelierException.class).hasMessageContaining("not a Standard MIDI File");
    }

    @Test
    void aBadSoundFontIsNamed(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("broken.sf2");
        Files.write(bad, "RIFF nonsense, not a sound font".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> AudioRenderer.render(PIECE, bad))
                .isInstanceOf(AtelierException.class).hasMessageContaining(bad.toString());
        Path missing = dir.resolve("missing.dls");
        assertThatThrownBy(() -> AudioRenderer.render(PIECE, missing))
                .isInstanceOf(AtelierException.class).hasMessageContaining(missing.toString()).hasMessageContaining("no such file");
    }

    @Test
    void rendersWithAChosenSoundFont(@TempDir Path dir) throws Exception {
        // The default bank, saved as a file, stands for the artist's own .sf2.
        Synthesizer synth = MidiSystem.getSynthesizer();
        Soundbank bank = synth.getDefaultSoundbank();
        Method save = findSave(bank);
        assumeThat(save).as("the default sound bank can be saved as a file").isNotNull();
        Path sf2 = dir.resolve("bank.sf2");
        save.invoke(bank, sf2.toFile());
        byte[] wav = AudioRenderer.render(PIECE, sf2);
        try (AudioInputStream in = AudioSystem.getAudioInputStream(new ByteArrayInputStream(wav))) {
            assertThat(rms(in.readAllBytes(), 0, 2.0)).isGreaterThan(300);
        }
    }

    @Test
    void withoutTheExportTheMessageNamesTheFlag() throws Exception {
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(javaBin.toString(), "-cp", System.getProperty("java.class.path"),
                NoExport.class.getName()).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(out).contains(AudioRenderer.EXPORT_FLAG);
    }

    /** Runs in a JVM started without the export. */
    static final class NoExport {
        public static void main(String[] args) {
            try {
                AudioRenderer.render(PIECE, null);
                System.out.println("rendered");
            } catch (AtelierException e) {
                System.out.println(e.getMessage());
            }
        }
    }

    private static Method findSave(Soundbank bank) {
        try {
            return bank.getClass().getMethod("save", File.class);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    /** RMS of 16-bit little-endian stereo samples between two times, seconds, in sample units. */
    private static double rms(byte[] pcm, double fromSeconds, double toSeconds) {
        int from = (int) (fromSeconds * 44_100) * 4;
        int to = Math.min(pcm.length, (int) (toSeconds * 44_100) * 4);
        double sum = 0;
        for (int i = from; i < to; i += 2) {
            short v = (short) ((pcm[i] & 0xFF) | (pcm[i + 1] << 8));
            sum += v * (double) v;
        }
        return Math.sqrt(sum / Math.max(1, (to - from) / 2));
    }

    private static Piece piece() {
        List<Note> notes = new ArrayList<>();
        int[] melody = {60, 62, 64, 65, 67, 65, 64, 62};
        for (int i = 0; i < melody.length; i++) {
            notes.add(new Note(i * 250_000L, i * 250_000L + 240_000, melody[i], 90, 0, false));
            notes.add(new Note(i * 250_000L, i * 250_000L + 100_000, i % 2 == 0 ? 36 : 38, 100, 0, true));
        }
        for (int pitch : new int[] {48, 52, 55}) {
            notes.add(new Note(0, 2_000_000, pitch, 70, 48, false)); // string ensemble
        }
        return new Piece(notes);
    }
}
