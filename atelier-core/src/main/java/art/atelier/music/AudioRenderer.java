package art.atelier.music;

import art.atelier.AtelierException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import javax.sound.midi.InvalidMidiDataException;
import javax.sound.midi.MetaMessage;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.MidiMessage;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.MidiUnavailableException;
import javax.sound.midi.Receiver;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Soundbank;
import javax.sound.midi.Synthesizer;
import javax.sound.midi.Track;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

/**
 * Renders music to a WAV file (44.1 kHz, 16-bit, stereo) with the JDK's own software synthesizer,
 * Gervill, faster than real time and without a sound card: the synthesizer is opened as a stream,
 * every MIDI event is handed to it up front with its time in microseconds, and the audio is read off
 * the stream until the last release plus a {@link #TAIL_MICROS tail} for the reverb and the release
 * of the last notes.
 *
 * <p>The sound comes from Gervill's default sound bank (on a JDK without one, Gervill generates a small
 * General MIDI bank and keeps it in {@code ~/.gervill/}) or from a SoundFont 2 ({@code .sf2}) or DLS
 * ({@code .dls}) file the artist chooses. Every synthesizer setting is passed explicitly, so a user's
 * Java preferences cannot change the result; the same input renders to the same bytes.
 *
 * <p>Offline rendering goes through {@code com.sun.media.sound.AudioSynthesizer}, an interface of the
 * {@code java.desktop} module that it does not export: the JVM needs {@value #EXPORT_FLAG} (the
 * {@code atelier-cli} jar's manifest grants it to {@code java -jar}, the Maven build to the tests).
 * Without it, rendering fails with a message naming the flag. Nothing is written to disk here: the
 * caller gets the WAV bytes.
 */
public final class AudioRenderer {

    /** The JVM flag offline rendering needs. */
    public static final String EXPORT_FLAG = "--add-exports java.desktop/com.sun.media.sound=ALL-UNNAMED";
    /** Sample rate of the WAV, Hz. */
    public static final float SAMPLE_RATE = 44_100f;
    /** Channels of the WAV (stereo). */
    public static final int CHANNELS = 2;
    /** Bits per sample of the WAV (signed, little-endian PCM). */
    public static final int BITS = 16;
    /** Silence rendered after the last release, microseconds, so that reverb and releases ring out. */
    public static final long TAIL_MICROS = 1_500_000;

    private static final AudioFormat FORMAT = new AudioFormat(SAMPLE_RATE, BITS, CHANNELS, true, false);
    private static final String SYNTH_PACKAGE = "com.sun.media.sound";
    private static final int DRUM_CHANNEL = 9; // MIDI channel 10
    // Channels for pitched programs: all but the drum channel.
    private static final int[] MELODIC_CHANNELS = {0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15};

    /** One MIDI message at its time. */
    private record Timed(long micros, MidiMessage message) {}

    private AudioRenderer() {}

    /**
     * @param piece the music
     * @param soundfont an {@code .sf2} or {@code .dls} file, or null for Gervill's default sound bank
     * @return a WAV file: 44.1 kHz, 16-bit, stereo, {@code piece.duration()} + {@link #TAIL_MICROS} long
     * @throws AtelierException if the sound font cannot be read (naming it), or the JVM lacks {@link #EXPORT_FLAG}
     */
    public static byte[] render(Piece piece, Path soundfont) {
        return render(messages(piece), piece.duration(), soundfont);
    }

    /**
     * Renders a Standard MIDI File as it is, controllers, pedals and tempo changes included.
     *
     * @param midi the bytes of a Standard MIDI File
     * @param soundfont an {@code .sf2} or {@code .dls} file, or null for Gervill's default sound bank
     * @return a WAV file: 44.1 kHz, 16-bit, stereo, as long as the MIDI file plus {@link #TAIL_MICROS}
     * @throws AtelierException if the bytes are not MIDI, the sound font cannot be read (naming it), or
     *         the JVM lacks {@link #EXPORT_FLAG}
     */
    public static byte[] render(byte[] midi, Path soundfont) {
        Sequence sequence;
        try {
            sequence = MidiSystem.getSequence(new ByteArrayInputStream(midi));
        } catch (InvalidMidiDataException | IOException e) {
            throw new AtelierException("cannot render: the bytes are not a Standard MIDI File (" + e.getMessage() + ")", e);
        }
        List<Timed> messages = messages(sequence);
        long end = 0; // the last event, end of track included
        for (Timed t : messages) {
            end = Math.max(end, t.micros());
        }
        messages.removeIf(t -> t.message() instanceof MetaMessage);
        return render(messages, end, soundfont);
    }

    /**
     * @param messages channel and system-exclusive messages, by time (no meta events)
     * @param endMicros where the music ends, microseconds; the tail follows
     * @param soundfont a sound bank file, or null
     */
    private static byte[] render(List<Timed> messages, long endMicros, Path soundfont) {
        Soundbank bank = soundfont == null ? null : loadSoundbank(soundfont);
        requireExport();
        long frames = (long) Math.ceil((endMicros + TAIL_MICROS) * (double) SAMPLE_RATE / 1e6);
        if (frames * FORMAT.getFrameSize() > Integer.MAX_VALUE - 64) {
            throw new AtelierException("cannot render " + endMicros / 60_000_000 + " minutes of music into one WAV"
                    + " held in memory (at most about 3 hours)");
        }
        byte[] pcm = new byte[(int) frames * FORMAT.getFrameSize()];
        Synthesizer synth = newSynthesizer();
        try {
            try (AudioInputStream stream = openStream(synth, bank == null)) {
                if (bank != null) {
                    if (!synth.isSoundbankSupported(bank) || !synth.loadAllInstruments(bank)) {
                        throw new AtelierException("the synthesizer cannot use the instruments of the sound font "
                                + soundfont);
                    }
                }
                Receiver receiver = synth.getReceiver();
                for (Timed t : messages) {
                    receiver.send(t.message(), t.micros());
                }
                int off = 0;
                while (off < pcm.length) {
                    int n = stream.read(pcm, off, pcm.length - off);
                    if (n < 0) {
                        throw new AtelierException("the synthesizer's stream ended early, after " + off + " of "
                                + pcm.length + " bytes");
                    }
                    off += n;
                }
            }
        } catch (MidiUnavailableException | IOException e) {
            throw new AtelierException("cannot render audio: " + e.getMessage(), e);
        } finally {
            synth.close();
        }
        return wav(pcm, frames);
    }

    // ---------------------------------------------------------------- Gervill

    private static void requireExport() {
        if (!Synthesizer.class.getModule().isExported(SYNTH_PACKAGE, AudioRenderer.class.getModule())) {
            throw new AtelierException("rendering audio needs the JVM flag " + EXPORT_FLAG + " (the atelier command"
                    + " sets it; add it to the java command line when running Atelier another way)");
        }
    }

    /** @return a new Gervill synthesizer, closed */
    private static Synthesizer newSynthesizer() {
        try {
            return (Synthesizer) Class.forName(SYNTH_PACKAGE + ".SoftSynthesizer").getConstructor().newInstance();
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new AtelierException("this Java runtime has no Gervill software synthesizer ("
                    + SYNTH_PACKAGE + ".SoftSynthesizer): " + e, e);
        }
    }

    /**
     * Opens the synthesizer as an audio stream, with every setting explicit.
     *
     * @param synth a Gervill synthesizer
     * @param defaultBank whether to load the default sound bank
     * @return the stream its audio is read from
     */
    private static AudioInputStream openStream(Synthesizer synth, boolean defaultBank) throws MidiUnavailableException {
        Map<String, Object> info = new HashMap<>();
        info.put("interpolation", "linear");
        info.put("control rate", 147f); // Hz: how often envelopes and controllers are updated
        info.put("max polyphony", 64); // voices
        info.put("reverb", true);
        info.put("chorus", true);
        info.put("auto gain control", true);
        info.put("large mode", false);
        info.put("light reverb", true);
        info.put("midi channels", 16);
        info.put("jitter correction", false); // for real-time input only
        info.put("device id", 0);
        info.put("load default soundbank", defaultBank);
        try {
            Method open = Class.forName(SYNTH_PACKAGE + ".AudioSynthesizer").getMethod("openStream", AudioFormat.class,
                    Map.class);
            return (AudioInputStream) open.invoke(synth, FORMAT, info);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof MidiUnavailableException m) {
                throw m;
            }
            throw new AtelierException("cannot open the synthesizer: " + e.getCause(), e.getCause());
        } catch (IllegalAccessException e) {
            throw new AtelierException("rendering audio needs the JVM flag " + EXPORT_FLAG, e);
        } catch (ReflectiveOperationException e) {
            throw new AtelierException("this Java runtime's synthesizer cannot render offline: " + e, e);
        }
    }

    private static Soundbank loadSoundbank(Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new AtelierException("cannot read the sound font " + file + ": "
                    + (Files.exists(file) ? "not a readable file" : "no such file"));
        }
        Soundbank bank;
        try {
            bank = MidiSystem.getSoundbank(file.toFile());
        } catch (InvalidMidiDataException e) {
            throw new AtelierException("cannot read the sound font " + file + ": not a SoundFont 2 (.sf2) or DLS (.dls)"
                    + " file", e);
        } catch (IOException | RuntimeException e) {
            throw new AtelierException("cannot read the sound font " + file + ": " + e.getMessage(), e);
        }
        if (bank == null || bank.getInstruments().length == 0) {
            throw new AtelierException("the sound font " + file + " holds no instruments");
        }
        return bank;
    }

    // ---------------------------------------------------------------- music to timed messages

    /**
     * A piece as MIDI messages: drums on channel 10, each program on a channel of its own (beyond 15
     * programs, channels are shared and the program is changed before a note-on when needed). A note
     * struck again while it sounds is released first, and the earlier note's own release is dropped,
     * so that one channel never holds two voices of one key.
     */
    private static List<Timed> messages(Piece piece) {
        TreeSet<Integer> programs = new TreeSet<>();
        for (Note n : piece.notes()) {
            if (!n.drum()) {
                programs.add(n.program());
            }
        }
        Map<Integer, Integer> channelOf = new HashMap<>(); // program -> channel
        for (int program : programs) {
            channelOf.put(program, MELODIC_CHANNELS[channelOf.size() % MELODIC_CHANNELS.length]);
        }
        // Every note's on and off, as {time, 0 = off / 1 = on, note index}, sorted.
        List<Note> notes = piece.notes();
        long[][] events = new long[notes.size() * 2][];
        for (int i = 0; i < notes.size(); i++) {
            events[2 * i] = new long[] {notes.get(i).end(), 0, i};
            events[2 * i + 1] = new long[] {notes.get(i).start(), 1, i};
        }
        Arrays.sort(events, Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1])
                .thenComparingLong(e -> e[2]));
        int[] programOn = new int[16]; // per channel: the program set, or -1
        Arrays.fill(programOn, -1);
        int[][] owner = new int[16][128]; // per channel and key: the index of the note sounding, or -1
        for (int[] row : owner) {
            Arrays.fill(row, -1);
        }
        List<Timed> out = new ArrayList<>();
        for (long[] e : events) {
            long t = e[0];
            int index = (int) e[2];
            Note n = notes.get(index);
            int ch = n.drum() ? DRUM_CHANNEL : channelOf.get(n.program());
            if (e[1] == 1) {
                if (!n.drum() && programOn[ch] != n.program()) {
                    out.add(new Timed(t, shortMessage(ShortMessage.PROGRAM_CHANGE, ch, n.program(), 0)));
                    programOn[ch] = n.program();
                }
                if (owner[ch][n.pitch()] >= 0) {
                    out.add(new Timed(t, shortMessage(ShortMessage.NOTE_OFF, ch, n.pitch(), 0)));
                }
                owner[ch][n.pitch()] = index;
                out.add(new Timed(t, shortMessage(ShortMessage.NOTE_ON, ch, n.pitch(), n.velocity())));
            } else if (owner[ch][n.pitch()] == index) {
                owner[ch][n.pitch()] = -1;
                out.add(new Timed(t, shortMessage(ShortMessage.NOTE_OFF, ch, n.pitch(), 0)));
            }
        }
        return out;
    }

    /**
     * A sequence's events in time order (ties: track, then position in the track), with tick times
     * turned into microseconds through the tempo map (tempo changes on any track apply to all, as in
     * a type 1 file).
     */
    private static List<Timed> messages(Sequence sequence) {
        record Ev(long tick, int track, int index, MidiEvent event) {}
        List<Ev> all = new ArrayList<>();
        Track[] tracks = sequence.getTracks();
        for (int t = 0; t < tracks.length; t++) {
            for (int i = 0; i < tracks[t].size(); i++) {
                MidiEvent ev = tracks[t].get(i);
                all.add(new Ev(ev.getTick(), t, i, ev));
            }
        }
        all.sort(Comparator.comparingLong(Ev::tick).thenComparingInt(Ev::track).thenComparingInt(Ev::index));
        List<Timed> out = new ArrayList<>(all.size());
        TickClock clock = new TickClock(sequence);
        for (Ev e : all) {
            MidiMessage m = e.event().getMessage();
            long micros = clock.micros(e.tick());
            if (m instanceof MetaMessage meta && meta.getType() == 0x51 && meta.getData().length >= 3) {
                byte[] d = meta.getData();
                clock.setTempo(e.tick(), ((d[0] & 0xFF) << 16) | ((d[1] & 0xFF) << 8) | (d[2] & 0xFF));
            }
            out.add(new Timed(micros, m)); // meta events too: the end of track says where the music ends
        }
        return out;
    }

    /** Ticks to microseconds, for a sequence's division and the tempo changes met so far. */
    private static final class TickClock {
        private final boolean ppq; // tempo-based division (ticks per quarter note), else SMPTE
        private final double ticksPerSecond; // SMPTE: frames per second × ticks per frame
        private final int resolution; // PPQ: ticks per quarter note
        private long baseTick; // tick of the last tempo change
        private long baseMicros; // its time, microseconds
        private long tempo = 500_000; // microseconds per quarter note (120 bpm until told otherwise)

        TickClock(Sequence s) {
            ppq = s.getDivisionType() == Sequence.PPQ;
            resolution = Math.max(1, s.getResolution());
            ticksPerSecond = ppq ? 0 : s.getDivisionType() * s.getResolution();
        }

        long micros(long tick) {
            if (!ppq) {
                return Math.round(tick * 1e6 / ticksPerSecond);
            }
            return baseMicros + Math.round((tick - baseTick) * (double) tempo / resolution);
        }

        void setTempo(long tick, long microsPerQuarter) {
            if (ppq && microsPerQuarter > 0) {
                baseMicros = micros(tick);
                baseTick = tick;
                tempo = microsPerQuarter;
            }
        }
    }

    private static ShortMessage shortMessage(int command, int channel, int data1, int data2) {
        try {
            return new ShortMessage(command, channel, data1, data2);
        } catch (InvalidMidiDataException e) {
            throw new IllegalStateException(e); // every caller passes valid values
        }
    }

    private static byte[] wav(byte[] pcm, long frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(pcm.length + 64);
        try {
            AudioSystem.write(new AudioInputStream(new ByteArrayInputStream(pcm), FORMAT, frames),
                    AudioFileFormat.Type.WAVE, out);
        } catch (IOException e) {
            throw new IllegalStateException("writing a WAV into memory failed", e);
        }
        return out.toByteArray();
    }
}
