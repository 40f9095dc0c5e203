package art.atelier.work;

import art.atelier.Workspace;
import art.atelier.util.AtomicFiles;
import art.atelier.util.Hashing;
import art.atelier.util.Json;

import art.atelier.AtelierException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

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
     * Finds a work by its id, or by the path of its file or manifest.
     *
     * @param workspace where works live
     * @param reference an id ("emoji-s7-1a2b3c4d"), or a path to the work or its manifest
     * @return the work on disk
     * @throws AtelierException if there is no such work or its manifest cannot be read
     */
    public static Saved find(Workspace workspace, String reference) {
        Path manifestFile = null;
        Path given = Path.of(reference);
        if (Files.isRegularFile(given)) {
            String name = given.getFileName().toString();
            manifestFile = name.endsWith(".json") ? given
                    : given.resolveSibling(name.substring(0, Math.max(0, name.lastIndexOf('.'))) + ".json");
        } else if (Files.isDirectory(workspace.works())) {
            try (Stream<Path> media = Files.list(workspace.works())) {
                for (Path dir : media.sorted().toList()) {
                    Path candidate = dir.resolve(reference + ".json");
                    if (Files.isRegularFile(candidate)) {
                        manifestFile = candidate;
                        break;
                    }
                }
            } catch (IOException e) {
                throw new AtelierException("cannot list " + workspace.works() + ": " + e.getMessage(), e);
            }
        }
        if (manifestFile == null || !Files.isRegularFile(manifestFile)) {
            throw new AtelierException("no work '" + reference + "': give a work's id (as printed when it was made)"
                    + " or the path of its file; works are in " + workspace.works());
        }
        Manifest m;
        try {
            m = Json.read(manifestFile, Manifest.class);
        } catch (IOException | RuntimeException e) {
            throw new AtelierException("cannot read the manifest " + manifestFile + ": " + e.getMessage(), e);
        }
        if (m == null || m.id() == null || m.model() == null || m.settings() == null) {
            throw new AtelierException(manifestFile + " is not an Atelier work manifest");
        }
        return new Saved(m.id(), manifestFile.resolveSibling(m.file() == null ? "" : m.file()), manifestFile, m);
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
