package art.atelier.work;

import art.atelier.AtelierException;
import art.atelier.UsageException;
import art.atelier.catalog.Action;
import art.atelier.catalog.Certificate;
import art.atelier.catalog.Filter;
import art.atelier.catalog.StoredFile;
import art.atelier.catalog.Work;
import art.atelier.catalog.Gallery;
import art.atelier.util.AtomicFiles;
import art.atelier.util.Hashing;
import art.atelier.util.Json;

import com.google.gson.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the catalog commands show and do, for the CLI and the studio alike: a work's full record
 * ({@code show}), verification of a file ({@code verify}), numbered editions ({@code edition}) and
 * the static gallery ({@code export --html}).
 */
public final class Records {

    private Records() {}

    /**
     * @param studio the open workspace
     * @param w a catalogued work
     * @return everything known of it, in display order: identity, files, provenance, novelty, the
     *     artist's actions, its edition, and whether its file verifies
     */
    public static Map<String, Object> describe(Studio studio, Work w) {
        Manifest m = Works.manifest(w);
        Works.Saved saved = Works.saved(w, m);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", w.id());
        out.put("title", w.title());
        out.put("status", w.status());
        out.put("medium", w.medium());
        out.put("kind", w.kind());
        out.put("made", w.created());
        out.put("file", saved.file() == null ? null : saved.file().toString());
        out.put("manifest_file", saved.manifestFile() == null ? null : saved.manifestFile().toString());
        out.put("audio", saved.audio() == null ? null : saved.audio().toString());
        out.put("content_sha256", w.contentSha256());
        out.put("model", m.model());
        out.put("seed", m.seed());
        out.put("style", w.style());
        out.put("parents", m.parents());
        out.put("settings", m.settings());
        out.put("novelty", m.novelty() == null ? Map.of() : m.novelty());
        List<Map<String, Object>> actions = new ArrayList<>();
        for (Manifest.HumanAction a : m.actions()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("action", a.action());
            e.put("detail", a.detail());
            e.put("when", "in the making (signed in the manifest)");
            actions.add(e);
        }
        for (Action a : studio.catalog().actions(w.id())) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("action", a.action());
            e.put("detail", a.detail());
            e.put("when", a.time());
            actions.add(e);
        }
        out.put("actions", actions);
        studio.catalog().edition(w.id()).ifPresent(ed -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("of", ed.size());
            e.put("issued", ed.issued());
            out.put("edition", e);
        });
        out.put("software", m.software());
        out.put("signature", saved.file() == null ? "no file" : verify(studio, saved.file()).message());
        return out;
    }

    /**
     * What {@code atelier verify} says of one file.
     *
     * @param valid whether the file is what its signed manifest says
     * @param message one line: "valid: …" or exactly what is wrong
     */
    public record Verdict(boolean valid, String message) {}

    /**
     * Verifies a work's file (its embedded manifest, else the one beside it, else the catalog's copy
     * for a file of this workspace) or an edition certificate.
     *
     * @param studio the open workspace (its trusted keys and catalog)
     * @param file the file
     * @return the verdict
     */
    public static Verdict verify(Studio studio, Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UsageException("no file at " + file);
        }
        Verifier.Report r = Verifier.verify(file, studio.trusted());
        if (r.status() == Verifier.Status.NO_MANIFEST) {
            // a file of this catalog: found by its bytes, or (changed since) by the hash its store name gives
            Work w = studio.findByFile(file);
            Work owner = w != null ? w : studio.storedUnder(file);
            if (owner != null && "audio".equals(roleOf(owner, file))) {
                return audio(owner, file);
            }
            // a work whose manifest beside it went missing: written again from the catalog
            if (owner != null && studio.besideManifest(owner) != null) {
                r = Verifier.verify(file, studio.trusted());
            }
        }
        return new Verdict(r.status() == Verifier.Status.VALID, r.message());
    }

    /** A work's rendered audio: its signed manifest records the recording's hash. */
    private static Verdict audio(Work w, Path file) {
        Object recorded = Works.manifest(w).settings().get("audio_sha256");
        String actual;
        try {
            actual = Hashing.sha256(file);
        } catch (IOException e) {
            throw new AtelierException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (actual.equals(recorded)) {
            return new Verdict(true, file + " is valid: the audio of work " + w.id() + ", whose signed manifest"
                    + " records its SHA-256");
        }
        return new Verdict(false, file + " was changed: it is the audio of work " + w.id() + ", whose signed"
                + " manifest records the SHA-256 " + recorded + ", but its bytes hash to " + actual);
    }

    private static String roleOf(Work w, Path file) {
        Path abs = file.toAbsolutePath().normalize();
        for (StoredFile f : w.files()) {
            if (f.path().toAbsolutePath().normalize().equals(abs)) {
                return f.role();
            }
        }
        try {
            String sha = Hashing.sha256(file);
            for (StoredFile f : w.files()) {
                if (f.sha256().equals(sha)) {
                    return f.role();
                }
            }
        } catch (IOException e) {
            throw new AtelierException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return null;
    }

    /**
     * {@code atelier edition WORK --of N}: N numbered certificates, signed, written to
     * {@code editions/ID/} in the workspace and recorded in the catalog. A work is issued once.
     *
     * @param studio the open workspace
     * @param reference the work
     * @param of how many
     * @return the certificates' files, numbered 1 to N
     */
    public static List<Path> edition(Studio studio, String reference, int of) {
        if (of < 1 || of > 10_000) {
            throw new UsageException("--of must be from 1 to 10000, was " + of);
        }
        Work w = Works.entry(studio, reference);
        if ("rejected".equals(w.status())) {
            throw new UsageException("work " + w.id() + " was rejected; keep it first (atelier keep " + w.id() + ")");
        }
        if (w.title() == null) {
            throw new UsageException("work " + w.id() + " has no title, and a certificate names the work by it: give"
                    + " it one first (atelier title " + w.id() + " \"...\")");
        }
        if (studio.catalog().edition(w.id()).isPresent()) {
            throw new AtelierException("work " + w.id() + " was already issued as an edition of "
                    + studio.catalog().edition(w.id()).get().size() + "; an edition is issued once");
        }
        Instant issued = Instant.now();
        List<JsonObject> certificates = Certificates.issue(w.id(), w.contentSha256(), w.title(), of, issued,
                studio.key());
        List<Certificate> records = new ArrayList<>();
        for (int k = 0; k < certificates.size(); k++) {
            records.add(new Certificate(k + 1, Json.write(certificates.get(k))));
        }
        studio.catalog().issueEdition(w.id(), of, records); // refuses a second issue, atomically
        Path dir = studio.workspace().root().resolve("editions").resolve(w.id());
        List<Path> files = new ArrayList<>();
        for (Certificate c : records) {
            Path f = dir.resolve(w.id() + "-" + c.number() + "-of-" + of + ".certificate.json");
            try {
                AtomicFiles.writeString(f, c.json());
            } catch (IOException e) {
                throw new AtelierException("could not write " + f + " (the edition is recorded in the catalog;"
                        + " atelier show " + w.id() + " lists it): " + e.getMessage(), e);
            }
            files.add(f);
        }
        return files;
    }

    /**
     * {@code atelier edit WORK FILE}: the artist's own edit of a work (a text rewritten, a picture
     * retouched, a piece rearranged) kept as a new work whose parent is the original and whose manifest
     * says the artist edited it. It is scored against the corpus like any work, but never refused: the
     * edit is the artist's.
     *
     * @param studio the open workspace
     * @param reference the work edited
     * @param file the edited version, in the work's format (UTF-8 text, PNG, MIDI)
     * @return the new work
     */
    public static Works.Saved edit(Studio studio, String reference, Path file) {
        Work parent = Works.entry(studio, reference);
        Manifest pm = Works.manifest(parent);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UsageException("cannot read " + file + ": " + e.getMessage());
        }
        String extension;
        java.util.function.Function<art.atelier.novelty.Gate, art.atelier.novelty.Gate.Verdict> score;
        String id = pm.id() + "-e" + Hashing.sha256(bytes).substring(0, 8);
        switch (parent.medium()) {
            case "text" -> {
                String text = art.atelier.corpus.TextCorpus.readUtf8(file); // names the file and the offset if not UTF-8
                extension = "txt";
                score = g -> g.text(id, text);
            }
            case "image" -> {
                Embedding.Format f = Embedding.detect(bytes, file.toString());
                if (f != Embedding.Format.PNG) {
                    throw new UsageException(file + " is not a PNG file; an edited picture is kept as a PNG");
                }
                bytes = f.extract(bytes).content(); // an earlier manifest inside is not the edit's
                art.atelier.image.Picture p;
                try {
                    p = art.atelier.image.PngCodec.decode(bytes, 4);
                } catch (IOException e) {
                    throw new UsageException(file + " cannot be read as a picture: " + e.getMessage());
                }
                extension = "png";
                score = g -> g.picture(id, p, List.of(parent.id()));
            }
            case "music" -> {
                if (Embedding.detect(bytes, file.toString()) != Embedding.Format.MIDI) {
                    throw new UsageException(file + " is not a MIDI file; an edited piece is kept as MIDI");
                }
                bytes = Embedding.Format.MIDI.extract(bytes).content();
                art.atelier.music.Piece piece;
                try {
                    piece = art.atelier.music.MidiReader.read(bytes).piece();
                } catch (art.atelier.music.MidiException e) {
                    throw new UsageException(file + " is not a MIDI file Atelier can read: " + e.getMessage());
                }
                extension = "mid";
                score = g -> g.music(id, piece);
            }
            default -> throw new UsageException("work " + parent.id() + " is of a medium that cannot be edited");
        }
        Map<String, Object> scores = Map.of();
        try {
            art.atelier.train.ModelCard card = studio.workspace().card(pm.model().name());
            scores = score.apply(new art.atelier.novelty.Gate(studio, card, studio.workspace().model(card.name()), 0))
                    .scores();
        } catch (AtelierException e) {
            // the model is gone: the edit is kept unscored, and says why
            scores = Map.of("novelty_not_measured", "model '" + pm.model().name() + "' is not in the workspace");
        }
        Map<String, Object> settings = new java.util.LinkedHashMap<>();
        settings.put("kind", "edit");
        settings.put("edited_from", parent.id());
        settings.put("source", file.getFileName().toString());
        Manifest draft = Manifest.draft(id, parent.medium(), pm.model(), pm.seed(), settings, List.of(parent.id()),
                List.of(new Manifest.HumanAction("edited", "the artist's own edit of " + parent.id() + ", from "
                        + file.getFileName())));
        Works.Saved saved = studio.publish(new Studio.Draft("edit", extension, bytes, draft, parent.style(),
                art.atelier.novelty.Gate.unchecked("the artist's own edit of " + parent.id(), scores), null));
        studio.act(parent.id(), "edited", "edited by the artist as " + saved.id());
        return saved;
    }

    /**
     * {@code atelier export --html DIR}: the catalog's works as a static page.
     *
     * @param studio the open workspace
     * @param dir the folder
     * @param filter which works
     * @return the page
     */
    public static Path export(Studio studio, Path dir, Filter filter) {
        List<Gallery.Entry> entries = new ArrayList<>();
        for (Work w : studio.catalog().list(filter)) {
            Manifest m = Works.manifest(w);
            Works.Saved saved = Works.saved(w, m);
            String text = null;
            if ("text".equals(w.medium()) && saved.file() != null) {
                try {
                    text = Files.readString(saved.file(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new AtelierException("cannot read " + saved.file() + ": " + e.getMessage(), e);
                }
            }
            List<String> actions = new ArrayList<>();
            for (Manifest.HumanAction a : m.actions()) {
                actions.add(a.action() + (a.detail() == null ? "" : ": " + a.detail()));
            }
            for (Action a : studio.catalog().actions(w.id())) {
                actions.add(a.time() + " " + a.action() + (a.detail() == null ? "" : ": " + a.detail()));
            }
            entries.add(new Gallery.Entry(w.id(), w.medium(), w.kind(), w.title(), w.status(), w.created(),
                    m.model().name() + " (" + m.model().family() + ", step " + m.model().step() + ")",
                    w.novelty(), m.novelty() == null ? Map.of() : m.novelty(), saved.file(), saved.audio(), text,
                    w.manifestJson(), verify(studio, saved.file()).message().replace(saved.file().toString(),
                            saved.file().getFileName().toString()), actions));
        }
        return Gallery.export(dir, "Atelier catalog — " + studio.workspace().root().getFileName(), entries);
    }
}
