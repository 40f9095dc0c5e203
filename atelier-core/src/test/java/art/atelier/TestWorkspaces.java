package art.atelier;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** A fresh workspace holding a copy of a trained model: for tests whose catalog must start empty. */
public final class TestWorkspaces {

    private TestWorkspaces() {}

    /**
     * @param from the workspace the model was trained in
     * @param name the model
     * @param root where the new workspace goes
     * @return a workspace with only that model, and no works
     */
    public static Workspace withModel(Workspace from, String name, Path root) {
        Workspace to = Workspace.at(root);
        Path src = from.model(name);
        Path dst = to.model(name);
        try (Stream<Path> files = Files.walk(src)) {
            for (Path p : files.toList()) {
                Path target = dst.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return to;
    }
}
