package art.atelier.cli;

import art.atelier.UsageException;
import art.atelier.Workspace;
import art.atelier.work.Studio;
import art.atelier.corpus.TextCorpus;
import art.atelier.nn.SamplingSettings;
import art.atelier.image.ImageGeneration;
import art.atelier.image.VqVaeGeneration;
import art.atelier.image.vqvae.VqVaeConfig;
import art.atelier.music.Instrument;
import art.atelier.music.MusicGeneration;
import art.atelier.text.TextGeneration;
import art.atelier.util.Json;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code atelier generate NAME ...}: new works from a trained model, whatever its medium. */
@Command(name = "generate", description = "Make new works with a trained model.", sortOptions = false)
final class GenerateCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "the model")
    String name;

    @Option(names = "--count", defaultValue = "1", description = "how many works (default: 1)")
    int count;

    @Option(names = "--seed", description = "seed of the first work; work i uses seed+i (default: random, and"
            + " recorded)")
    Long seed;

    @Option(names = "--length", defaultValue = "500", description = "tokens to write, characters for a char model"
            + " (default: 500)")
    int length;

    @Option(names = "--prompt", description = "your own draft for the model to continue")
    String prompt;

    @Option(names = "--prompt-file", paramLabel = "FILE", description = "a UTF-8 file holding the draft")
    Path promptFile;

    @Option(names = "--style", description = "the style to write in (a sub-folder name of the corpus)")
    String style;

    @Option(names = "--temperature", defaultValue = "1.0", description = "below 1 safer, above 1 wilder; 0 picks"
            + " the most likely token (default: 1.0)")
    float temperature;

    @Option(names = "--top-k", defaultValue = "0", description = "draw only from the K most likely tokens; 0 = all")
    int topK;

    @Option(names = "--top-p", defaultValue = "1.0", description = "draw only from the most likely tokens that"
            + " together reach P (default: 1.0 = all)")
    float topP;

    @Option(names = "--repetition-penalty", defaultValue = "1.0", description = "discourage tokens already used;"
            + " 1 = off (default)")
    float repetitionPenalty;

    @Option(names = "--stop", paramLabel = "TEXT", description = "end a text before this sequence (repeatable)")
    List<String> stops = new ArrayList<>();

    @Option(names = "--no-kv-cache", description = "recompute the context at every token (slower; for comparison)")
    boolean noCache;

    @Option(names = "--truncation", paramLabel = "PSI", defaultValue = "1.0", description = "pictures: pull towards"
            + " the average picture, 0 < PSI <= 1; lower is more typical, less varied (default: 1.0 = off)")
    float truncation;

    @Option(names = "--grid", description = "pictures: also save them laid out in one grid")
    boolean grid;

    @Option(names = "--seconds", defaultValue = "30", description = "music: how long each piece is, after the"
            + " primer if any (default: 30)")
    double seconds;

    @Option(names = "--instruments", split = ",", paramLabel = "LIST", description = "music: the instrument"
            + " families to write for, e.g. piano,strings (default: a set the corpus used)")
    List<String> instruments;

    @Option(names = "--primer", paramLabel = "FILE.mid", description = "music: your own motif for the model to"
            + " continue")
    Path primer;

    @Option(names = "--soundfont", paramLabel = "FILE.sf2", description = "music: the sound bank the WAV is"
            + " rendered with (default: the JDK's)")
    Path soundfont;

    @Option(names = "--no-audio", description = "music: write the MIDI file only, no WAV")
    boolean noAudio;

    @Option(names = "--json", description = "print the works as JSON")
    boolean json;

    @CommandLine.Mixin
    NoveltyOption novelty;

    /** Per medium, the options of this command that only its models read. */
    private static final Map<String, List<String>> MEDIUM_OPTIONS = Map.of(
            "text", List.of("--length", "--prompt", "--prompt-file", "--temperature", "--top-k", "--top-p",
                    "--repetition-penalty", "--stop", "--no-kv-cache"),
            "image", List.of("--truncation", "--grid"),
            "vqvae", List.of("--grid", "--temperature", "--top-k", "--top-p"),
            "music", List.of("--seconds", "--instruments", "--primer", "--soundfont", "--no-audio", "--temperature",
                    "--top-k", "--top-p"));

    @Override
    public void run() {
        novelty.within(Main.workspace(spec), spec.commandLine().getErr(), this::run);
    }

    private void run(Studio studio) {
        Workspace ws = studio.workspace();
        art.atelier.train.ModelCard card = ws.card(name);
        String medium = card.medium();
        boolean vqvae = "image".equals(medium) && VqVaeConfig.FAMILY.equals(card.family());
        CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
        List<String> mine = MEDIUM_OPTIONS.getOrDefault(vqvae ? "vqvae" : medium, List.of());
        for (List<String> options : MEDIUM_OPTIONS.values()) {
            for (String option : options) {
                if (!mine.contains(option) && parsed.hasMatchedOption(option)) {
                    throw new UsageException(option + " does not apply to '" + name + "', "
                            + (vqvae ? "a VQ-VAE" : art.atelier.train.ModelCard.article(medium)) + " model");
                }
            }
        }
        if (vqvae) {
            long first = seed != null ? seed : new SecureRandom().nextInt(Integer.MAX_VALUE);
            Works.print(spec.commandLine().getOut(), VqVaeGeneration.generate(studio, new VqVaeGeneration.Request(name,
                    count, first, style, new SamplingSettings(temperature, topK, topP, 1f, 1, true), grid)), json);
            return;
        }
        if ("image".equals(medium)) {
            pictures(studio);
            return;
        }
        if ("music".equals(medium)) {
            music(studio);
            return;
        }
        if (prompt != null && promptFile != null) {
            throw new UsageException("give --prompt or --prompt-file, not both");
        }
        String draft = promptFile != null ? TextCorpus.readUtf8(promptFile) : prompt;
        long first = seed != null ? seed : new SecureRandom().nextInt(Integer.MAX_VALUE);
        SamplingSettings sampling = new SamplingSettings(temperature, topK, topP, repetitionPenalty, length, !noCache);
        List<TextGeneration.Text> texts = TextGeneration.generate(studio,
                new TextGeneration.Request(name, count, first, sampling, draft, style, stops));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            List<Map<String, Object>> list = new ArrayList<>();
            for (TextGeneration.Text t : texts) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", t.saved().id());
                m.put("path", t.saved().file().toString());
                m.put("manifest", t.saved().manifestFile().toString());
                m.put("novelty", t.saved().manifest().novelty());
                m.put("seed", t.seed());
                m.put("style", t.style());
                m.put("ended_by", t.stoppedBy());
                m.put("text", t.text());
                list.add(m);
            }
            out.println(Json.write(list));
        } else {
            for (TextGeneration.Text t : texts) {
                out.println("=== " + t.saved().id() + " (seed " + t.seed() + (t.style() == null ? "" : ", style "
                        + t.style()) + novelty(t.saved().manifest()) + ") -> " + t.saved().file());
                out.println(t.text());
                out.println();
            }
        }
        out.flush();
    }

    private void music(Studio studio) {
        long first = seed != null ? seed : new SecureRandom().nextInt(Integer.MAX_VALUE);
        List<Instrument> families = null;
        if (instruments != null) {
            families = new ArrayList<>();
            for (String i : instruments) {
                try {
                    families.add(Instrument.parse(i));
                } catch (IllegalArgumentException e) {
                    throw new UsageException("--instruments: " + e.getMessage());
                }
            }
        }
        List<MusicGeneration.Made> made = MusicGeneration.generate(studio, new MusicGeneration.Request(name, count, first,
                seconds, style, families, primer, temperature, topK, topP, soundfont, !noAudio));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            List<Map<String, Object>> list = new ArrayList<>();
            for (MusicGeneration.Made m : made) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("id", m.saved().id());
                o.put("path", m.saved().file().toString());
                o.put("audio", m.audio() == null ? null : m.audio().toString());
                o.put("novelty", m.saved().manifest().novelty());
                o.put("seed", m.seed());
                o.put("style", m.style());
                o.put("seconds", m.piece().duration() / 1e6);
                o.put("notes", m.piece().notes().size());
                o.put("ended_by", m.endedBy());
                list.add(o);
            }
            out.println(Json.write(list));
        } else {
            for (MusicGeneration.Made m : made) {
                out.printf(java.util.Locale.ROOT, "%s (seed %d%s%s): %.1f s, %d notes -> %s%s%n", m.saved().id(),
                        m.seed(), m.style() == null ? "" : ", style " + m.style(), novelty(m.saved().manifest()),
                        m.piece().duration() / 1e6,
                        m.piece().notes().size(), m.saved().file(), m.audio() == null ? "" : " and " + m.audio());
            }
        }
        out.flush();
    }

    private void pictures(Studio studio) {
        long first = seed != null ? seed : new SecureRandom().nextInt(Integer.MAX_VALUE);
        List<ImageGeneration.Made> made = ImageGeneration.generate(studio,
                new ImageGeneration.Request(name, count, first, style, truncation, grid));
        Works.print(spec.commandLine().getOut(), made, json);
    }

    /** @return ", novelty 0.83" or "" when it was not measured */
    private static String novelty(art.atelier.work.Manifest m) {
        return m.novelty() != null && m.novelty().get("novelty") instanceof Number x
                ? String.format(java.util.Locale.ROOT, ", novelty %.2f", x.doubleValue()) : "";
    }
}
