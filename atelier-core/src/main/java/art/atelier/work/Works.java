package art.atelier.work;

import art.atelier.AtelierException;
import art.atelier.catalog.Catalog;
import art.atelier.catalog.StoredFile;
import art.atelier.catalog.Work;
import art.atelier.util.Hashing;
import art.atelier.util.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds works in the catalog, by id, unique id prefix or file. */
public final class Works {

    private Works() {}

    /**
     * Reads manifests with whole numbers as whole numbers (a seed, a count, a MIDI program), not as the
     * doubles Gson gives for untyped values by default; numbers with a fraction or exponent stay doubles.
     */
    private static final com.google.gson.Gson WHOLE_NUMBERS = Json.gson().newBuilder()
            .setObjectToNumberStrategy(in -> {
                String text = in.nextString();
                if (text.matches("-?\\d{1,9}")) {
                    return Integer.parseInt(text);
                }
                if (text.matches("-?\\d+")) {
                    return Long.parseLong(text);
                }
                return Double.parseDouble(text);
            }).create();

    /**
     * A work on disk.
     *
     * @param id its id
     * @param file the work's file (in the workspace's store, named by its hash)
     * @param manifestFile its manifest beside it, or null when the manifest is embedded in the file
     * @param audio its rendered audio, or null
     * @param manifest the manifest
     */
    public record Saved(String id, Path file, Path manifestFile, Path audio, Manifest manifest) {}

    /**
     * @param modelName the model's name
     * @param seed the work's seed
     * @param bytes the work's content
     * @return "NAME-sSEED-HASH8": the same model, seed and content give the same id
     */
    public static String id(String modelName, long seed, byte[] bytes) {
        return modelName + "-s" + seed + "-" + Hashing.sha256(bytes).substring(0, 8);
    }

    /**
     * @param w a catalogued work
     * @param m its manifest
     * @return where its files are
     */
    static Saved saved(Work w, Manifest m) {
        Path file = w.file("work").map(StoredFile::path).orElse(null);
        Path audio = w.file("audio").map(StoredFile::path).orElse(null);
        Path manifest = file == null ? null : Embedding.beside(file);
        return new Saved(w.id(), file, manifest != null && Files.isRegularFile(manifest) ? manifest : null, audio, m);
    }

    /**
     * @param w a catalogued work
     * @return its manifest
     * @throws AtelierException if the catalog's copy cannot be read
     */
    public static Manifest manifest(Work w) {
        try {
            Manifest m = WHOLE_NUMBERS.fromJson(w.manifestJson(), Manifest.class);
            if (m == null || m.id() == null || m.model() == null || m.settings() == null) {
                throw new AtelierException("the catalog's manifest of work " + w.id() + " is not an Atelier manifest");
            }
            return m;
        } catch (RuntimeException e) {
            throw new AtelierException("the catalog's manifest of work " + w.id() + " cannot be read: "
                    + e.getMessage(), e);
        }
    }

    /**
     * @param file a work's file as Atelier wrote it (PNG, APNG, GIF or MIDI)
     * @return the signed manifest embedded in it
     * @throws AtelierException if it has none, or the file cannot be read
     */
    public static Manifest embeddedManifest(byte[] file) {
        Embedding.Extracted x = Embedding.detect(file, "").extract(file);
        if (x.manifest() == null) {
            throw new AtelierException("the file has no Atelier manifest");
        }
        return WHOLE_NUMBERS.fromJson(x.manifest(), Manifest.class);
    }

    /**
     * @param studio the open workspace
     * @param reference an id, a unique prefix of one, or the path of a work's file
     * @return the work on disk
     * @throws AtelierException if there is no such work
     */
    public static Saved find(Studio studio, String reference) {
        Work w = entry(studio, reference);
        return saved(w, manifest(w));
    }

    /**
     * @param studio the open workspace
     * @param reference an id, a unique prefix of one, or the path of a work's file (anywhere: a copy is
     *     found by its bytes, or by the id in its embedded manifest)
     * @return the catalog's entry
     * @throws AtelierException if there is no such work
     */
    public static Work entry(Studio studio, String reference) {
        Catalog catalog = studio.catalog();
        Path given = Path.of(reference);
        if (Files.isRegularFile(given)) {
            Work w = studio.findByFile(given);
            if (w != null) {
                return w;
            }
            try {
                byte[] bytes = Files.readAllBytes(given);
                Embedding.Extracted x = Embedding.detect(bytes, given.toString()).extract(bytes);
                if (x.manifest() != null) {
                    String id = Json.gson().fromJson(x.manifest(), Manifest.class).id();
                    Optional<Work> byId = id == null ? Optional.empty() : catalog.find(id);
                    if (byId.isPresent()) {
                        return byId.get();
                    }
                }
            } catch (IOException | RuntimeException e) {
                // not a work's file: fall through to the message below
            }
            throw new AtelierException(given + " is not a work in this workspace's catalog ("
                    + studio.workspace().root() + ")");
        }
        return catalog.find(reference).orElseThrow(() -> new AtelierException("no work '" + reference
                + "' in the catalog: give a work's id (as printed when it was made; a unique beginning is enough)"
                + " or the path of its file; atelier works lists them"));
    }
}
