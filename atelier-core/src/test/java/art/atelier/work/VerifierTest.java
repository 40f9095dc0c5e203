package art.atelier.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import art.atelier.UsageException;
import art.atelier.image.PngCodec;
import art.atelier.music.MidiWriter;
import art.atelier.util.Hashing;
import art.atelier.util.Json;
import art.atelier.work.Verifier.Report;
import art.atelier.work.Verifier.Status;

import com.google.gson.JsonObject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;
import javax.sound.midi.MidiSystem;

class VerifierTest {

    @TempDir
    Path dir;

    Path studio;
    Path works;
    SigningKey key;
    TrustedKeys trusted;

    @BeforeEach
    void setUp() {
        studio = dir.resolve("studio");
        works = dir.resolve("works");
        key = SigningKey.loadOrCreate(studio);
        trusted = TrustedKeys.load(studio);
    }

    /** A work of each kind, saved as the generation classes are to save them. */
    private Path work(String kind) throws Exception {
        return switch (kind) {
            case "png" -> Fixtures.saveWork(works, "heron-s1-aaaaaaaa", "png", Fixtures.png(), "image", key);
            case "apng" -> Fixtures.saveWork(works, "heron-s2-bbbbbbbb", "png", Fixtures.apng(), "image", key);
            case "gif" -> Fixtures.saveWork(works, "heron-s3-cccccccc", "gif", Fixtures.gif(), "image", key);
            case "mid" -> Fixtures.saveWork(works, "heron-s4-dddddddd", "mid", Fixtures.midi(), "music", key);
            case "txt" -> Fixtures.saveWork(works, "heron-s5-eeeeeeee", "txt", Fixtures.text(), "text", key);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private static final String[] KINDS = {"png", "apng", "gif", "mid", "txt"};

    @Test
    void everyKindOfWorkVerifies() throws Exception {
        for (String kind : KINDS) {
            Path file = work(kind);
            Report r = Verifier.verify(file, trusted);
            assertThat(r.status()).as(kind + ": " + r.message()).isEqualTo(Status.VALID);
            assertThat(r.valid()).isTrue();
            assertThat(r.kind()).isEqualTo(Verifier.Kind.WORK);
            assertThat(r.file()).isEqualTo(file);
            assertThat(r.workId()).startsWith("heron-s");
            assertThat(r.model()).isEqualTo("heron");
            assertThat(r.keyId()).isEqualTo(key.id());
            assertThat(r.document()).isNotNull();
            assertThat(r.message()).startsWith(file + " is valid: work " + r.workId()).contains(key.id())
                    .doesNotContain("\n");
            if (!kind.equals("txt")) {
                assertThat(r.message()).contains("the manifests inside and beside agree");
            }
        }
    }

    @Test
    void embeddedWorksStillOpenInTheirUsualReaders() throws Exception {
        assertThat(ImageIO.read(work("png").toFile())).isNotNull();
        assertThat(ImageIO.read(work("gif").toFile())).isNotNull();
        assertThat(MidiSystem.getSequence(work("mid").toFile()).getTracks()).hasSize(3);
    }

    @Test
    void oneFlippedContentByteIsFoundInEveryFormat() throws Exception {
        for (String kind : KINDS) {
            Path file = work(kind);
            byte[] bytes = Files.readAllBytes(file);
            int at = switch (kind) {
                case "png", "apng" -> chunkData(bytes, "IDAT") + 5; // inside the compressed pixels
                case "gif" -> 13 + 7; // a colour of the global colour table
                case "mid" -> 13; // the low byte of the ticks per quarter note
                default -> 4; // a letter of the text
            };
            bytes[at] ^= 0x01;
            Files.write(file, bytes);
            Report r = Verifier.verify(file, trusted);
            assertThat(r.status()).as(kind + ": " + r.message()).isEqualTo(Status.BYTES_CHANGED);
            String noun = switch (kind) {
                case "mid" -> "piece";
                case "txt" -> "text";
                case "apng" -> "animation";
                default -> "picture";
            };
            String recorded = r.document().get("sha256").getAsString();
            Embedding.Extracted x = Embedding.detect(bytes, file.toString()).extract(bytes);
            assertThat(r.message()).isEqualTo(file + ": the " + noun + "'s bytes were changed after signing: its content"
                    + " hash is " + Hashing.sha256(x.content()) + " but the manifest records " + recorded);
            assertThat(r.workId()).startsWith("heron-s");
        }
    }

    @Test
    void aChangedValueInTheManifestBesideIsFound() throws Exception {
        for (String kind : KINDS) {
            Path file = work(kind);
            Path json = Embedding.beside(file);
            String text = Files.readString(json);
            assertThat(text).contains("\"seed\": 7,");
            Files.writeString(json, text.replace("\"seed\": 7,", "\"seed\": 8,"));
            Report r = Verifier.verify(file, trusted);
            assertThat(r.status()).as(kind).isEqualTo(Status.MANIFEST_CHANGED);
            assertThat(r.message()).isEqualTo("the manifest " + json + " was changed after signing: the signature by "
                    + key.id() + " does not match its content");
        }
    }

    @Test
    void aChangedValueInTheEmbeddedManifestIsFound() throws Exception {
        for (String kind : new String[] {"png", "apng", "gif", "mid"}) {
            Path file = work(kind);
            byte[] bytes = Files.readAllBytes(file);
            Embedding.Format f = Embedding.detect(bytes, file.toString());
            Embedding.Extracted x = f.extract(bytes);
            JsonObject m = CanonicalJson.parseObject(x.manifest(), "embedded");
            m.getAsJsonObject("settings").addProperty("temperature", 1.5);
            Files.write(file, f.embed(x.content(), Json.compact(m)));
            Report r = Verifier.verify(file, trusted);
            assertThat(r.status()).as(kind).isEqualTo(Status.MANIFEST_CHANGED);
            assertThat(r.message()).startsWith("the manifest embedded in " + file + " was changed after signing");
        }
    }

    @Test
    void twoSoundManifestsThatDisagreeAreFound() throws Exception {
        Path file = work("png");
        Path json = Embedding.beside(file);
        JsonObject beside = CanonicalJson.parseObject(Files.readString(json), "beside");
        beside.addProperty("seed", 8);
        Files.writeString(json, Json.write(Signatures.sign(beside, key))); // re-signed: sound on its own
        Report r = Verifier.verify(file, trusted);
        assertThat(r.status()).isEqualTo(Status.MANIFEST_CHANGED);
        assertThat(r.message()).isEqualTo("the manifest embedded in " + file + " and heron-s1-aaaaaaaa.manifest.json beside it"
                + " disagree: \"seed\" is 7 in the one and 8 in the other");
        // but the creation time only the one beside records is no disagreement
        beside.addProperty("seed", 7);
        beside.addProperty("created", "2031-01-01T00:00:00Z");
        Files.writeString(json, Json.write(Signatures.sign(beside, key)));
        assertThat(Verifier.verify(file, trusted).status()).isEqualTo(Status.VALID);
    }

    @Test
    void anotherStudiosKeyIsUnknownUntilTrusted() throws Exception {
        Path elsewhere = dir.resolve("elsewhere");
        SigningKey other = SigningKey.loadOrCreate(elsewhere);
        for (String ext : new String[] {"png", "txt"}) {
            byte[] content = ext.equals("png") ? Fixtures.png() : Fixtures.text();
            Path file = Fixtures.saveWork(works, "friend-" + ext, ext, content, "image", other);
            Report r = Verifier.verify(file, trusted);
            assertThat(r.status()).isEqualTo(Status.UNKNOWN_KEY);
            assertThat(r.keyId()).isEqualTo(other.id());
            assertThat(r.message()).startsWith(file + " is intact but ").contains("signed by " + other.id()
                    + ", a key this workspace does not trust");
        }
        TrustedKeys.trust(studio, SigningKey.publicFile(elsewhere));
        TrustedKeys now = TrustedKeys.load(studio);
        assertThat(Verifier.verify(works.resolve("friend-png.png"), now).status()).isEqualTo(Status.VALID);
        assertThat(Verifier.verify(works.resolve("friend-txt.txt"), now).status()).isEqualTo(Status.VALID);
        assertThat(Verifier.verify(works.resolve("friend-txt.txt"), now).keyId()).isEqualTo(other.id());
    }

    @Test
    void aFileWithoutManifestSaysSo() throws Exception {
        Files.createDirectories(works);
        Path png = Files.write(works.resolve("found.png"), Fixtures.png());
        Report r = Verifier.verify(png, trusted);
        assertThat(r.status()).isEqualTo(Status.NO_MANIFEST);
        assertThat(r.message()).isEqualTo(png + " has no Atelier manifest: none is embedded in it and there is no"
                + " found.manifest.json beside it");
        Path txt = Files.write(works.resolve("found.txt"), Fixtures.text());
        assertThat(Verifier.verify(txt, trusted).message()).isEqualTo(txt + " has no Atelier manifest: text files"
                + " carry none inside and there is no found.manifest.json beside it");
    }

    @Test
    void truncatedFilesAreMalformedWithAMessage() throws Exception {
        for (String kind : new String[] {"png", "apng", "gif", "mid"}) {
            Path file = work(kind);
            byte[] bytes = Files.readAllBytes(file);
            Files.write(file, Arrays.copyOf(bytes, bytes.length * 2 / 3));
            Report r = Verifier.verify(file, trusted);
            assertThat(r.status()).as(kind).isEqualTo(Status.MALFORMED);
            assertThat(r.message()).startsWith(file + " is malformed: truncated ").doesNotContain("\n");
            Files.write(file, Arrays.copyOf(bytes, 3));
            assertThat(Verifier.verify(file, trusted).message()).startsWith(file + " is not a ")
                    .contains("only 3 bytes long");
        }
        Path txt = work("txt");
        Path json = Embedding.beside(txt);
        String text = Files.readString(json);
        Files.writeString(json, text.substring(0, text.length() / 2));
        Report r = Verifier.verify(txt, trusted);
        assertThat(r.status()).isEqualTo(Status.MALFORMED);
        assertThat(r.message()).startsWith("the manifest " + json + " is not valid JSON");
    }

    @Test
    void aManifestWithoutHashOrWithABrokenSignatureIsMalformed() throws Exception {
        Path txt = work("txt");
        Path json = Embedding.beside(txt);
        JsonObject m = CanonicalJson.parseObject(Files.readString(json), "m");
        m.remove("sha256");
        Files.writeString(json, Json.write(Signatures.sign(m, key)));
        assertThat(Verifier.verify(txt, trusted).message()).isEqualTo("the manifest " + json
                + " records no \"sha256\" (the hash of the work's content)");
        m.add("signature", new JsonObject());
        Files.writeString(json, Json.write(m));
        Report r = Verifier.verify(txt, trusted);
        assertThat(r.status()).isEqualTo(Status.MALFORMED);
        assertThat(r.message()).startsWith("the manifest " + json + " is malformed: its signature lacks");
    }

    @Test
    void unsignedManifestsAreToldAndStillCheckTheBytes() throws Exception {
        byte[] png = Fixtures.png();
        JsonObject m = Fixtures.manifest("old-s1-00000000", "image", "old-s1-00000000.png", png);
        Path file = Fixtures.save(works, "old-s1-00000000.png", png, m, null, true);
        Report r = Verifier.verify(file, trusted);
        assertThat(r.status()).isEqualTo(Status.UNSIGNED);
        assertThat(r.keyId()).isNull();
        assertThat(r.message()).isEqualTo(file + " matches its manifest, but the manifest embedded in " + file
                + " is not signed, so anyone could have written it");
        byte[] bytes = Files.readAllBytes(file);
        bytes[chunkData(bytes, "IDAT") + 3] ^= 0x10;
        Files.write(file, bytes);
        assertThat(Verifier.verify(file, trusted).message()).contains("bytes were changed after its manifest was"
                + " written");
    }

    @Test
    void worksMadeBeforeSigningAreUnsignedNotChanged() throws Exception {
        // as ImageGeneration and MusicGeneration save them today: the embedded manifest lacks file, sha256 and
        // created; the one beside records the hash of the whole file, manifest included
        Files.createDirectories(works);
        byte[] pixels = Fixtures.png();
        JsonObject full = Fixtures.manifest("old-s1-00000000", "image", "old-s1-00000000.png", pixels);
        JsonObject inner = full.deepCopy();
        inner.remove("file");
        inner.remove("sha256");
        inner.remove("created");
        byte[] png = PngCodec.encode(Fixtures.picture(32, 20, 3, 1),
                Map.of(Embedding.KEYWORD, Json.compact(inner)));
        full.addProperty("sha256", Hashing.sha256(png));
        Path file = Files.write(works.resolve("old-s1-00000000.png"), png);
        Files.writeString(Embedding.beside(file), Json.write(full));
        Report r = Verifier.verify(file, trusted);
        assertThat(r.status()).as(r.message()).isEqualTo(Status.UNSIGNED);

        byte[] midi = MidiWriter.write(Fixtures.piece(),
                List.of("atelier-manifest " + Json.compact(inner)));
        JsonObject music = Fixtures.manifest("old-s2-00000000", "music", "old-s2-00000000.mid", midi);
        Path mid = Files.write(works.resolve("old-s2-00000000.mid"), midi);
        Files.writeString(Embedding.beside(mid), Json.write(music));
        assertThat(Verifier.verify(mid, trusted).status()).isEqualTo(Status.UNSIGNED);

        // but a member the embedded one has and the one beside lacks, or has otherwise, is a disagreement
        inner.addProperty("title", "Dawn");
        byte[] titled = PngCodec.encode(Fixtures.picture(32, 20, 3, 1),
                Map.of(Embedding.KEYWORD, Json.compact(inner)));
        full.addProperty("sha256", Hashing.sha256(titled));
        Files.write(file, titled);
        Files.writeString(Embedding.beside(file), Json.write(full));
        r = Verifier.verify(file, trusted);
        assertThat(r.status()).isEqualTo(Status.MANIFEST_CHANGED);
        assertThat(r.message()).endsWith("disagree: \"title\" is \"Dawn\" in the one and absent in the other");
    }

    @Test
    void oneManifestIsEnoughWhereverItIs() throws Exception {
        byte[] png = Fixtures.png();
        JsonObject m = Fixtures.manifest("solo-s1-00000000", "image", "solo-s1-00000000.png", png);
        Path embeddedOnly = Fixtures.save(works, "solo-s1-00000000.png", png, m, key, false);
        assertThat(Embedding.beside(embeddedOnly)).doesNotExist();
        assertThat(Verifier.verify(embeddedOnly, trusted).status()).isEqualTo(Status.VALID);

        // a PNG without its manifest inside, its manifest beside (as a tool that cannot embed would keep it)
        Path plain = works.resolve("plain-s1-00000000.png");
        Files.write(plain, png);
        Files.writeString(works.resolve("plain-s1-00000000.manifest.json"), Json.write(Signatures.sign(
                Fixtures.manifest("plain-s1-00000000", "image", "plain-s1-00000000.png", png), key)));
        assertThat(Verifier.verify(plain, trusted).status()).isEqualTo(Status.VALID);
    }

    @Test
    void theMusicsRecordingSharesItsMidiFilesManifest() throws Exception {
        byte[] midi = Fixtures.midi();
        byte[] wav = Fixtures.wav();
        String id = "heron-s4-dddddddd";
        JsonObject m = Fixtures.manifest(id, "music", id + ".mid", midi);
        m.getAsJsonObject("settings").addProperty("audio", id + ".wav");
        m.getAsJsonObject("settings").addProperty("audio_sha256", Hashing.sha256(wav));
        Fixtures.save(works, id + ".mid", midi, m, key, true);
        Path audio = Files.write(works.resolve(id + ".wav"), wav);
        Report r = Verifier.verify(audio, trusted);
        assertThat(r.status()).as(r.message()).isEqualTo(Status.VALID);
        assertThat(r.workId()).isEqualTo(id);
        wav[wav.length - 10] ^= 0x01;
        Files.write(audio, wav);
        r = Verifier.verify(audio, trusted);
        assertThat(r.status()).isEqualTo(Status.BYTES_CHANGED);
        assertThat(r.message()).startsWith(audio + ": the recording's bytes were changed after signing");
        assertThat(Verifier.verify(works.resolve(id + ".mid"), trusted).status()).isEqualTo(Status.VALID);
        // a recording the manifest does not name is compared with the MIDI file's hash, and the message says so
        Path stray = Files.write(works.resolve(id + ".txt"), Fixtures.text());
        assertThat(Verifier.verify(stray, trusted).message()).endsWith("(for " + id + ".mid, the file that manifest"
                + " describes)");
    }

    @Test
    void givenTheManifestTheWorkBesideItIsVerified() throws Exception {
        Path file = work("gif");
        Report r = Verifier.verify(Embedding.beside(file), trusted);
        assertThat(r.status()).isEqualTo(Status.VALID);
        assertThat(r.file()).isEqualTo(file);
        Files.delete(file);
        assertThatThrownBy(() -> Verifier.verify(Embedding.beside(file), trusted)).isInstanceOf(UsageException.class)
                .hasMessageContaining("give the work's own file");
    }

    @Test
    void aMissingFileIsAUsageError() {
        Path missing = dir.resolve("nowhere.png");
        assertThatThrownBy(() -> Verifier.verify(missing, trusted)).isInstanceOf(UsageException.class)
                .hasMessage("there is no file " + missing);
    }

    @Test
    void aPrettyRewriteOfTheManifestBesideStillVerifies() throws Exception {
        Path file = work("txt");
        Path json = Embedding.beside(file);
        JsonObject m = CanonicalJson.parseObject(Files.readString(json), "m");
        Files.writeString(json, Json.compact(m), StandardCharsets.UTF_8);
        assertThat(Verifier.verify(file, trusted).status()).isEqualTo(Status.VALID);
    }

    /** @return where the data of the first chunk of this type starts */
    static int chunkData(byte[] png, String type) {
        int pos = 8;
        while (true) {
            int len = ((png[pos] & 0xFF) << 24) | ((png[pos + 1] & 0xFF) << 16) | ((png[pos + 2] & 0xFF) << 8)
                    | (png[pos + 3] & 0xFF);
            if (new String(png, pos + 4, 4, StandardCharsets.ISO_8859_1).equals(type)) {
                return pos + 8;
            }
            pos += 12 + len;
        }
    }
}
