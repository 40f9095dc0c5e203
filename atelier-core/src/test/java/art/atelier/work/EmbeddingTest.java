package art.atelier.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import art.atelier.AtelierException;
import art.atelier.image.PngCodec;
import art.atelier.util.Json;
import art.atelier.work.Embedding.Extracted;
import art.atelier.work.Embedding.Format;

import com.google.gson.JsonObject;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.sound.midi.MetaMessage;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;

class EmbeddingTest {

    /** A signed-looking manifest, compact, pure ASCII. */
    private static String manifest(byte[] content) {
        JsonObject m = Fixtures.manifest("heron-s7-1a2b3c4d", "image", "heron-s7-1a2b3c4d.png", content);
        m.getAsJsonArray("actions").get(0).getAsJsonObject().addProperty("detail", "impressionism");
        return Json.compact(m);
    }

    @Test
    void pngRoundTripIsExactAndTheChunkSitsBeforeIend() throws Exception {
        byte[] png = Fixtures.png();
        String m = manifest(png);
        byte[] file = Format.PNG.embed(png, m);
        assertThat(Embedding.detect(file, "x.png")).isEqualTo(Format.PNG);
        assertThat(Format.PNG.extract(file)).isEqualTo(new Extracted(png, m));
        // PngCodec checks every chunk's CRC while reading the text
        Map<String, String> text = PngCodec.readText(file);
        assertThat(text).containsEntry(Embedding.KEYWORD, m).containsEntry("Software", "Atelier test");
        // the iTXt chunk is the last before IEND, and IEND still ends the file
        int iend = file.length - 12;
        assertThat(new String(file, iend + 4, 4, StandardCharsets.ISO_8859_1)).isEqualTo("IEND");
        byte[] chunk = (Embedding.KEYWORD + "\0\0\0\0\0" + m).getBytes(StandardCharsets.UTF_8);
        assertThat(Arrays.copyOfRange(file, iend - 4 - chunk.length, iend - 4)).isEqualTo(chunk);
        // ImageIO still reads the picture, pixel for pixel
        BufferedImage before = ImageIO.read(new ByteArrayInputStream(png));
        BufferedImage after = ImageIO.read(new ByteArrayInputStream(file));
        assertThat(after.getWidth()).isEqualTo(32);
        assertThat(pixels(after)).isEqualTo(pixels(before));
    }

    @Test
    void apngRoundTripIsExactAndStillReads() throws Exception {
        byte[] apng = Fixtures.apng();
        assertThat(Embedding.detect(apng, "x.png")).isEqualTo(Format.APNG);
        String m = manifest(apng);
        byte[] file = Format.APNG.embed(apng, m);
        assertThat(Embedding.detect(file, "x.png")).isEqualTo(Format.APNG);
        assertThat(Format.APNG.extract(file)).isEqualTo(new Extracted(apng, m));
        assertThat(PngCodec.readText(file)).containsEntry(Embedding.KEYWORD, m);
        assertThat(pixels(ImageIO.read(new ByteArrayInputStream(file))))
                .isEqualTo(pixels(ImageIO.read(new ByteArrayInputStream(apng))));
    }

    @Test
    void gifRoundTripIsExactAndAllFramesStillRead() throws Exception {
        byte[] gif = Fixtures.gif();
        String m = manifest(gif);
        assertThat(m.length()).isGreaterThan(255); // more than one data sub-block
        byte[] file = Format.GIF.embed(gif, m);
        assertThat(Format.GIF.extract(file)).isEqualTo(new Extracted(gif, m));
        // right after the header, the logical screen descriptor and the global colour table
        int packed = gif[10] & 0xFF;
        int start = 13 + ((packed & 0x80) != 0 ? 3 << ((packed & 7) + 1) : 0);
        assertThat(Arrays.copyOf(file, start)).isEqualTo(Arrays.copyOf(gif, start));
        assertThat(file[start] & 0xFF).isEqualTo(0x21);
        assertThat(file[start + 1] & 0xFF).isEqualTo(0xFE);
        assertThat(file[start + 2] & 0xFF).isEqualTo(255);
        assertThat(new String(file, start + 3, Embedding.PREFIX.length(), StandardCharsets.US_ASCII))
                .isEqualTo(Embedding.PREFIX);
        assertThat(frames(file)).isEqualTo(3).isEqualTo(frames(gif));
        assertThat(pixels(ImageIO.read(new ByteArrayInputStream(file))))
                .isEqualTo(pixels(ImageIO.read(new ByteArrayInputStream(gif))));
    }

    @Test
    void gifCommentsAreAsciiSoOtherTextIsEscapedToTheSameJson() {
        byte[] gif = Fixtures.gif();
        JsonObject m = Fixtures.manifest("heron-s7-1a2b3c4d", "image", "heron-s7-1a2b3c4d.gif", gif);
        m.addProperty("title", "Été à Giverny 😀");
        String json = Json.compact(m);
        byte[] file = Format.GIF.embed(gif, json);
        Extracted x = Format.GIF.extract(file);
        assertThat(x.content()).isEqualTo(gif);
        assertThat(x.manifest()).contains("\\u00c9t\\u00e9 \\u00e0 Giverny \\ud83d\\ude00").isNotEqualTo(json);
        assertThat(x.manifest().chars()).allMatch(c -> c < 0x80);
        // the same document, so the same signed bytes
        assertThat(CanonicalJson.write(CanonicalJson.parse(x.manifest(), "gif")))
                .isEqualTo(CanonicalJson.write(CanonicalJson.parse(json, "json")));
    }

    @Test
    void midiRoundTripIsExactAndTheJdkStillReadsIt() throws Exception {
        byte[] midi = Fixtures.midi();
        JsonObject mj = Fixtures.manifest("heron-s7-1a2b3c4d", "music", "heron-s7-1a2b3c4d.mid", midi);
        mj.addProperty("title", "Nocturne — été"); // MIDI text is UTF-8 here: exact even beyond ASCII
        String m = Json.compact(mj);
        byte[] file = Format.MIDI.embed(midi, m);
        assertThat(Embedding.detect(file, "x.mid")).isEqualTo(Format.MIDI);
        assertThat(Format.MIDI.extract(file)).isEqualTo(new Extracted(midi, m));
        Sequence before = MidiSystem.getSequence(new ByteArrayInputStream(midi));
        Sequence after = MidiSystem.getSequence(new ByteArrayInputStream(file));
        assertThat(after.getTracks()).hasSameSizeAs(before.getTracks());
        assertThat(after.getTickLength()).isEqualTo(before.getTickLength());
        assertThat(after.getMicrosecondLength()).isEqualTo(before.getMicrosecondLength());
        assertThat(after.getTracks()[0].size()).isEqualTo(before.getTracks()[0].size() + 1);
        assertThat(after.getTracks()[0].get(0).getTick()).isZero();
        MetaMessage text = (MetaMessage) after.getTracks()[0].get(0).getMessage();
        assertThat(text.getType()).isEqualTo(1);
        assertThat(new String(text.getData(), StandardCharsets.UTF_8)).isEqualTo(Embedding.PREFIX + m);
        for (int t = 1; t < before.getTracks().length; t++) {
            assertThat(after.getTracks()[t].size()).isEqualTo(before.getTracks()[t].size());
        }
    }

    @Test
    void aLongManifestGetsAMultiByteMidiLength() throws Exception {
        byte[] midi = Fixtures.midi();
        JsonObject mj = Fixtures.manifest("heron-s7-1a2b3c4d", "music", "heron-s7-1a2b3c4d.mid", midi);
        mj.addProperty("notes", "x".repeat(20_000)); // length needs three VLQ bytes
        String m = Json.compact(mj);
        byte[] file = Format.MIDI.embed(midi, m);
        assertThat(Format.MIDI.extract(file)).isEqualTo(new Extracted(midi, m));
        MetaMessage text = (MetaMessage) MidiSystem.getSequence(new ByteArrayInputStream(file)).getTracks()[0].get(0)
                .getMessage();
        assertThat(text.getData().length).isEqualTo(Embedding.PREFIX.length() + m.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void aManifestIsEmbeddedOnceAndMustBeAJsonObject() {
        for (byte[] content : new byte[][] {Fixtures.png(), Fixtures.apng(), Fixtures.gif(), Fixtures.midi()}) {
            Format f = Embedding.detect(content, "x");
            byte[] once = f.embed(content, "{\"a\":1}");
            assertThatThrownBy(() -> f.embed(once, "{\"a\":1}")).isInstanceOf(AtelierException.class)
                    .hasMessageContaining("already carries").hasMessageContaining("extract it first");
            assertThatThrownBy(() -> f.embed(content, "[1]")).hasMessageContaining("not a JSON object");
            assertThatThrownBy(() -> f.embed(content, "{\"a\":")).hasMessageContaining("not valid JSON");
            assertThatThrownBy(() -> f.embed(content, "{\"a\":\"\ud800\"}")).hasMessageContaining("surrogate");
            assertThat(f.extract(content)).isEqualTo(new Extracted(content, null));
        }
    }

    @Test
    void aManifestThatPngCodecWroteBeforeTheImageDataIsFoundToo() {
        Map<String, String> text = new LinkedHashMap<>();
        text.put("Software", "Atelier");
        text.put(Embedding.KEYWORD, "{\"id\":\"old\"}");
        byte[] withText = PngCodec.encode(Fixtures.picture(8, 8, 3, 5), text);
        Extracted x = Format.PNG.extract(withText);
        assertThat(x.manifest()).isEqualTo("{\"id\":\"old\"}");
        assertThat(x.content()).isEqualTo(PngCodec.encode(Fixtures.picture(8, 8, 3, 5), Map.of("Software", "Atelier")));
    }

    @Test
    void twoManifestsInOneFileAreRefused() throws Exception {
        byte[] plain = PngCodec.encode(Fixtures.picture(8, 8, 3, 5), Map.of());
        byte[] early = PngCodec.encode(Fixtures.picture(8, 8, 3, 5), Map.of(Embedding.KEYWORD, "{}")); // before IDAT
        byte[] late = Format.PNG.embed(plain, "{}"); // before IEND
        assertThatThrownBy(() -> Format.PNG.embed(early, "{}")).hasMessageContaining("already carries");
        byte[] both = splice(early, late);
        assertThat(PngCodec.readText(both)).containsKey(Embedding.KEYWORD); // a sound PNG, CRCs and all
        assertThatThrownBy(() -> Format.PNG.extract(both)).isInstanceOf(AtelierException.class)
                .hasMessageContaining("two atelier-manifest chunks");
    }

    /** {@code withEarly} with the manifest chunk {@code withLate} has before IEND added before its own IEND. */
    private static byte[] splice(byte[] withEarly, byte[] withLate) {
        int lateChunkStart = indexOfChunkBeforeIend(withLate);
        byte[] chunk = Arrays.copyOfRange(withLate, lateChunkStart, withLate.length - 12);
        byte[] out = new byte[withEarly.length + chunk.length];
        System.arraycopy(withEarly, 0, out, 0, withEarly.length - 12);
        System.arraycopy(chunk, 0, out, withEarly.length - 12, chunk.length);
        System.arraycopy(withEarly, withEarly.length - 12, out, withEarly.length - 12 + chunk.length, 12);
        return out;
    }

    private static int indexOfChunkBeforeIend(byte[] png) {
        int pos = 8;
        int previous = -1;
        while (true) {
            int len = ((png[pos] & 0xFF) << 24) | ((png[pos + 1] & 0xFF) << 16) | ((png[pos + 2] & 0xFF) << 8)
                    | (png[pos + 3] & 0xFF);
            if (new String(png, pos + 4, 4, StandardCharsets.ISO_8859_1).equals("IEND")) {
                return previous;
            }
            previous = pos;
            pos += 12 + len;
        }
    }

    @Test
    void formatsWithoutRoomKeepTheManifestBeside() {
        for (byte[] content : new byte[][] {Fixtures.wav(), Fixtures.text()}) {
            Format f = Embedding.detect(content, "heron.x");
            assertThat(f.embeddable()).isFalse();
            assertThat(f.extract(content)).isEqualTo(new Extracted(content, null));
            assertThatThrownBy(() -> f.embed(content, "{}")).isInstanceOf(AtelierException.class)
                    .hasMessageContaining("beside");
        }
        assertThat(Embedding.beside(Path.of("works/music/heron-s7-1a2b3c4d.wav")))
                .isEqualTo(Path.of("works/music/heron-s7-1a2b3c4d.manifest.json"));
        assertThat(Embedding.beside(Path.of("a.b/poem"))).isEqualTo(Path.of("a.b/poem.manifest.json"));
        assertThat(Embedding.beside(Path.of("poem.tar.txt"))).isEqualTo(Path.of("poem.tar.manifest.json"));
        assertThat(List.of("a.png", "a.GIF", "a.mid", "a.apng")).allMatch(Embedding::carriesManifest);
        assertThat(List.of("a.txt", "a.wav", "a.md", "png")).noneMatch(Embedding::carriesManifest);
    }

    @Test
    void detectsByMagicBytesAndCatchesFilesThatAreNotWhatTheirNameSays() {
        assertThat(Embedding.detect(Fixtures.png(), "anything")).isEqualTo(Format.PNG);
        assertThat(Embedding.detect(Fixtures.gif(), "x.png")).isEqualTo(Format.GIF);
        assertThat(Embedding.detect(Fixtures.midi(), "x.mid")).isEqualTo(Format.MIDI);
        assertThat(Embedding.detect(Fixtures.wav(), "x.wav")).isEqualTo(Format.WAV);
        assertThat(Embedding.detect(Fixtures.text(), "x.txt")).isEqualTo(Format.TEXT);
        assertThat(Embedding.detect(Fixtures.text(), "x")).isEqualTo(Format.TEXT);
        assertThat(Embedding.detect(new byte[] {(byte) 0xff, (byte) 0xfe, 0}, "x.bin")).isEqualTo(Format.OTHER);
        assertThat(Embedding.detect(new byte[] {(byte) 0xff}, "x.txt")).isEqualTo(Format.TEXT);
        assertThatThrownBy(() -> Embedding.detect(Arrays.copyOf(Fixtures.png(), 5), "dir/x.png"))
                .isInstanceOf(AtelierException.class)
                .hasMessage("dir/x.png is not a PNG file: it does not start with the PNG signature (it is only 5 bytes"
                        + " long: cut short?)");
        assertThatThrownBy(() -> Embedding.detect(Fixtures.text(), "x.MID")).hasMessageContaining("not a MIDI file");
        assertThatThrownBy(() -> Embedding.detect(new byte[0], "x.gif")).hasMessageContaining("not a GIF file");
    }

    @Test
    void everyTruncationIsAClearErrorNeverAnIndexError() {
        for (byte[] content : new byte[][] {Fixtures.png(), Fixtures.apng(), Fixtures.gif(), Fixtures.midi()}) {
            Format f = Embedding.detect(content, "x");
            byte[] file = f.embed(content, manifest(content));
            String name = "x." + switch (f) {
                case GIF -> "gif";
                case MIDI -> "mid";
                default -> "png";
            };
            for (int n = 0; n < file.length; n++) {
                byte[] cut = Arrays.copyOf(file, n);
                assertThatThrownBy(() -> Embedding.detect(cut, name).extract(cut))
                        .as("%s cut to %d bytes", f, n).isExactlyInstanceOf(AtelierException.class)
                        .hasMessageNotContaining("\n")
                        .satisfies(e -> assertThat(e.getMessage()).matches(
                                ".*(truncated|cut short|not a|malformed|claims|ends inside|not UTF-8|no track).*"));
            }
        }
    }

    @Test
    void corruptedBytesNeverEscapeAsAnythingButAClearError() {
        Random rnd = new Random(20250301);
        for (byte[] content : new byte[][] {Fixtures.png(), Fixtures.apng(), Fixtures.gif(), Fixtures.midi()}) {
            Format f = Embedding.detect(content, "x");
            byte[] file = f.embed(content, manifest(content));
            for (int trial = 0; trial < 2000; trial++) {
                byte[] bad = file.clone();
                int flips = 1 + rnd.nextInt(4);
                for (int i = 0; i < flips; i++) {
                    bad[rnd.nextInt(bad.length)] = (byte) rnd.nextInt(256);
                }
                try {
                    Extracted x = Embedding.detect(bad, "x").extract(bad);
                    assertThat(x.content()).isNotNull();
                } catch (AtelierException e) {
                    assertThat(e.getMessage()).isNotBlank().doesNotContain("\n");
                }
            }
        }
    }

    private static int[] pixels(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }

    private static int frames(byte[] gif) throws Exception {
        ImageReader r = ImageIO.getImageReadersByFormatName("gif").next();
        try {
            r.setInput(new MemoryCacheImageInputStream(new ByteArrayInputStream(gif)));
            return r.getNumImages(true);
        } finally {
            r.dispose();
        }
    }
}
