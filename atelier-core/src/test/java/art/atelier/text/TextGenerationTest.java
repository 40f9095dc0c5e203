package art.atelier.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import art.atelier.UsageException;
import art.atelier.Workspace;
import art.atelier.corpus.BadFilePolicy;
import art.atelier.demo.SampleTexts;
import art.atelier.nn.SamplingSettings;
import art.atelier.train.Checkpoint;
import art.atelier.train.TrainingListener;
import art.atelier.util.Hashing;
import art.atelier.util.Json;
import art.atelier.work.Manifest;
import art.atelier.work.Studio;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

class TextGenerationTest {

    @TempDir
    static Path dir;

    static Workspace ws;

    @BeforeAll
    static void train() throws IOException {
        Path corpus = dir.resolve("poems");
        SampleTexts.write(corpus, 3);
        ws = Workspace.at(dir.resolve("ws"));
        TextTraining.train(ws, new TextTraining.Request(corpus, "poet", "tiny", "char", null, 300, 16, null, 1L, null,
                null, 300, 300, false, false, BadFilePolicy.STOP), new TrainingListener() {}, () -> false);
        Files.writeString(dir.resolve("plain.txt"), "the heron waits by the river and the river waits. ".repeat(30));
        TextTraining.train(ws, new TextTraining.Request(dir.resolve("plain.txt"), "plain", "tiny", "char", null, 100,
                16, null, 1L, null, null, 100, 100, false, false, BadFilePolicy.STOP), new TrainingListener() {},
                () -> false);
        // trained longer on the same sentence, it learns it by heart
        TextTraining.train(ws, new TextTraining.Request(dir.resolve("plain.txt"), "parrot", "tiny", "char", null, 600,
                16, null, 1L, null, null, 600, 600, false, false, BadFilePolicy.STOP), new TrainingListener() {},
                () -> false);
    }

    private static SamplingSettings sampling(float t, int length, boolean cache) {
        return new SamplingSettings(t, 0, 1f, 1f, length, cache);
    }

    /** Texts with novelty refusals off: these tests are about the controls, and 'parrot' copies its corpus. */
    private static List<TextGeneration.Text> gen(String model, int count, long seed, SamplingSettings s, String prompt,
            String style, List<String> stops) {
        try (Studio studio = Studio.open(ws, 0.0)) {
            return TextGeneration.generate(studio, new TextGeneration.Request(model, count, seed, s, prompt, style,
                    stops));
        }
    }

    @Test
    void aTextNearlyIdenticalToACataloguedOneIsADuplicate() {
        // greedy decoding writes the same text whatever the seed: the first is kept, the next are duplicates
        try (Studio studio = Studio.open(ws, 0.01)) {
            TextGeneration.Request greedy = new TextGeneration.Request("poet", 1, 900, sampling(0f, 80, true), null,
                    "haiku", List.of());
            TextGeneration.Text first = TextGeneration.generate(studio, greedy).get(0);
            assertThat(first.seed()).isEqualTo(900);
            assertThatThrownBy(() -> TextGeneration.generate(studio, new TextGeneration.Request("poet", 1, 901,
                    sampling(0f, 80, true), null, "haiku", List.of()))).hasMessageContaining("refused 10 of 10");
            assertThat(studio.refusals()).hasSize(10)
                    .allSatisfy(r -> assertThat(r).contains("near-duplicate of catalogued work " + first.saved().id()));
            // the same request again is the same work, already catalogued: not a duplicate of itself
            assertThat(TextGeneration.generate(studio, greedy).get(0).saved().id()).isEqualTo(first.saved().id());
        }
    }

    @Test
    void aCopyOfTheCorpusIsRefusedAndTheNextSeedTried() {
        // 'parrot' learnt one sentence by heart: at temperature 0 it writes it out again, whatever the seed
        TextGeneration.Request copy = new TextGeneration.Request("parrot", 1, 1, sampling(0f, 120, true), null, null,
                List.of());
        try (Studio studio = Studio.open(ws)) {
            assertThatThrownBy(() -> TextGeneration.generate(studio, copy))
                    .hasMessageContaining("refused 10 of 10 candidates").hasMessageContaining("below 0.50");
            assertThat(studio.refusals()).hasSize(10).allSatisfy(r -> assertThat(r).contains("novelty 0.0"));
        }
        // kept with refusals off, its scores say what it is: the corpus again
        TextGeneration.Text t = gen("parrot", 1, 1, sampling(0f, 120, true), null, null, List.of()).get(0);
        Map<String, Object> n = t.saved().manifest().novelty();
        assertThat(((Number) n.get("novelty")).doubleValue()).isLessThan(0.1);
        assertThat(((Number) n.get("longest_shared_chars")).intValue()).isGreaterThan(60);
        // a free draw from the poet is mostly new, and kept at the default threshold
        try (Studio studio = Studio.open(ws)) {
            TextGeneration.Text fresh = TextGeneration.generate(studio, new TextGeneration.Request("poet", 1, 3,
                    sampling(1.2f, 120, true), null, null, List.of())).get(0);
            assertThat(((Number) fresh.saved().manifest().novelty().get("novelty")).doubleValue())
                    .isGreaterThanOrEqualTo(0.5);
        }
    }

    @Test
    void theSameSeedGivesTheSameTextAndEachWorkHasItsOwnSeed() {
        List<TextGeneration.Text> a = gen("poet", 2, 7, sampling(1f, 120, true), null, "haiku", List.of());
        List<TextGeneration.Text> b = gen("poet", 2, 7, sampling(1f, 120, true), null, "haiku", List.of());
        assertThat(a).extracting(TextGeneration.Text::text).isEqualTo(b.stream().map(TextGeneration.Text::text).toList());
        assertThat(a.get(0).text()).isNotEqualTo(a.get(1).text());
        List<TextGeneration.Text> second = gen("poet", 1, 8, sampling(1f, 120, true), null, "haiku", List.of());
        assertThat(second.get(0).text()).isEqualTo(a.get(1).text());
        assertThat(a).extracting(TextGeneration.Text::seed).containsExactly(7L, 8L);
    }

    @Test
    void theWorkAndItsManifestAreSavedTogether() throws IOException {
        TextGeneration.Text t = gen("poet", 1, 11, sampling(0.8f, 80, true), "spring ", "haiku", List.of()).get(0);
        byte[] bytes = Files.readAllBytes(t.saved().file());
        assertThat(new String(bytes, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(t.text()).startsWith("spring ");
        Manifest m = Json.read(t.saved().manifestFile(), Manifest.class);
        assertThat(m.sha256()).isEqualTo(Hashing.sha256(bytes));
        assertThat(m.medium()).isEqualTo("text");
        assertThat(m.seed()).isEqualTo(11);
        assertThat(m.model().checkpoint())
                .isEqualTo("sha256:" + Hashing.sha256(ws.model("poet").resolve(Checkpoint.WEIGHTS)));
        assertThat(m.model().corpusFingerprint()).isEqualTo(Checkpoint.readCard(ws.model("poet")).corpus().fingerprint());
        assertThat(m.settings()).containsEntry("prompt", "spring ").containsEntry("style", "haiku")
                .containsKeys("temperature", "top_k", "top_p", "repetition_penalty", "max_tokens");
        assertThat(m.actions()).extracting(Manifest.HumanAction::action).containsExactly("prompt", "style");
        assertThat(m.software()).containsKeys("atelier", "djl", "engine", "java");
    }

    @Test
    void eachControlDoesWhatItSays() {
        // greedy decoding ignores the seed; with and without the cache it reads the same
        String g1 = gen("plain", 1, 1, sampling(0f, 25, true), "the ", null, List.of()).get(0).text();
        String g2 = gen("plain", 1, 2, sampling(0f, 25, true), "the ", null, List.of()).get(0).text();
        String g3 = gen("plain", 1, 3, sampling(0f, 25, false), "the ", null, List.of()).get(0).text();
        assertThat(g2).isEqualTo(g1);
        assertThat(g3).isEqualTo(g1);
        // length: exactly that many characters for a char model with no end token
        assertThat(gen("plain", 1, 1, sampling(1f, 40, true), null, null, List.of()).get(0).text()).hasSize(40);
        // a stop sequence ends the text before it
        TextGeneration.Text stopped = gen("plain", 1, 1, sampling(0.5f, 300, true), "the heron", null, List.of("river"))
                .get(0);
        assertThat(stopped.stoppedBy()).isEqualTo("stop");
        assertThat(stopped.text()).startsWith("the heron").doesNotContain("river");
        // several stops: the text ends before whichever comes first in the unstopped text
        String free = gen("plain", 1, 4, sampling(0f, 120, true), "the ", null, List.of()).get(0).text();
        String continuation = free.substring(4);
        String late = continuation.substring(40, 44); // listed first, found later
        String early = continuation.substring(12, 15);
        int cut = Math.min(continuation.indexOf(late), continuation.indexOf(early));
        TextGeneration.Text two = gen("plain", 1, 4, sampling(0f, 120, true), "the ", null, List.of(late, early))
                .get(0);
        assertThat(two.text()).isEqualTo("the " + continuation.substring(0, cut));
        assertThat(two.stoppedBy()).isEqualTo("stop");
        // longer than the context: the cache is rebuilt and the text goes on
        assertThat(gen("plain", 1, 1, sampling(1f, 200, true), null, null, List.of()).get(0).text()).hasSize(200);
        // a high repetition penalty makes a greedy text less repetitive
        String plain = gen("plain", 1, 1, sampling(0f, 60, true), "the ", null, List.of()).get(0).text();
        String penalised = gen("plain", 1, 1, new SamplingSettings(0f, 0, 1f, 3f, 60, true), "the ", null, List.of())
                .get(0).text();
        assertThat(penalised.chars().distinct().count()).isGreaterThan(plain.chars().distinct().count());
    }

    @Test
    void stylesAreCheckedAndChosenBySeedWhenNotGiven() {
        assertThatThrownBy(() -> gen("poet", 1, 1, sampling(1f, 10, true), null, "limericks", List.of()))
                .isInstanceOf(UsageException.class).hasMessageContaining("[couplets, haiku]");
        assertThatThrownBy(() -> gen("plain", 1, 1, sampling(1f, 10, true), null, "haiku", List.of()))
                .isInstanceOf(UsageException.class).hasMessageContaining("trained without styles");
        TextGeneration.Text t = gen("poet", 1, 5, sampling(1f, 10, true), null, null, List.of()).get(0);
        assertThat(t.style()).isIn("couplets", "haiku");
        assertThat(gen("poet", 1, 5, sampling(1f, 10, true), null, null, List.of()).get(0).style()).isEqualTo(t.style());
    }

    @Test
    void aPromptWithCharactersTheModelNeverSawIsRefused() {
        assertThatThrownBy(() -> gen("plain", 1, 1, sampling(1f, 10, true), "Zebra", null, List.of()))
                .hasMessageContaining("'Z' (U+005A)");
        assertThatThrownBy(() -> gen("nobody", 1, 1, sampling(1f, 10, true), null, null, List.of()))
                .hasMessageContaining("no model named 'nobody'");
        assertThatThrownBy(() -> new SamplingSettings(-1f, 0, 1f, 1f, 10, true)).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> new SamplingSettings(1f, 0, 0f, 1f, 10, true)).hasMessageContaining("top-p");
    }
}
