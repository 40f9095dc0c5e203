package art.atelier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import art.atelier.demo.SampleMusic;
import art.atelier.demo.SamplePictures;
import art.atelier.demo.SampleTexts;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The catalog's commands as an artist uses them: a text, a picture and a piece, shown, verified, exported. */
class CatalogCliTest {

    @TempDir
    static Path dir;

    /** medium → the id of the work made in it. */
    static final Map<String, String> made = new HashMap<>();

    static CliTest.Run atelier(String... args) {
        return CliTest.run(dir.resolve("ws"), args);
    }

    private static JsonObject one(CliTest.Run r) {
        assertThat(r.code()).as(r.err()).isZero();
        return JsonParser.parseString(r.out()).getAsJsonArray().get(0).getAsJsonObject();
    }

    @BeforeAll
    static void trainAndMake() throws IOException {
        SampleTexts.write(dir.resolve("poems"), 4);
        SamplePictures.write(dir.resolve("icons"), 10, 24, 5);
        SampleMusic.write(dir.resolve("tunes"), 4, 5);
        for (String[] train : List.of(
                new String[] {"text", "--data", dir.resolve("poems").toString(), "--name", "poet", "--steps", "60",
                    "--batch", "8"},
                new String[] {"image", "--data", dir.resolve("icons").toString(), "--name", "icons", "--size", "32",
                    "--steps", "4", "--batch", "4"},
                new String[] {"music", "--data", dir.resolve("tunes").toString(), "--name", "tunes", "--preset",
                    "tiny", "--steps", "20", "--batch", "2"})) {
            String[] args = new String[train.length + 1];
            args[0] = "train";
            System.arraycopy(train, 0, args, 1, train.length);
            CliTest.Run r = atelier(args);
            assertThat(r.code()).as(r.err()).isZero();
        }
        made.put("text", one(atelier("generate", "poet", "--seed", "1", "--length", "60", "--json")).get("id")
                .getAsString());
        made.put("image", one(atelier("generate", "icons", "--seed", "1", "--json")).get("id").getAsString());
        made.put("music", one(atelier("generate", "tunes", "--seed", "1", "--seconds", "3", "--json")).get("id")
                .getAsString());
    }

    @Test
    void worksListsTheCatalogAndShowGivesProvenanceAndNovelty() {
        CliTest.Run all = atelier("works");
        assertThat(all.code()).as(all.err()).isZero();
        assertThat(all.out()).contains("NOVELTY").contains(made.get("text")).contains(made.get("image"))
                .contains(made.get("music"));
        JsonArray texts = JsonParser.parseString(atelier("works", "--medium", "text", "--json").out())
                .getAsJsonArray();
        assertThat(texts).isNotEmpty().allSatisfy(t -> {
            assertThat(t.getAsJsonObject().get("medium").getAsString()).isEqualTo("text");
            assertThat(t.getAsJsonObject().get("model").getAsString()).isEqualTo("poet");
        });
        assertThat(texts.toString()).contains(made.get("text"));
        for (String id : made.values()) {
            CliTest.Run show = atelier("show", id);
            assertThat(show.code()).as(show.err()).isZero();
            assertThat(show.out()).contains("id: " + id).contains("novelty:").contains("model: ")
                    .contains("corpus: sha256:").contains("seed: 1").contains("made").contains(" is valid: ");
        }
        assertThat(atelier("show", "nothing-like-it").code()).isEqualTo(1);
        assertThat(atelier("works", "--medium", "sculpture").code()).isEqualTo(2);
    }

    @Test
    void verifySaysValidAndExactlyWhatChangedAfterOneByte() throws IOException {
        for (String id : made.values()) {
            String file = JsonParser.parseString(atelier("show", id, "--json").out()).getAsJsonObject().get("file")
                    .getAsString();
            CliTest.Run ok = atelier("verify", file);
            assertThat(ok.code()).as(ok.out() + ok.err()).isZero();
            assertThat(ok.out()).contains(" is valid: work " + id);
            byte[] b = Files.readAllBytes(Path.of(file));
            b[b.length - 20] ^= 1; // a content byte near the end, away from any header
            Path copy = dir.resolve("changed-" + Path.of(file).getFileName());
            Files.write(copy, b);
            Path beside = art.atelier.work.Embedding.beside(Path.of(file));
            if (Files.exists(beside)) { // a text's manifest travels beside it
                Files.copy(beside, art.atelier.work.Embedding.beside(copy));
            }
            CliTest.Run bad = atelier("verify", copy.toString());
            assertThat(bad.code()).isEqualTo(1);
            assertThat(bad.out()).contains("changed");
        }
        Path corpusText = dir.resolve("poems").resolve("haiku").resolve("book-1.txt");
        CliTest.Run none = atelier("verify", corpusText.toString());
        assertThat(none.code()).isEqualTo(1);
        assertThat(none.out()).contains("has no Atelier manifest");
    }

    @Test
    void keepRejectTitleAndAnEditionOfSignedCertificates() {
        String pic = made.get("image");
        assertThat(atelier("keep", pic).out()).contains("kept");
        assertThat(atelier("edition", pic, "--of", "3").code()).isEqualTo(2); // untitled
        assertThat(atelier("title", pic, "Small sun").out()).contains("titled \"Small sun\"");
        CliTest.Run e = atelier("edition", pic, "--of", "3");
        assertThat(e.code()).as(e.err()).isZero();
        List<String> certificates = e.out().lines().filter(l -> l.endsWith(".certificate.json")).map(String::strip)
                .toList();
        assertThat(certificates).hasSize(3);
        CliTest.Run v = atelier("verify", certificates.get(2));
        assertThat(v.code()).as(v.out()).isZero();
        assertThat(atelier("edition", pic, "--of", "5").err()).contains("already issued");
        assertThat(atelier("works", "--status", "kept").out()).contains(pic).contains("Small sun");
        assertThat(atelier("show", pic).out()).contains("edition:").contains("of: 3");
        assertThat(atelier("reject", made.get("music")).code()).isZero();
        assertThat(atelier("works", "--status", "rejected").out()).contains(made.get("music"));
    }

    @Test
    void anEditOfYourOwnIsAWorkWithItsParent() throws IOException {
        Path mine = Files.writeString(dir.resolve("my-version.txt"), "A line I wrote over the model's.\n");
        CliTest.Run e = atelier("edit", made.get("text"), mine.toString());
        assertThat(e.code()).as(e.err()).isZero();
        assertThat(e.out()).contains("(your edit of " + made.get("text") + ")");
        String id = e.out().substring(0, e.out().indexOf(' '));
        assertThat(atelier("show", id).out()).contains("parents:").contains(made.get("text")).contains("edited");
    }

    @Test
    void theGalleryShowsAllThreeMedia() throws IOException {
        CliTest.Run x = atelier("export", "--html", dir.resolve("gallery").toString());
        assertThat(x.code()).as(x.err()).isZero();
        String html = Files.readString(dir.resolve("gallery").resolve("index.html"));
        assertThat(html).contains(made.get("text")).contains(made.get("image")).contains(made.get("music"))
                .contains("<img").contains("<pre class=\"work\">").contains("<audio").contains("novelty");
    }

    @Test
    void minNoveltyIsCheckedAndTheDataCopyingTestReports() {
        assertThat(atelier("generate", "poet", "--min-novelty", "1.5").code()).isEqualTo(2);
        CliTest.Run dc = atelier("data-copying", "icons", "--count", "20", "--cells", "1");
        assertThat(dc.code()).as(dc.err()).isZero();
        assertThat(dc.out()).contains("C_T = ").contains("held-out");
    }
}
