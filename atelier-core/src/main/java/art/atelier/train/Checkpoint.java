package art.atelier.train;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

import art.atelier.AtelierException;
import art.atelier.util.AtomicFiles;
import art.atelier.util.Hashing;
import art.atelier.util.Json;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The checkpoint directory: {@code model.json} (a {@link ModelCard}), {@code weights.params} (the
 * block's parameters in DJL's format), {@code optimizer.bin} (optimizer moments) and {@code MODEL.md}
 * (the card for people). Written as a whole by {@link TrainingLoop} through an atomic directory swap.
 */
public final class Checkpoint {

    /** The checkpoint format this build writes and the newest it reads. */
    public static final int FORMAT = 1;
    /** The card's file name. */
    public static final String CARD = "model.json";
    /** The weights' file name. */
    public static final String WEIGHTS = "weights.params";
    /** The optimizer state's file name. */
    public static final String OPTIMIZER = "optimizer.bin";
    /** The human-readable card's file name. */
    public static final String README = "MODEL.md";

    private Checkpoint() {}

    /**
     * Whether a checkpoint is at {@code dir}, after restoring one whose swap a crash interrupted:
     * every way of finding a model goes through here.
     *
     * @param dir a checkpoint directory
     * @return whether its card is there
     */
    public static boolean exists(Path dir) {
        try {
            AtomicFiles.recoverDirectory(dir);
        } catch (IOException e) {
            throw new AtelierException("cannot recover " + dir + ": " + e.getMessage(), e);
        }
        return Files.isRegularFile(dir.resolve(CARD));
    }

    /**
     * Reads and checks a card.
     *
     * @param dir a checkpoint directory
     * @return its card
     * @throws AtelierException if it is missing, unreadable or from a newer Atelier
     */
    public static ModelCard readCard(Path dir) {
        return readCard(dir, "no model at " + dir + " (" + CARD + " is missing)");
    }

    /**
     * Reads and checks a card.
     *
     * @param dir a checkpoint directory
     * @param whenMissing the message if there is no checkpoint there
     * @return its card
     * @throws AtelierException if it is missing, unreadable or from a newer Atelier
     */
    public static ModelCard readCard(Path dir, String whenMissing) {
        if (!exists(dir)) {
            throw new AtelierException(whenMissing);
        }
        Path file = dir.resolve(CARD);
        ModelCard card;
        try {
            card = Json.read(file, ModelCard.class);
        } catch (IOException | RuntimeException e) {
            throw new AtelierException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (card.format() > FORMAT) {
            throw new AtelierException(file + " was written by a newer Atelier (checkpoint format " + card.format()
                    + "; this version reads up to " + FORMAT + "); upgrade Atelier to use it");
        }
        if (card.format() < 1 || card.medium() == null || card.family() == null || card.config() == null) {
            throw new AtelierException(file + " is not an Atelier model card (format, medium, family or config missing)");
        }
        return card;
    }

    /**
     * @param card a card
     * @param medium the medium the caller works with
     * @param family the family it can load
     * @return the card
     * @throws AtelierException if the card is of another medium or family
     */
    public static ModelCard expect(ModelCard card, String medium, String family) {
        if (!medium.equals(card.medium()) || !family.equals(card.family())) {
            throw new AtelierException("model '" + card.name() + "' is " + ModelCard.article(card.medium()) + " model of family '"
                    + card.family() + "'; this needs " + ModelCard.article(medium) + " model of family '" + family + "'");
        }
        return card;
    }

    /**
     * Writes the card and its human-readable twin.
     *
     * @param dir the checkpoint directory being written
     * @param card the card
     * @throws IOException on failure
     */
    public static void writeCard(Path dir, ModelCard card) throws IOException {
        Files.writeString(dir.resolve(CARD), Json.write(card));
        Files.writeString(dir.resolve(README), readme(card));
    }

    /**
     * @param dir the checkpoint directory being written
     * @param block the model
     * @throws IOException on failure
     */
    public static void saveWeights(Path dir, Block block) throws IOException {
        saveWeights(dir, block, WEIGHTS);
    }

    /**
     * @param dir the checkpoint directory being written
     * @param block the model, or one of its parts
     * @param fileName the weights file's name
     * @throws IOException on failure
     */
    public static void saveWeights(Path dir, Block block, String fileName) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(
                Files.newOutputStream(dir.resolve(fileName)), 1 << 16))) {
            block.saveParameters(out);
        }
    }

    /**
     * Loads weights into an initialised block and checks every parameter's shape against it.
     *
     * @param dir the checkpoint directory
     * @param block the model, initialised for the card's config
     * @param manager the model's manager
     * @return "sha256:" and the hash of the weights file, read on the way: the checkpoint's identity
     *     in manifests
     * @throws AtelierException if the weights are missing or belong to another model
     */
    public static String loadWeights(Path dir, Block block, NDManager manager) {
        return loadWeights(dir, block, manager, WEIGHTS);
    }

    /**
     * Loads one weights file of a checkpoint into an initialised block and checks every parameter's shape.
     *
     * @param dir the checkpoint directory
     * @param block the model, or one of its parts, initialised for the card's config
     * @param manager the model's manager
     * @param fileName the weights file's name
     * @return "sha256:" and the hash of the weights file
     * @throws AtelierException if the weights are missing or belong to another model
     */
    public static String loadWeights(Path dir, Block block, NDManager manager, String fileName) {
        Path file = dir.resolve(fileName);
        if (!Files.isRegularFile(file)) {
            throw new AtelierException("the checkpoint " + dir + " has no " + WEIGHTS);
        }
        Map<String, Shape> expected = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            expected.put(p.getKey(), p.getValue().getArray().getShape());
        }
        MessageDigest digest = Hashing.sha256();
        try (InputStream in = new BufferedInputStream(new DigestInputStream(Files.newInputStream(file), digest), 1 << 16);
                DataInputStream data = new DataInputStream(in)) {
            block.loadParameters(manager, data);
            if (data.read() != -1) {
                throw new AtelierException(file + " holds more than this model's weights: it belongs to another model");
            }
        } catch (EOFException e) {
            throw new AtelierException(file + " does not fit this model: it ends early (truncated, or written by a"
                    + " model of another shape)", e);
        } catch (MalformedModelException | IOException | IllegalArgumentException e) {
            throw new AtelierException(file + " does not fit this model: " + e.getMessage(), e);
        }
        for (Pair<String, Parameter> p : block.getParameters()) {
            Shape got = p.getValue().getArray().getShape();
            Shape want = expected.get(p.getKey());
            if (!got.equals(want)) {
                throw new AtelierException(file + " does not fit this model: parameter " + p.getKey() + " is " + got
                        + " in the file but " + want + " in the model's config");
            }
            if (p.getValue().requiresGradient()) {
                p.getValue().getArray().setRequiresGradient(true);
            }
        }
        return "sha256:" + HexFormat.of().formatHex(digest.digest());
    }

    /**
     * @param dir the checkpoint directory being written
     * @param optimizer the optimizer
     * @throws IOException on failure
     */
    public static void saveOptimizer(Path dir, AdamW optimizer) throws IOException {
        saveOptimizer(dir, optimizer, OPTIMIZER);
    }

    /**
     * @param dir the checkpoint directory being written
     * @param optimizer the optimizer
     * @param fileName the state file's name
     * @throws IOException on failure
     */
    public static void saveOptimizer(Path dir, AdamW optimizer, String fileName) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(
                Files.newOutputStream(dir.resolve(fileName)), 1 << 16))) {
            optimizer.save(out);
        }
    }

    /**
     * @param dir the checkpoint directory
     * @param optimizer an optimizer over the same parameters
     */
    public static void loadOptimizer(Path dir, AdamW optimizer) {
        loadOptimizer(dir, optimizer, OPTIMIZER);
    }

    /**
     * @param dir the checkpoint directory
     * @param optimizer an optimizer over the same parameters
     * @param fileName the state file's name
     */
    public static void loadOptimizer(Path dir, AdamW optimizer, String fileName) {
        Path file = dir.resolve(fileName);
        if (!Files.isRegularFile(file)) {
            throw new AtelierException("the checkpoint " + dir + " has no " + OPTIMIZER + ": it cannot be resumed");
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            optimizer.load(in, file.toString());
        } catch (IOException e) {
            throw new AtelierException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static String readme(ModelCard c) {
        StringBuilder s = new StringBuilder();
        s.append("# ").append(c.name()).append("\n\n");
        s.append(Character.toUpperCase(ModelCard.article(c.medium()).charAt(0))).append(ModelCard.article(c.medium())
                .substring(1)).append(" model of family `").append(c.family()).append("` (preset `")
                .append(c.preset()).append("`), made with Atelier ").append(c.software().get("atelier")).append(".\n\n");
        s.append("## Trained on\n");
        ModelCard.CorpusRecord k = c.corpus();
        s.append("- corpus: `").append(k.path()).append("`, ").append(k.files()).append(" file(s), fingerprint `")
                .append(k.fingerprint()).append("`\n");
        s.append("- ").append(k.trainUnits()).append(' ').append(k.unit()).append(" for training, ")
                .append(k.validationUnits()).append(" held out for validation\n");
        if (!c.styles().isEmpty()) {
            s.append("- styles: ").append(String.join(", ", c.styles())).append('\n');
        }
        if (!k.skipped().isEmpty()) {
            s.append("- files left out: ").append(k.skipped().size()).append('\n');
        }
        s.append("\n## Training\n");
        s.append("- ").append(c.step()).append(" of ").append(c.training().steps()).append(" steps, batch ")
                .append(c.training().batch()).append(", peak learning rate ").append(c.training().learningRate())
                .append(", seed ").append(c.training().seed()).append('\n');
        c.evaluation().forEach((key, v) -> s.append("- ").append(key).append(": ")
                .append(String.format(Locale.ROOT, "%.4f", v)).append('\n'));
        s.append("\n## Use\nThis model imitates the corpus above, and nothing else. It belongs with that corpus's author;"
                + " every work made from it carries a manifest naming this checkpoint.\n");
        s.append("\nSoftware: ").append(c.software()).append('\n');
        return s.toString();
    }
}
