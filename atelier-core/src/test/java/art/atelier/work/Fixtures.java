package art.atelier.work;

import art.atelier.image.AnimationCodec;
import art.atelier.image.PngCodec;
import art.atelier.image.Picture;
import art.atelier.music.MidiWriter;
import art.atelier.music.Note;
import art.atelier.music.Piece;
import art.atelier.util.Hashing;
import art.atelier.util.Json;

import com.google.gson.JsonObject;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

/** Real works, made with the project's own encoders, and signed manifests for them. */
final class Fixtures {

    private Fixtures() {}

    static Picture picture(int w, int h, int channels, long seed) {
        Random rnd = new Random(seed);
        byte[] px = new byte[w * h * channels];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < channels; c++) {
                    // smooth gradients with a little noise: compresses like a picture, not like static
                    px[(y * w + x) * channels + c] = (byte) (x * 7 + y * 3 + c * 50 + rnd.nextInt(4));
                }
            }
        }
        return new Picture(w, h, channels, px);
    }

    static List<Picture> frames(int n) {
        List<Picture> frames = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            frames.add(picture(24, 16, 3, 100 + i));
        }
        return frames;
    }

    static byte[] png() {
        return PngCodec.encode(picture(32, 20, 3, 1), Map.of("Software", "Atelier test"));
    }

    static byte[] apng() {
        return AnimationCodec.apng(frames(3), 1, 10);
    }

    static byte[] gif() {
        return AnimationCodec.gif(frames(3), 10);
    }

    static Piece piece() {
        List<Note> notes = new ArrayList<>();
        int[] melody = {60, 62, 64, 65, 67, 65, 64, 62};
        for (int i = 0; i < melody.length; i++) {
            notes.add(new Note(i * 250_000L, i * 250_000L + 200_000, melody[i], 90, 0, false));
            notes.add(new Note(i * 250_000L, i * 250_000L + 100_000, 36 + (i % 2) * 2, 100, 0, true));
        }
        return new Piece(notes);
    }

    static byte[] midi() {
        return MidiWriter.write(piece(), List.of());
    }

    /** A quarter second of a 440 Hz tone, 8 kHz 16-bit mono. */
    static byte[] wav() {
        AudioFormat f = new AudioFormat(8000, 16, 1, true, false);
        byte[] pcm = new byte[2000 * 2];
        for (int i = 0; i < 2000; i++) {
            short s = (short) Math.round(8000 * Math.sin(2 * Math.PI * 440 * i / 8000.0));
            pcm[2 * i] = (byte) s;
            pcm[2 * i + 1] = (byte) (s >> 8);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            AudioSystem.write(new AudioInputStream(new ByteArrayInputStream(pcm), f, 2000), AudioFileFormat.Type.WAVE,
                    out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] text() {
        return "The heron waits by the river,\nand the river waits for rain — été.\n".getBytes(StandardCharsets.UTF_8);
    }

    /** A manifest as the generation classes make one, as a JSON tree, recording the content's hash. */
    static JsonObject manifest(String id, String medium, String file, byte[] content) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("temperature", 0.9);
        settings.put("top_k", 40);
        settings.put("style", "impressionism");
        Manifest m = new Manifest(Manifest.FORMAT, id, medium, file, Hashing.sha256(content),
                "2025-03-01T10:15:30Z", new Manifest.ModelRef("heron", medium, "gpt", "sha256:" + "ab".repeat(32), 1200,
                        "cd".repeat(32)), 7L, settings, List.of(), List.of(new Manifest.HumanAction("style",
                                "impressionism — été")), Map.of("atelier", "0.1.0"), Map.of("novelty", 0.87));
        return Json.tree(m).getAsJsonObject();
    }

    /**
     * Saves a signed work as the generation classes are to: the content with the embedded manifest
     * (without its creation time) if the format allows, and the full
     * manifest beside it.
     */
    static Path saveWork(Path dir, String id, String extension, byte[] content, String medium, SigningKey key)
            throws IOException {
        String fileName = id + "." + extension;
        JsonObject m = manifest(id, medium, fileName, content);
        return save(dir, fileName, content, m, key, true);
    }

    static Path save(Path dir, String fileName, byte[] content, JsonObject manifest, SigningKey key, boolean beside)
            throws IOException {
        Files.createDirectories(dir);
        Embedding.Format format = Embedding.detect(content, fileName);
        Path file = dir.resolve(fileName);
        JsonObject full = key == null ? manifest : Signatures.sign(manifest, key);
        if (format.embeddable()) {
            JsonObject inner = manifest.deepCopy();
            inner.remove("created");
            JsonObject embedded = key == null ? inner : Signatures.sign(inner, key);
            Files.write(file, format.embed(content, Json.compact(embedded)));
        } else {
            Files.write(file, content);
        }
        if (beside) {
            Files.writeString(Embedding.beside(file), Json.write(full));
        }
        return file;
    }
}
