package art.atelier.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import art.atelier.AtelierException;
import art.atelier.UsageException;
import art.atelier.Workspace;
import art.atelier.catalog.Action;
import art.atelier.catalog.Filter;
import art.atelier.catalog.Work;
import art.atelier.image.Picture;
import art.atelier.image.PngCodec;
import art.atelier.music.MidiWriter;
import art.atelier.music.Note;
import art.atelier.music.Piece;
import art.atelier.novelty.Gate;
import art.atelier.util.Json;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

/** Publishing works: signed, embedded or beside, stored, catalogued; verify, actions, editions, the gallery. */
class StudioTest {

    @TempDir
    Path dir;

    private static Manifest draft(String medium, String id, long seed) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("temperature", 0.9);
        return Manifest.draft(id, medium, new Manifest.ModelRef("m", medium, "test", "sha256:abc", 10,
                "sha256:corpus"), seed, settings, List.of(), List.of(new Manifest.HumanAction("style", "odes")));
    }

    private static Gate.Verdict scored(double novelty) {
        return Gate.unchecked("made by the test", Map.of("novelty", novelty));
    }

    private static byte[] png(int shade) {
        byte[] px = new byte[8 * 8 * 3];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (shade + i % 7);
        }
        return PngCodec.encode(new Picture(8, 8, 3, px), Map.of("Software", "test"));
    }

    private static byte[] midi() {
        return MidiWriter.write(new Piece(List.of(new Note(0, 500_000, 60, 90, 0, false),
                new Note(500_000, 1_000_000, 64, 90, 0, false))), List.of());
    }

    /** Changes one byte, as a careless edit would (the store keeps its files read-only: made writable first). */
    private static void flipLastByteBefore(Path file, int fromEnd) throws IOException {
        file.toFile().setWritable(true);
        byte[] b = Files.readAllBytes(file);
        b[b.length - fromEnd] ^= 1;
        Files.write(file, b);
    }

    @Test
    void aTextIsSignedBesideItsFileAndVerifiesUntilOneByteChanges() throws IOException {
        Workspace ws = Workspace.at(dir);
        try (Studio studio = Studio.open(ws)) {
            byte[] text = "A new ode to the river.\n".getBytes(StandardCharsets.UTF_8);
            Works.Saved w = studio.publish(new Studio.Draft("text", "txt", text, draft("text", "m-s7-1", 7), "odes",
                    scored(0.93), null));
            assertThat(Files.readAllBytes(w.file())).isEqualTo(text);
            assertThat(w.manifestFile()).exists();
            assertThat(w.manifest().sha256()).isEqualTo(art.atelier.util.Hashing.sha256(text));
            assertThat(w.manifest().novelty()).containsEntry("novelty", 0.93);
            Records.Verdict ok = Records.verify(studio, w.file());
            assertThat(ok.valid()).as(ok.message()).isTrue();
            assertThat(ok.message()).contains(" is valid: work m-s7-1");
            // the same work again is the same record, not a second one
            Works.Saved again = studio.publish(new Studio.Draft("text", "txt", text, draft("text", "m-s7-1", 7),
                    "odes", scored(0.93), null));
            assertThat(again.file()).isEqualTo(w.file());
            assertThat(studio.catalog().list(Filter.ALL)).hasSize(1);

            flipLastByteBefore(w.file(), 3);
            Records.Verdict bad = Records.verify(studio, w.file());
            assertThat(bad.valid()).isFalse();
            assertThat(bad.message()).containsIgnoringCase("changed");
        }
    }

    @Test
    void aPictureAndAPieceCarryTheirSignedManifestInside() throws IOException {
        Workspace ws = Workspace.at(dir);
        try (Studio studio = Studio.open(ws)) {
            Works.Saved pic = studio.publish(new Studio.Draft("picture", "png", png(40), draft("image", "m-s1-2", 1),
                    null, scored(0.5), null));
            byte[] file = Files.readAllBytes(pic.file());
            assertThat(ImageIO.read(new ByteArrayInputStream(file)).getWidth()).isEqualTo(8);
            assertThat(pic.manifestFile()).isNull();
            Manifest inside = Works.embeddedManifest(file);
            assertThat(inside.id()).isEqualTo("m-s1-2");
            assertThat(inside.created()).isNull(); // the bytes do not depend on the clock
            assertThat(inside.novelty()).containsEntry("novelty", 0.5);
            assertThat(Records.verify(studio, pic.file()).valid()).isTrue();

            byte[] wav = "RIFF....WAVE".getBytes(StandardCharsets.US_ASCII);
            Manifest music = draft("music", "m-s2-3", 2);
            music.settings().put("audio_sha256", art.atelier.util.Hashing.sha256(wav));
            Works.Saved piece = studio.publish(new Studio.Draft("piece", "mid", midi(), music, null, scored(0.8), wav));
            assertThat(Works.embeddedManifest(Files.readAllBytes(piece.file())).medium()).isEqualTo("music");
            assertThat(piece.audio()).exists();
            assertThat(Records.verify(studio, piece.file()).valid()).isTrue();
            assertThat(Records.verify(studio, piece.audio()).message()).contains("is valid: the audio of work m-s2-3");
            flipLastByteBefore(piece.audio(), 8); // a byte of the RIFF size
            Records.Verdict changed = Records.verify(studio, piece.audio());
            assertThat(changed.valid()).isFalse();
            assertThat(changed.message()).contains("was changed: it is the audio of work m-s2-3");

            // a manifest value changed inside the file: the signature no longer holds
            Embedding.Format f = Embedding.detect(file, "x.png");
            Embedding.Extracted x = f.extract(file);
            String forged = x.manifest().replace("\"seed\":1", "\"seed\":99");
            assertThat(forged).isNotEqualTo(x.manifest());
            Path copy = dir.resolve("forged.png");
            Files.write(copy, f.embed(x.content(), forged));
            Records.Verdict v = Records.verify(studio, copy);
            assertThat(v.valid()).isFalse();
            assertThat(v.message()).containsIgnoringCase("manifest");
        }
    }

    @Test
    void aWorkSignedInAnotherStudioIsByAnUnknownKeyUntilTrusted() throws IOException {
        Path other;
        try (Studio elsewhere = Studio.open(Workspace.at(dir.resolve("other")))) {
            other = elsewhere.publish(new Studio.Draft("picture", "png", png(90), draft("image", "m-s5-4", 5), null,
                    scored(0.7), null)).file();
        }
        Workspace ws = Workspace.at(dir.resolve("mine"));
        try (Studio studio = Studio.open(ws)) {
            Records.Verdict v = Records.verify(studio, other);
            assertThat(v.valid()).isFalse();
            assertThat(v.message()).contains("a key this workspace does not trust");
        }
        TrustedKeys.trust(ws.root(), SigningKey.publicFile(dir.resolve("other")));
        try (Studio studio = Studio.open(ws)) {
            assertThat(Records.verify(studio, other).valid()).isTrue();
        }
    }

    @Test
    void theArtistsDecisionsAreSignedAndChangeTheWorksState() {
        try (Studio studio = Studio.open(Workspace.at(dir))) {
            Works.Saved w = studio.publish(new Studio.Draft("picture", "png", png(10), draft("image", "m-s3-5", 3),
                    null, scored(0.6), null));
            studio.act("m-s3", Action.KEEP, null); // a unique beginning of the id is enough
            Work t = studio.act(w.file().toString(), Action.TITLE, "River at dusk");
            assertThat(t.status()).isEqualTo(Work.KEPT);
            assertThat(t.title()).isEqualTo("River at dusk");
            List<Action> actions = studio.catalog().actions(w.id());
            assertThat(actions).extracting(Action::action).containsExactly("made", Action.KEEP, Action.TITLE);
            assertThat(actions).allSatisfy(a -> assertThat(a.signatureJson()).contains("Ed25519"));
            Map<String, Object> shown = Records.describe(studio, t);
            assertThat(shown).containsEntry("title", "River at dusk").containsEntry("status", "kept")
                    .containsKey("novelty").containsKey("model");
            assertThat((String) shown.get("signature")).contains(" is valid: ");
            assertThatThrownBy(() -> studio.act("nothing-like-it", Action.KEEP, null))
                    .isInstanceOf(AtelierException.class).hasMessageContaining("no work 'nothing-like-it'");
        }
    }

    @Test
    void theArtistsEditIsANewWorkWhoseParentIsTheOriginal() throws IOException {
        try (Studio studio = Studio.open(Workspace.at(dir.resolve("ws")))) {
            Works.Saved w = studio.publish(new Studio.Draft("text", "txt", "The river waits.\n".getBytes(
                    StandardCharsets.UTF_8), draft("text", "m-s6-11", 6), null, scored(0.9), null));
            Path mine = Files.writeString(dir.resolve("mine.txt"), "The river waits for me.\n");
            Works.Saved e = Records.edit(studio, w.id(), mine);
            assertThat(e.id()).startsWith("m-s6-11-e");
            assertThat(Files.readString(e.file())).isEqualTo("The river waits for me.\n");
            assertThat(e.manifest().parents()).containsExactly(w.id());
            assertThat(e.manifest().actions()).extracting(Manifest.HumanAction::action).containsExactly("edited");
            assertThat(e.manifest().novelty()).containsKey("novelty_not_measured"); // model 'm' is not here
            assertThat(Records.verify(studio, e.file()).valid()).isTrue();
            assertThat(studio.catalog().actions(w.id())).extracting(Action::action).contains("edited");
            Path latin1 = Files.write(dir.resolve("latin1.txt"), new byte[] {'c', 'a', 'f', (byte) 0xE9});
            assertThatThrownBy(() -> Records.edit(studio, w.id(), latin1)).hasMessageContaining("latin1.txt")
                    .hasMessageContaining("UTF-8");
            assertThatThrownBy(() -> Records.edit(studio, w.id(), dir.resolve("nothing.txt")))
                    .isInstanceOf(UsageException.class).hasMessageContaining("nothing.txt");
        }
    }

    @Test
    void anEditionIsIssuedOnceAndItsCertificatesVerify() throws IOException {
        try (Studio studio = Studio.open(Workspace.at(dir))) {
            Works.Saved w = studio.publish(new Studio.Draft("picture", "png", png(120), draft("image", "m-s4-6", 4),
                    null, scored(0.6), null));
            assertThatThrownBy(() -> Records.edition(studio, w.id(), 0)).isInstanceOf(UsageException.class);
            assertThatThrownBy(() -> Records.edition(studio, w.id(), 3)).isInstanceOf(UsageException.class)
                    .hasMessageContaining("title");
            studio.act(w.id(), Action.TITLE, "Dusk, third state");
            List<Path> certificates = Records.edition(studio, w.id(), 3);
            assertThat(certificates).hasSize(3);
            for (Path c : certificates) {
                assertThat(Records.verify(studio, c).valid()).as(c.toString()).isTrue();
            }
            assertThat(Files.readString(certificates.get(1))).contains("\"number\": 2").contains("\"of\": 3");
            assertThatThrownBy(() -> Records.edition(studio, w.id(), 5)).isInstanceOf(AtelierException.class)
                    .hasMessageContaining("already issued");
            flipLastByteBefore(certificates.get(0), 10);
            assertThat(Records.verify(studio, certificates.get(0)).valid()).isFalse();
        }
    }

    @Test
    void theGalleryShowsTextsPicturesAndMusicWithTheirProvenance() throws IOException {
        try (Studio studio = Studio.open(Workspace.at(dir.resolve("ws")))) {
            studio.publish(new Studio.Draft("text", "txt", "Lines <of> verse".getBytes(StandardCharsets.UTF_8),
                    draft("text", "m-s1-7", 1), null, scored(0.9), null));
            studio.publish(new Studio.Draft("picture", "png", png(200), draft("image", "m-s2-8", 2), null,
                    scored(0.4), null));
            studio.publish(new Studio.Draft("piece", "mid", midi(), draft("music", "m-s3-9", 3), null, scored(0.8),
                    "RIFF....WAVE".getBytes(StandardCharsets.US_ASCII)));
            Path page = Records.export(studio, dir.resolve("gallery"), Filter.ALL);
            String html = Files.readString(page);
            assertThat(html).contains("Lines &lt;of&gt; verse").contains("<img src=\"files/").contains("<audio")
                    .contains("MIDI file").contains("m-s1-7").contains("m-s2-8").contains("m-s3-9")
                    .contains("novelty").contains("valid");
            try (var files = Files.list(page.resolveSibling("files"))) {
                assertThat(files.count()).isEqualTo(4); // text, picture, MIDI and its audio
            }
            // an earlier export is replaced; a folder of something else is not touched
            Records.export(studio, dir.resolve("gallery"), Filter.ALL);
            Files.createDirectories(dir.resolve("photos"));
            Files.writeString(dir.resolve("photos/holiday.jpg"), "x");
            assertThatThrownBy(() -> Records.export(studio, dir.resolve("photos"), Filter.ALL))
                    .isInstanceOf(UsageException.class).hasMessageContaining("not empty");
            assertThat(dir.resolve("photos/holiday.jpg")).exists();
        }
    }

    @Test
    void theManifestInTheCatalogIsTheSignedOne() {
        try (Studio studio = Studio.open(Workspace.at(dir))) {
            Works.Saved w = studio.publish(new Studio.Draft("text", "txt", "x".getBytes(StandardCharsets.UTF_8),
                    draft("text", "m-s1-10", 1), null, scored(1), null));
            Work entry = studio.catalog().find(w.id()).orElseThrow();
            assertThat(Signatures.verify(Json.gson().fromJson(entry.manifestJson(), com.google.gson.JsonObject.class),
                    studio.trusted()).valid()).isTrue();
        }
    }
}
