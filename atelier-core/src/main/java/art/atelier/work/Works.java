package art.atelier.work;

import art.atelier.Workspace;
import art.atelier.util.AtomicFiles;
import art.atelier.util.Hashing;
import art.atelier.util.Json;

import java.io.IOException;
import java.nio.file.Path;

/** Writes works into the workspace: the bytes, then the manifest, each atomically. */
public final class Works {

    private Works() {}

    /**
     * A work on disk.
     *
     * @param id its id
     * @param file the work's file
     * @param manifestFile its manifest's file
     * @param manifest the manifest
     */
    public record Saved(String id, Path file, Path manifestFile, Manifest manifest) {}

    /**
     * @param modelName the model's name
     * @param seed the work's seed
     * @param bytes the work's bytes
     * @return "NAME-sSEED-HASH8": the same model, seed and bytes give the same id
     */
    public static String id(String modelName, long seed, byte[] bytes) {
        return modelName + "-s" + seed + "-" + Hashing.sha256(bytes).substring(0, 8);
    }

    /**
     * @param workspace where
     * @param medium the medium (the sub-folder of works/)
     * @param extension the file extension, without the dot
     * @param bytes the work
     * @param manifest its manifest (id, file and sha256 are filled in here)
     * @return where it went
     * @throws IOException on failure
     */
    public static Saved save(Workspace workspace, String medium, String extension, byte[] bytes, Manifest manifest)
            throws IOException {
        Path dir = workspace.works().resolve(medium);
        String file = manifest.id() + "." + extension;
        Manifest m = new Manifest(manifest.format(), manifest.id(), medium, file, Hashing.sha256(bytes),
                manifest.created(), manifest.model(), manifest.seed(), manifest.settings(), manifest.parents(),
                manifest.actions(), manifest.software());
        Path target = dir.resolve(file);
        Path manifestFile = dir.resolve(manifest.id() + ".json");
        AtomicFiles.write(target, bytes);
        AtomicFiles.writeString(manifestFile, Json.write(m));
        return new Saved(m.id(), target, manifestFile, m);
    }
}
