package art.atelier;

import art.atelier.train.Checkpoint;
import art.atelier.train.ModelCard;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where an artist's models, works and logs live: {@code --workspace DIR}, else {@code $ATELIER_HOME},
 * else {@code ~/.atelier}. Layout: {@code models/NAME/} (checkpoints), {@code catalog.db} (the
 * catalog: works, models, corpora, runs, editions), {@code store/} (the works' files, named by the
 * SHA-256 of their bytes), {@code keys/} (the studio's signing key, and {@code keys/trusted/} for
 * other studios' public keys), {@code editions/} (certificates), {@code runs/NAME/} (what a training
 * run shows: sample grids), {@code logs/} (training metrics).
 */
public final class Workspace {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final Path root;

    private Workspace(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /**
     * @param explicit the --workspace option, or null
     * @return the workspace it names, or $ATELIER_HOME's, or ~/.atelier
     */
    public static Workspace resolve(Path explicit) {
        if (explicit != null) {
            return new Workspace(explicit);
        }
        String env = System.getenv("ATELIER_HOME");
        if (env != null && !env.isBlank()) {
            return new Workspace(Path.of(env));
        }
        return new Workspace(Path.of(System.getProperty("user.home"), ".atelier"));
    }

    /**
     * @param root a directory
     * @return the workspace there
     */
    public static Workspace at(Path root) {
        return new Workspace(root);
    }

    /** @return the workspace directory */
    public Path root() {
        return root;
    }

    /** @return where models live */
    public Path models() {
        return root.resolve("models");
    }

    /**
     * @param name a model name
     * @return where its training run keeps what an artist watches (sample grids), outside the
     *     checkpoint, which is replaced at every save
     */
    public Path run(String name) {
        return root.resolve("runs").resolve(model(name).getFileName());
    }

    /** @return where training logs live */
    public Path logs() {
        return root.resolve("logs");
    }

    /**
     * @param name a model name
     * @return its checkpoint directory (which may not exist yet)
     * @throws UsageException if the name is not a plain file name
     */
    public Path model(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new UsageException("a model name is 1-64 letters, digits, '.', '_' or '-', starting with a letter"
                    + " or digit; '" + name + "' is not");
        }
        return models().resolve(name);
    }

    /**
     * @param name a model name
     * @return its card
     * @throws AtelierException if there is no such model
     */
    public ModelCard card(String name) {
        return Checkpoint.readCard(model(name), "no model named '" + name + "' in " + models()
                + " (atelier models lists them; atelier train makes one)");
    }

    /**
     * @return every readable model's card, by name; unreadable ones are left out
     * @throws IOException if the models folder cannot be listed
     */
    public List<ModelCard> listModels() throws IOException {
        List<ModelCard> cards = new ArrayList<>();
        if (!Files.isDirectory(models())) {
            return cards;
        }
        List<Path> dirs = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(models())) {
            for (Path p : ds) {
                if (Files.isDirectory(p) && !p.getFileName().toString().startsWith(".")) {
                    dirs.add(p);
                }
            }
        }
        dirs.sort(null);
        for (Path d : dirs) {
            try {
                cards.add(Checkpoint.readCard(d));
            } catch (AtelierException e) {
                // not a model, or a damaged one: `models` lists what can be used
            }
        }
        return cards;
    }
}
