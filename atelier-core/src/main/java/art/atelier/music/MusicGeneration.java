package art.atelier.music;

import ai.djl.ndarray.NDManager;

import art.atelier.UsageException;
import art.atelier.Workspace;
import art.atelier.nn.GptSampler;
import art.atelier.nn.SamplingSettings;
import art.atelier.train.Checkpoint;
import art.atelier.train.ModelCard;
import art.atelier.util.Hashing;
import art.atelier.util.Rng;
import art.atelier.work.Manifest;
import art.atelier.novelty.Gate;
import art.atelier.work.Studio;
import art.atelier.work.Works;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code atelier generate} for a music model: checkpoint + seed + controls → new pieces, each saved
 * as a work: a standard MIDI file (its signed manifest in a text meta event) and its rendering as a
 * WAV file, both in the catalog. The candidates of a run with seed S have seeds S, S+1, …; near-copies
 * are refused, so each piece kept records its own seed.
 *
 * <p>A piece starts from a header: the style asked for (or one drawn by the seed), and the
 * instruments asked for, else the primer's, else a set the corpus used for that style (drawn by the
 * seed in proportion to how many pieces used it). The model then writes events until the piece is as long as
 * asked; while it does, tokens that make no sense mid-piece (header tokens, END) and notes of
 * instruments the header does not name are never drawn. Pieces longer than the model's context are
 * written by sliding the window, the header always kept at its start. With {@code --primer}, the
 * artist's own motif is read, its events become the start of the piece, and the model continues it.
 */
public final class MusicGeneration {

    /** The longest piece one request may ask for, seconds. */
    public static final double MAX_SECONDS = 3600;
    /** Tokens allowed per second asked for, before the sampler gives up on reaching the length. */
    static final int TOKENS_PER_SECOND_CAP = 300;

    /**
     * What to compose.
     *
     * @param model the model's name
     * @param count how many pieces
     * @param seed the first piece's seed
     * @param seconds how long each piece is (after the primer, if any)
     * @param style the style, or null (a styled model then draws one by the seed)
     * @param instruments the instrument families to write for, or null
     * @param primer a MIDI file to continue, or null
     * @param temperature sampling temperature
     * @param topK keep the K most likely tokens, 0 for all
     * @param topP nucleus sampling threshold, 1 for all
     * @param soundfont a SoundFont (.sf2) or DLS bank to render with, or null for the JDK's default
     * @param audio whether to render a WAV beside the MIDI file
     */
    public record Request(String model, int count, long seed, double seconds, String style,
            List<Instrument> instruments, Path primer, float temperature, int topK, float topP, Path soundfont,
            boolean audio) {}

    /**
     * A piece composed.
     *
     * @param saved the MIDI work and its manifest
     * @param audio the WAV beside it, or null
     * @param seed its seed
     * @param style its style, or null
     * @param piece its notes
     * @param generatedTokens events the model wrote
     * @param endedBy "seconds" (as long as asked) or "length" (the token cap was reached first)
     */
    public record Made(Works.Saved saved, Path audio, long seed, String style, Piece piece, int generatedTokens,
            String endedBy) {}

    private MusicGeneration() {}

    /**
     * @param workspace where the model is and the works go
     * @param request what to compose
     * @return the pieces, in seed order
     */
    public static List<Made> generate(Workspace workspace, Request request) {
        try (Studio studio = Studio.open(workspace)) {
            return generate(studio, request);
        }
    }

    /**
     * Composes pieces, each checked by the studio's novelty gate (what the model wrote, not the primer):
     * a near-copy is refused and the next seed tried.
     *
     * @param studio the open workspace, with its novelty threshold
     * @param request what to compose
     * @return the pieces, in seed order
     */
    public static List<Made> generate(Studio studio, Request request) {
        Workspace workspace = studio.workspace();
        if (request.count() < 1) {
            throw new UsageException("--count must be at least 1, was " + request.count());
        }
        if (!(request.seconds() > 0 && request.seconds() <= MAX_SECONDS)) {
            throw new UsageException("--seconds must be more than 0 and at most " + (int) MAX_SECONDS + ", was "
                    + request.seconds());
        }
        if (request.soundfont() != null && !Files.isRegularFile(request.soundfont())) {
            throw new UsageException("no sound bank at " + request.soundfont());
        }
        ModelCard card = Checkpoint.expect(workspace.card(request.model()), MusicModel.MEDIUM, MusicModel.FAMILY);
        card.requireStyle(request.style());
        Primer primer = request.primer() == null ? null : Primer.read(request.primer());
        int maxTokens = (int) Math.min(Integer.MAX_VALUE - 1024, Math.ceil(request.seconds() * TOKENS_PER_SECOND_CAP));
        SamplingSettings sampling = new SamplingSettings(request.temperature(), request.topK(), request.topP(), 1f,
                maxTokens, true);
        List<Made> out = new ArrayList<>();
        try (MusicModel model = MusicModel.load(workspace.model(request.model()), card);
                NDManager manager = model.model().getNDManager().newSubManager()) {
            MusicVocabulary vocabulary = model.vocabulary();
            GptSampler sampler = new GptSampler(model.gpt(), model.store());
            Gate gate = studio.gate(card);
            long seed = request.seed();
            for (int tries = 0; out.size() < request.count(); tries++, seed++) {
                gate.budget(tries, request.count(), out.size());
                Rng rng = new Rng(seed);
                String style = request.style();
                if (style == null && !vocabulary.styles().isEmpty()) {
                    style = vocabulary.styles().get(rng.nextInt(vocabulary.styles().size()));
                }
                MusicVocabulary.Header header = header(model, request, primer, style, rng);
                int[] head = vocabulary.header(header);
                int[] events = primer == null ? new int[0] : vocabulary.events(primer.piece());
                int[] prompt = new int[head.length + events.length];
                System.arraycopy(head, 0, prompt, 0, head.length);
                System.arraycopy(events, 0, prompt, head.length, events.length);
                MusicVocabulary.Decoder decoder = vocabulary.decoder();
                for (int t : prompt) {
                    decoder.feed(t);
                }
                long primerEnd = decoder.currentTimeMicros();
                int primerNotes = decoder.noteCount();
                long target = primerEnd + Math.round(request.seconds() * 1e6);
                int[] count = {0};
                boolean[] reached = {false};
                sampler.sample(manager, prompt, head.length, banned(vocabulary, header), -1, sampling, rng, token -> {
                    decoder.feed(token);
                    count[0]++;
                    // as long as asked, and at least one note of its own (a silent work is no work)
                    reached[0] = decoder.currentTimeMicros() >= target && decoder.noteCount() > primerNotes;
                    return !reached[0];
                });
                Piece piece = decoder.finish();
                long end = decoder.currentTimeMicros(); // a rest at the piece's end is part of it
                byte[] plain = MidiWriter.write(piece, List.of(), end);
                long from = primerEnd;
                Piece written = new Piece(piece.notes().stream().filter(n -> n.start() >= from).toList());
                Gate.Verdict verdict = gate.music(Works.id(card.name(), seed, plain), written);
                if (verdict.accepted()) {
                    out.add(save(studio, model, request, seed, style, header, primer, primerEnd, piece, plain, end,
                            count[0], reached[0] ? "seconds" : "length", verdict));
                }
            }
        }
        return out;
    }

    /** An artist's motif, read once. */
    private record Primer(Path file, Piece piece, String sha256) {
        static Primer read(Path file) {
            MidiFile midi;
            try {
                midi = MidiReader.read(file);
            } catch (MidiException e) {
                throw new UsageException("the primer " + file + " cannot be read: " + e.getMessage());
            }
            if (midi.piece().notes().isEmpty()) {
                throw new UsageException("the primer " + file + " has no notes");
            }
            try {
                return new Primer(file, midi.piece(), Hashing.sha256(file));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
    }

    private static MusicVocabulary.Header header(MusicModel model, Request r, Primer primer, String style, Rng rng) {
        Map<Instrument, Integer> programs = new EnumMap<>(Instrument.class);
        if (primer != null) {
            programs.putAll(MusicVocabulary.Header.of(primer.piece(), null).programs());
        }
        if (r.instruments() != null && !r.instruments().isEmpty()) {
            for (Instrument i : r.instruments()) {
                programs.putIfAbsent(i, i.defaultProgram());
            }
        } else if (primer == null) {
            // a set the corpus used for this style (any style's, when it has none of its own)
            List<MusicModel.Instrumentation> sets = model.instrumentations().stream()
                    .filter(i -> style != null && style.equals(i.style())).toList();
            if (sets.isEmpty()) {
                sets = model.instrumentations();
            }
            long total = sets.stream().mapToLong(MusicModel.Instrumentation::pieces).sum();
            long pick = (long) (rng.nextDouble() * total);
            for (MusicModel.Instrumentation s : sets) {
                if (pick < s.pieces()) {
                    programs.putAll(s.programs());
                    break;
                }
                pick -= s.pieces();
            }
            if (programs.isEmpty()) {
                programs.put(Instrument.PIANO, Instrument.PIANO.defaultProgram());
            }
        }
        return new MusicVocabulary.Header(style, programs);
    }

    /** Tokens never drawn mid-piece: the header's kinds, END, and notes of instruments not in the header. */
    static boolean[] banned(MusicVocabulary v, MusicVocabulary.Header header) {
        boolean[] banned = new boolean[v.size()];
        for (int t = 0; t < banned.length; t++) {
            MusicVocabulary.Kind k = v.kind(t);
            banned[t] = switch (k) {
                case START, END, STYLE, PROGRAM, DRUMS -> true;
                case NOTE_ON, NOTE_OFF -> !header.programs().containsKey(v.family(t));
                default -> false;
            };
        }
        return banned;
    }

    private static Made save(Studio studio, MusicModel model, Request r, long seed, String style,
            MusicVocabulary.Header header, Primer primer, long primerEnd, Piece piece, byte[] plain, long end,
            int tokens, String endedBy, Gate.Verdict verdict) {
        ModelCard card = model.card();
        String id = Works.id(card.name(), seed, plain);
        byte[] wav = r.audio() ? AudioRenderer.render(plain, r.soundfont()) : null;
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("kind", "piece");
        settings.put("seconds", r.seconds());
        settings.put("style", style);
        Map<String, Integer> programs = new LinkedHashMap<>();
        header.programs().forEach((family, program) -> programs.put(family.label(), program));
        settings.put("instruments", programs);
        settings.put("temperature", r.temperature());
        settings.put("top_k", r.topK());
        settings.put("top_p", r.topP());
        settings.put("generated_tokens", tokens);
        settings.put("ended_by", endedBy);
        settings.put("notes", piece.notes().size());
        settings.put("duration_seconds", end / 1e6);
        if (primer != null) {
            settings.put("primer", primer.file().getFileName().toString());
            settings.put("primer_sha256", primer.sha256());
            settings.put("primer_seconds", primerEnd / 1e6);
        }
        settings.put("min_novelty", studio.minNovelty(MusicModel.MEDIUM));
        if (wav != null) {
            settings.put("audio_sha256", Hashing.sha256(wav));
            settings.put("audio_format", String.format(Locale.ROOT, "WAV %.0f Hz, %d-bit, %d channels",
                    AudioRenderer.SAMPLE_RATE, AudioRenderer.BITS, AudioRenderer.CHANNELS));
            settings.put("soundfont", r.soundfont() == null ? "default (the JDK's)" : r.soundfont().getFileName()
                    .toString());
            if (r.soundfont() != null) {
                try {
                    settings.put("soundfont_sha256", Hashing.sha256(r.soundfont()));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + r.soundfont() + ": " + e.getMessage(), e);
                }
            }
        }
        List<Manifest.HumanAction> actions = new ArrayList<>();
        if (primer != null) {
            actions.add(new Manifest.HumanAction("primer", String.format(Locale.ROOT,
                    "the first %.2f seconds are the artist's motif %s, continued by the model", primerEnd / 1e6,
                    primer.file().getFileName())));
        }
        if (r.style() != null) {
            actions.add(new Manifest.HumanAction("style", r.style()));
        }
        if (r.instruments() != null && !r.instruments().isEmpty()) {
            actions.add(new Manifest.HumanAction("instruments",
                    String.join(",", r.instruments().stream().map(Instrument::label).toList())));
        }
        Manifest m = Manifest.draft(id, MusicModel.MEDIUM,
                new Manifest.ModelRef(card.name(), card.medium(), card.family(), model.weightsHash(), card.step(),
                        card.corpus().fingerprint()),
                seed, settings, List.of(), actions);
        Works.Saved saved = studio.publish(new Studio.Draft("piece", "mid", plain, m, style, verdict, wav));
        return new Made(saved, saved.audio(), seed, style, piece, tokens, endedBy);
    }
}
