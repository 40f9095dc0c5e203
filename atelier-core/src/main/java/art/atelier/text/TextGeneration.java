package art.atelier.text;

import ai.djl.ndarray.NDManager;

import art.atelier.UsageException;
import art.atelier.Workspace;
import art.atelier.nn.GptSampler;
import art.atelier.nn.SamplingSettings;
import art.atelier.train.Checkpoint;
import art.atelier.train.ModelCard;
import art.atelier.util.Rng;
import art.atelier.work.Manifest;
import art.atelier.work.Studio;
import art.atelier.work.Works;
import art.atelier.novelty.Gate;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code atelier generate} for a text model: checkpoint + seed + controls → new texts, each saved as
 * a work (a UTF-8 file) with its signed manifest beside it, in the catalog. The candidates of a run
 * with seed S have seeds S, S+1, …; near-copies are refused, so each text kept records its own seed and
 * can be made again alone.
 */
public final class TextGeneration {

    /**
     * What to write.
     *
     * @param model the model's name
     * @param count how many texts
     * @param seed the first text's seed
     * @param sampling the sampling controls
     * @param prompt the artist's draft to continue, or null
     * @param style the style to write in, or null (a styled model then picks one by the seed)
     * @param stops stop sequences: a text ends before the first of them
     */
    public record Request(String model, int count, long seed, SamplingSettings sampling, String prompt, String style,
            List<String> stops) {}

    /**
     * A text written.
     *
     * @param saved where the work and its manifest went
     * @param seed its seed
     * @param style its style, or null
     * @param text the whole text (the prompt, then what the model wrote)
     * @param generatedTokens tokens the model wrote
     * @param stoppedBy why it ended: "length", "end" (the model ended the document) or "stop" (a stop sequence)
     */
    public record Text(Works.Saved saved, long seed, String style, String text, int generatedTokens, String stoppedBy) {}

    private TextGeneration() {}

    /**
     * @param workspace where the model is and the works go
     * @param request what to write
     * @return the texts, in seed order
     */
    public static List<Text> generate(Workspace workspace, Request request) {
        try (Studio studio = Studio.open(workspace)) {
            return generate(studio, request);
        }
    }

    /**
     * Writes texts, each checked by the studio's novelty gate: a near-copy of the corpus or of a
     * catalogued work is refused and the next seed tried, so the texts kept have seeds S, S+1, … with
     * the refused ones skipped.
     *
     * @param studio the open workspace, with its novelty threshold
     * @param request what to write
     * @return the texts, in seed order
     */
    public static List<Text> generate(Studio studio, Request request) {
        Workspace workspace = studio.workspace();
        if (request.count() < 1) {
            throw new UsageException("--count must be at least 1, was " + request.count());
        }
        ModelCard card = Checkpoint.expect(workspace.card(request.model()), TextModel.MEDIUM, TextModel.FAMILY);
        Path dir = workspace.model(request.model());
        card.requireStyle(request.style());
        for (String s : request.stops()) {
            if (s.isEmpty()) {
                throw new UsageException("a stop sequence cannot be empty");
            }
        }
        Gate gate = studio.gate(card);
        List<Text> out = new ArrayList<>();
        try (TextModel model = TextModel.load(dir, card);
                NDManager manager = model.model().getNDManager().newSubManager()) {
            String checkpoint = model.weightsHash();
            Tokenizer tok = model.tokenizer();
            int[] promptTokens = request.prompt() == null || request.prompt().isEmpty()
                    ? new int[] {startToken(tok)} : tok.encode(request.prompt());
            String promptText = request.prompt() == null ? "" : request.prompt();
            GptSampler sampler = new GptSampler(model.gpt(), model.store());
            long seed = request.seed();
            for (int tries = 0; out.size() < request.count(); tries++, seed++) {
                gate.budget(tries, request.count(), out.size());
                Rng rng = new Rng(seed);
                String style = request.style();
                if (style == null && !card.styles().isEmpty()) {
                    style = card.styles().get(rng.nextInt(card.styles().size()));
                }
                int styleId = style == null ? -1 : card.styles().indexOf(style);
                Stops stops = new Stops(tok, request.stops(), request.sampling().maxTokens());
                sampler.sample(manager, promptTokens, styleId, request.sampling(), rng, stops::accept);
                String continuation = stops.text();
                String full = promptText + continuation;
                byte[] bytes = full.getBytes(StandardCharsets.UTF_8);
                Gate.Verdict verdict = gate.text(Works.id(card.name(), seed, bytes), continuation);
                if (verdict.accepted()) {
                    out.add(save(studio, card, checkpoint, request, seed, style, promptText, full, stops.count(),
                            stops.ended(), verdict));
                }
            }
        }
        return out;
    }

    /**
     * Collects the model's tokens and ends the text at the end token or before the first stop
     * sequence. A stop completed by the newest token lies within the last few tokens (each token
     * writes at least one byte), so only that tail is decoded at each step, not the whole text.
     */
    private static final class Stops {
        private final Tokenizer tok;
        private final List<String> stops;
        private final int tail; // tokens that certainly cover the longest stop and the token before it
        private final int[] tokens; // the model's tokens so far
        private int n;
        private String ended = "length";
        private String text; // the final text, once known

        Stops(Tokenizer tok, List<String> stops, int maxTokens) {
            this.tok = tok;
            this.stops = stops;
            this.tail = stops.stream().mapToInt(x -> x.getBytes(StandardCharsets.UTF_8).length).max().orElse(0) + 1;
            this.tokens = new int[maxTokens];
        }

        boolean accept(int token) {
            if (token == tok.endToken()) {
                ended = "end";
                return false;
            }
            tokens[n++] = token;
            if (stops.isEmpty()) {
                return true;
            }
            String recent = tok.decode(Arrays.copyOfRange(tokens, Math.max(0, n - tail), n));
            if (stops.stream().noneMatch(recent::contains)) {
                return true;
            }
            String all = tok.decode(Arrays.copyOf(tokens, n));
            int cut = all.length();
            for (String stop : stops) {
                int at = all.indexOf(stop);
                if (at >= 0) {
                    cut = Math.min(cut, at);
                }
            }
            text = all.substring(0, cut);
            ended = "stop";
            return false;
        }

        /** @return why the text ended: "length", "end" or "stop" */
        String ended() {
            return ended;
        }

        /** @return the model's text, up to any stop sequence */
        String text() {
            return text != null ? text : tok.decode(Arrays.copyOf(tokens, n));
        }

        /** @return tokens the model wrote */
        int count() {
            return n;
        }
    }

    /** The token a text starts from when there is no prompt: a document boundary, else a new line. */
    static int startToken(Tokenizer tok) {
        if (tok.endToken() >= 0) {
            return tok.endToken();
        }
        try {
            int[] nl = tok.encode("\n");
            return nl.length == 1 ? nl[0] : 0;
        } catch (Tokenizer.UnknownCharacterException e) {
            return 0;
        }
    }

    private static Text save(Studio studio, ModelCard card, String checkpoint, Request r, long seed, String style,
            String prompt, String full, int tokens, String ended, Gate.Verdict verdict) {
        byte[] bytes = full.getBytes(StandardCharsets.UTF_8);
        Map<String, Object> settings = new LinkedHashMap<>();
        SamplingSettings s = r.sampling();
        settings.put("temperature", s.temperature());
        settings.put("top_k", s.topK());
        settings.put("top_p", s.topP());
        settings.put("repetition_penalty", s.repetitionPenalty());
        settings.put("max_tokens", s.maxTokens());
        settings.put("kv_cache", s.kvCache());
        settings.put("stop", r.stops());
        settings.put("style", style);
        settings.put("prompt", prompt.isEmpty() ? null : prompt);
        settings.put("continuation_offset", prompt.length());
        settings.put("generated_tokens", tokens);
        settings.put("ended_by", ended);
        List<Manifest.HumanAction> actions = new ArrayList<>();
        if (!prompt.isEmpty()) {
            actions.add(new Manifest.HumanAction("prompt", "the first " + prompt.length()
                    + " characters are the artist's own draft, continued by the model"));
        }
        if (r.style() != null) {
            actions.add(new Manifest.HumanAction("style", r.style()));
        }
        settings.put("min_novelty", studio.minNovelty(TextModel.MEDIUM));
        Manifest m = Manifest.draft(Works.id(card.name(), seed, bytes), TextModel.MEDIUM,
                new Manifest.ModelRef(card.name(), card.medium(), card.family(), checkpoint, card.step(),
                        card.corpus().fingerprint()),
                seed, settings, List.of(), actions);
        Works.Saved saved = studio.publish(new Studio.Draft("text", "txt", bytes, m, style, verdict, null));
        return new Text(saved, seed, style, full, tokens, ended);
    }
}
