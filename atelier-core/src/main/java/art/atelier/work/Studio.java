package art.atelier.work;

import art.atelier.AtelierException;
import art.atelier.UsageException;
import art.atelier.Workspace;
import art.atelier.catalog.Catalog;
import art.atelier.catalog.Action;
import art.atelier.catalog.CorpusEntry;
import art.atelier.catalog.ModelEntry;
import art.atelier.catalog.NewFile;
import art.atelier.catalog.RunEntry;
import art.atelier.catalog.NewWork;
import art.atelier.catalog.StoredFile;
import art.atelier.catalog.Work;
import art.atelier.novelty.Gate;
import art.atelier.train.Checkpoint;
import art.atelier.train.ModelCard;
import art.atelier.train.TrainingResult;
import art.atelier.util.AtomicFiles;
import art.atelier.util.Hashing;
import art.atelier.util.Json;

import com.google.gson.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The workspace opened for making and keeping works: its catalog, its signing key, and the novelty
 * policy of this session. Every generation goes through one: each candidate work is scored
 * ({@link #gate}), refused if it is a near-copy, else signed, embedded or put beside its file, stored
 * by content hash and catalogued ({@link #publish}). Close it to close the catalog.
 */
public final class Studio implements AutoCloseable {

    private final Workspace workspace;
    private final Catalog catalog;
    private final SigningKey key;
    private final Double minNovelty; // null: each medium's default
    private final List<String> refusals = new ArrayList<>();

    private Studio(Workspace workspace, Double minNovelty) {
        if (minNovelty != null && !(minNovelty >= 0 && minNovelty <= 1)) {
            throw new UsageException("--min-novelty must be from 0 to 1, was " + minNovelty);
        }
        this.workspace = workspace;
        this.key = SigningKey.loadOrCreate(workspace.root());
        this.catalog = Catalog.open(workspace.root());
        this.minNovelty = minNovelty;
    }

    /**
     * @param workspace the workspace
     * @return it, opened with each medium's default novelty threshold
     */
    public static Studio open(Workspace workspace) {
        return new Studio(workspace, null);
    }

    /**
     * @param workspace the workspace
     * @param minNovelty the lowest novelty a new work may have (0 accepts everything), or null for each
     *     medium's default ({@link Gate#defaultMinNovelty})
     * @return it, opened
     */
    public static Studio open(Workspace workspace, Double minNovelty) {
        return new Studio(workspace, minNovelty);
    }

    /** @return the workspace */
    public Workspace workspace() {
        return workspace;
    }

    /** @return the catalog */
    public Catalog catalog() {
        return catalog;
    }

    /** @return the workspace's signing key */
    public SigningKey key() {
        return key;
    }

    /** @return the keys whose signatures this workspace accepts: its own and those in keys/trusted/ */
    public TrustedKeys trusted() {
        return TrustedKeys.load(workspace.root());
    }

    /**
     * @param medium a medium
     * @return the novelty a new work of that medium must reach in this session
     */
    public double minNovelty(String medium) {
        return minNovelty != null ? minNovelty : Gate.defaultMinNovelty(medium);
    }

    /**
     * @param card the model that makes the works
     * @return its novelty gate, with this session's threshold
     */
    public Gate gate(ModelCard card) {
        return new Gate(this, card, workspace.model(card.name()), minNovelty(card.medium()));
    }

    /**
     * Notes a refused candidate (the generation then samples again).
     *
     * @param what which candidate and why, one line
     */
    public void refused(String what) {
        refusals.add(what);
    }

    /** @return the candidates refused in this session, one line each */
    public List<String> refusals() {
        return List.copyOf(refusals);
    }

    /**
     * A work ready to be kept: its content and its provenance so far.
     *
     * @param kind picture, grid, animation, text, piece…
     * @param extension its file's extension, without the dot
     * @param content its bytes, without any manifest
     * @param manifest its manifest (a {@link Manifest#draft})
     * @param style its style, or null
     * @param verdict what the novelty gate said
     * @param audio rendered audio to keep with it (a WAV), or null
     */
    public record Draft(String kind, String extension, byte[] content, Manifest manifest, String style,
            Gate.Verdict verdict, byte[] audio) {}

    /**
     * Signs the draft's manifest, embeds it in the file where the format allows (else keeps it
     * beside), stores the files by content hash and catalogues the work. A work already in the
     * catalog (the same model, seed and content made again, the id says so) is not stored twice: the
     * catalogued one is returned, its record as first made.
     *
     * @param d the draft
     * @return the work as kept
     */
    public Works.Saved publish(Draft d) {
        Optional<Work> made = catalog.find(d.manifest().id()).filter(w -> w.id().equals(d.manifest().id()));
        if (made.isPresent()) { // made again (same model, seed and content): the first making's record stands
            besideManifest(made.get());
            return Works.saved(made.get(), Works.manifest(made.get()));
        }
        String sha = Hashing.sha256(d.content());
        Embedding.Format format = Embedding.detect(d.content(), "work." + d.extension());
        // an embedded manifest names the file by the work's id; one kept beside names the stored file
        String fileName = format.embeddable() ? d.manifest().id() + "." + d.extension() : sha + "." + d.extension();
        Manifest m = d.manifest().completed(fileName, sha, d.verdict().scores());
        JsonObject signed = Signatures.sign(Json.tree(m).getAsJsonObject(), key);
        String json = Json.write(signed);
        List<NewFile> files = new ArrayList<>();
        files.add(new NewFile("work", d.extension(), format.embeddable()
                ? format.embed(d.content(), Json.compact(signed)) : d.content()));
        if (d.audio() != null) {
            files.add(new NewFile("audio", "wav", d.audio()));
        }
        String now = Instant.now().toString();
        Manifest.ModelRef model = m.model();
        Work w = catalog.add(new NewWork(m.id(), m.medium(), d.kind(), model.name(), model.family(),
                model.checkpoint(), model.corpusFingerprint(), m.seed(), d.style(), m.parents(),
                d.verdict().novelty(), d.verdict().nearHash(), sha, json, now, files));
        if (catalog.actions(w.id()).isEmpty()) {
            record(w, "made", "by model " + model.name() + " (" + model.family() + ", step " + model.step() + ")", now);
        }
        besideManifest(w);
        return Works.saved(w, w.manifestJson().equals(json) ? m : Works.manifest(w));
    }

    /**
     * Writes the manifest of a work whose format cannot carry it beside its stored file (text, say),
     * from the catalog's copy, if it is not there already. The catalog is the record: this file is its
     * copy for whoever takes the work's file elsewhere, so a crash between the two only leaves it to be
     * written again here.
     *
     * @param w a catalogued work
     * @return the manifest's file, or null for a work whose file carries its manifest
     */
    public Path besideManifest(Work w) {
        Path file = w.file("work").map(StoredFile::path).orElse(null);
        if (file == null || Embedding.carriesManifest(file.getFileName().toString())) {
            return null;
        }
        Path beside = Embedding.beside(file);
        if (!Files.isRegularFile(beside)) {
            try {
                AtomicFiles.writeString(beside, w.manifestJson());
            } catch (java.io.IOException e) {
                throw new AtelierException("could not write the manifest " + beside + ": " + e.getMessage(), e);
            }
        }
        return beside;
    }

    /**
     * Records something the artist did to a work: kept, rejected, titled… Each action is signed.
     *
     * @param reference the work's id, a unique prefix of it, or its file
     * @param action "kept", "rejected", "titled" or "edited"
     * @param detail what exactly (the title, say), or null
     * @return the work
     */
    public Work act(String reference, String action, String detail) {
        Work w = Works.entry(this, reference);
        record(w, action, detail, Instant.now().toString());
        return catalog.find(w.id()).orElseThrow();
    }

    private void record(Work w, String action, String detail, String time) {
        JsonObject statement = new JsonObject();
        statement.addProperty("kind", "atelier-action");
        statement.addProperty("work", w.id());
        statement.addProperty("work_sha256", w.contentSha256());
        statement.addProperty("action", action);
        statement.addProperty("detail", detail);
        statement.addProperty("time", time);
        JsonObject signed = Signatures.sign(statement, key);
        catalog.recordAction(w.id(), new Action(action, detail, time, Json.compact(signed.get("signature"))));
    }

    /**
     * The catalog's view of works by content: for verify, a file whose manifest is beside it or in the
     * catalog only.
     *
     * @param file a file
     * @return the catalogued work holding exactly these bytes, or null
     */
    public Work findByFile(Path file) {
        try {
            return catalog.findByFileHash(Hashing.sha256(Files.readAllBytes(file))).orElse(null);
        } catch (java.io.IOException e) {
            throw new AtelierException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param file a file in this workspace's store, changed or not
     * @return the work stored under that name (the hash its bytes had), or null
     */
    public Work storedUnder(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        String name = abs.getFileName().toString();
        int dot = name.indexOf('.');
        if (!abs.startsWith(catalog.store().toAbsolutePath().normalize()) || dot != 64) {
            return null;
        }
        return catalog.findByFileHash(name.substring(0, 64)).orElse(null);
    }

    /**
     * Records a finished (or stopped) training run in the catalog: the run, the checkpoint it left and
     * the corpus it learned from.
     *
     * @param workspace the workspace
     * @param name the model's name
     * @param started when the run started (ISO-8601)
     * @param result how it ended
     */
    public static void recordTraining(Workspace workspace, String name, String started, TrainingResult result) {
        ModelCard card = workspace.card(name);
        Path dir = workspace.model(name);
        String now = Instant.now().toString();
        String checkpoint;
        try {
            Path weights = dir.resolve(Checkpoint.WEIGHTS);
            Path generator = dir.resolve(art.atelier.image.ImageModel.GENERATOR);
            checkpoint = "sha256:" + Hashing.sha256(Files.isRegularFile(generator) ? generator : weights);
        } catch (java.io.IOException e) {
            throw new AtelierException("cannot read the checkpoint in " + dir + ": " + e.getMessage(), e);
        }
        String family = "image".equals(card.medium()) && "gan".equals(card.family()) ? card.preset() : card.family();
        String fingerprint = card.corpus().fingerprint();
        try (Catalog catalog = Catalog.open(workspace.root())) {
            catalog.recordCorpus(new CorpusEntry(fingerprint, card.medium(), card.corpus().path(), card.corpus().files(),
                    card.styles(), now));
            catalog.recordModel(new ModelEntry(name, checkpoint, card.medium(), family, fingerprint, card.step(),
                    Json.compact(card), now));
            catalog.recordRun(new RunEntry(name + "@" + started, name, card.medium(), family, fingerprint, started, now,
                    result.step(), result.stopped() ? "stopped" : "finished", Json.compact(result.lastEvaluation())));
        }
    }

    @Override
    public void close() {
        catalog.close();
    }
}
