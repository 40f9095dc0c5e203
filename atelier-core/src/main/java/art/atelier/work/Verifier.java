package art.atelier.work;

import art.atelier.AtelierException;
import art.atelier.UsageException;
import art.atelier.util.Hashing;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Says whether a work's file, or an edition certificate, is what its signed manifest says it is —
 * and if not, exactly what is wrong, in one line. Pure: a file and the trusted keys in, a
 * {@link Report} out; nothing is written.
 *
 * <p>A work's manifest is the one embedded in its file ({@link Embedding}) and/or the one beside it
 * ({@link Embedding#beside}). When both exist they must agree: every member of the embedded one
 * (its signature aside) is in the one beside with the same value; the one beside may add members,
 * as the {@code created} time that {@link Manifest#embedded} leaves out, or the {@code file} and
 * {@code sha256} that works made before signing existed record only beside. The checks run in this
 * order, and the first that fails decides:
 * <ol>
 *   <li>MALFORMED: the file is truncated or not the format its name says, a manifest is not JSON or
 *       records no hash, a signature cannot be checked;</li>
 *   <li>NO_MANIFEST: neither an embedded manifest nor one beside;</li>
 *   <li>MANIFEST_CHANGED: a signature does not match its manifest, or the two manifests disagree;</li>
 *   <li>BYTES_CHANGED: the SHA-256 of the content (the file without its embedded manifest) is not
 *       the manifest's {@code sha256}; for the music's WAV, which shares its MIDI file's manifest, the
 *       {@code settings.audio_sha256} of the manifest whose {@code settings.audio} names it. The hash
 *       of the whole file is accepted too: works made before signing existed recorded that;</li>
 *   <li>UNKNOWN_KEY: sound, but signed by a key that is not trusted (the report gives its id);</li>
 *   <li>UNSIGNED: sound as far as can be told, but a manifest has no signature, so anyone could have
 *       written it (works made before signing existed);</li>
 *   <li>VALID.</li>
 * </ol>
 */
public final class Verifier {

    /** What verification found. */
    public enum Status {
        /** The work (or certificate) is what its trusted signature says. */
        VALID,
        /** The content's hash is not the one the manifest (or certificate) records. */
        BYTES_CHANGED,
        /** A signature does not match its document, or the embedded and beside manifests disagree. */
        MANIFEST_CHANGED,
        /** Signed, intact, but by a key that is not trusted. */
        UNKNOWN_KEY,
        /** A manifest (or certificate) carries no signature. */
        UNSIGNED,
        /** The file carries no manifest and has none beside it. */
        NO_MANIFEST,
        /** The file, a manifest or a signature cannot be read as what it should be. */
        MALFORMED
    }

    /** What was verified. */
    public enum Kind {
        /** A work's file. */
        WORK,
        /** An edition certificate. */
        CERTIFICATE
    }

    /**
     * The outcome.
     *
     * @param status what was found
     * @param kind a work or a certificate
     * @param file the file verified (for a certificate: the certificate file)
     * @param message one line saying what is wrong, or what was verified
     * @param workId the work's id, as its manifest or certificate records it (null if unreadable)
     * @param model the name of the model that made the work (null for certificates or if unknown)
     * @param medium the work's medium (null for certificates or if unknown)
     * @param keyId the id of the key that signed (null if unsigned or unreadable)
     * @param document the manifest or certificate that was checked (the embedded one if there are two);
     *     null if none could be read
     */
    public record Report(Status status, Kind kind, Path file, String message, String workId, String model,
            String medium, String keyId, JsonObject document) {

        /** @return whether the status is VALID */
        public boolean valid() {
            return status == Status.VALID;
        }
    }

    private Verifier() {}

    /**
     * @param file a file's path
     * @return whether it is named as an edition certificate ({@value Certificates#SUFFIX})
     */
    public static boolean isCertificate(Path file) {
        return file.getFileName().toString().endsWith(Certificates.SUFFIX);
    }

    /**
     * Verifies a work's file, a work's manifest (the work it names beside it is verified), or an edition
     * certificate (its signature only; see {@link #verifyCertificate}).
     *
     * @param file the file
     * @param trusted the keys to accept
     * @return the report
     * @throws UsageException if the file does not exist, or is a JSON file that is neither a manifest
     *     with its work beside it nor a certificate
     * @throws AtelierException if a file cannot be read
     */
    public static Report verify(Path file, TrustedKeys trusted) {
        Objects.requireNonNull(trusted, "trusted");
        if (isCertificate(file)) {
            return verifyCertificate(file, null, trusted);
        }
        if (file.getFileName().toString().endsWith(".json")) {
            byte[] raw = bytes(file);
            JsonObject doc;
            try {
                doc = CanonicalJson.parseObject(utf8(raw, file), file.toString());
            } catch (AtelierException e) {
                return report(Status.MALFORMED, Kind.WORK, file, e.getMessage(), null);
            }
            if (Certificates.KIND.equals(string(doc, "kind"))) {
                return verifyCertificate(file, null, trusted);
            }
            String work = string(doc, "file");
            Path workFile = work == null || work.isEmpty() || work.contains("/") || work.contains("\\") ? null
                    : file.resolveSibling(work);
            if (workFile == null || !Files.isRegularFile(workFile) || !Embedding.beside(workFile).equals(file)) {
                throw new UsageException(file + " is neither an edition certificate nor the manifest of a work"
                        + " beside it" + (work == null ? "" : " (it names '" + work + "')")
                        + ": give the work's own file");
            }
            return verifyWork(workFile, trusted);
        }
        return verifyWork(file, trusted);
    }

    /**
     * Verifies an edition certificate: its form, its signature, and — when the work's file is given —
     * that the work's content hash is the one it certifies. (The work's own manifest is
     * {@link #verify}'s business.)
     *
     * @param certificate the certificate file
     * @param work the work's file, or null
     * @param trusted the keys to accept
     * @return the report
     * @throws UsageException if a file does not exist
     * @throws AtelierException if a file cannot be read
     */
    public static Report verifyCertificate(Path certificate, Path work, TrustedKeys trusted) {
        Objects.requireNonNull(trusted, "trusted");
        byte[] raw = bytes(certificate);
        JsonObject c;
        try {
            c = CanonicalJson.parseObject(utf8(raw, certificate), "the certificate " + certificate);
        } catch (AtelierException e) {
            return report(Status.MALFORMED, Kind.CERTIFICATE, certificate, e.getMessage(), null);
        }
        String problem = Certificates.problem(c);
        if (problem != null) {
            return report(Status.MALFORMED, Kind.CERTIFICATE, certificate, "the certificate " + certificate
                    + " is malformed: " + problem, c);
        }
        String workId = c.get("work").getAsString();
        String edition = c.get("number").getAsLong() + " of " + c.get("of").getAsLong() + " of '"
                + c.get("title").getAsString() + "' (work " + workId + ")";
        Signatures.Result sig = Signatures.verify(c, trusted);
        String keyId = sig.keyId();
        switch (sig.status()) {
            case MALFORMED -> {
                return new Report(Status.MALFORMED, Kind.CERTIFICATE, certificate, "the certificate " + certificate
                        + " is malformed: " + sig.message(), workId, null, null, keyId, c);
            }
            case MANIFEST_CHANGED -> {
                return new Report(Status.MANIFEST_CHANGED, Kind.CERTIFICATE, certificate, "the certificate "
                        + certificate + " was changed after signing: the signature by " + keyId
                        + " does not match its content", workId, null, null, keyId, c);
            }
            default -> { }
        }
        String artist = c.get("artist_key").getAsString();
        if (keyId != null && !keyId.equals(artist)) {
            return new Report(Status.MALFORMED, Kind.CERTIFICATE, certificate, "the certificate " + certificate
                    + " names the artist's key " + artist + " but is signed by " + keyId, workId, null, null, keyId, c);
        }
        if (work != null) {
            String recorded = c.get("work_sha256").getAsString();
            Embedding.Format format;
            Embedding.Extracted x;
            byte[] bytes = bytes(work);
            try {
                format = Embedding.detect(bytes, work.toString());
                x = format.extract(bytes);
            } catch (AtelierException e) {
                return new Report(Status.MALFORMED, Kind.CERTIFICATE, certificate, malformedFile(work, e), workId,
                        null, null, keyId, c);
            }
            String actual = Hashing.sha256(x.content());
            if (!actual.equals(recorded)) {
                return new Report(Status.BYTES_CHANGED, Kind.CERTIFICATE, certificate, work + " is not the "
                        + format.noun() + " the certificate " + certificate + " is for: its content hash is "
                        + actual + " but the certificate records " + recorded, workId, null, null, keyId, c);
            }
        }
        return switch (sig.status()) {
            case UNKNOWN_KEY -> new Report(Status.UNKNOWN_KEY, Kind.CERTIFICATE, certificate, "the certificate "
                    + certificate + " is intact but signed by " + keyId + ", a key this workspace does not trust"
                    + " (trusted: its own and keys/trusted/*.pub)", workId, null, null, keyId, c);
            case UNSIGNED -> new Report(Status.UNSIGNED, Kind.CERTIFICATE, certificate, "the certificate "
                    + certificate + " is not signed, so anyone could have written it", workId, null, null, null, c);
            default -> new Report(Status.VALID, Kind.CERTIFICATE, certificate, certificate
                    + " is a valid edition certificate: copy " + edition + ", signed by " + keyId
                    + (work == null ? "" : ", and " + work + " is that work"), workId, null, null, keyId, c);
        };
    }

    /** One manifest and where it was found. */
    private record Found(JsonObject manifest, String where, Signatures.Result signature) {}

    private static Report verifyWork(Path file, TrustedKeys trusted) {
        byte[] bytes = bytes(file);
        Embedding.Format format;
        Embedding.Extracted x;
        try {
            format = Embedding.detect(bytes, file.toString());
            x = format.extract(bytes);
        } catch (AtelierException e) {
            return report(Status.MALFORMED, Kind.WORK, file, malformedFile(file, e), null);
        }
        Path besideFile = Embedding.beside(file);
        boolean hasBeside = !besideFile.equals(file) && Files.isRegularFile(besideFile);
        if (x.manifest() == null && !hasBeside) {
            return report(Status.NO_MANIFEST, Kind.WORK, file, file + " has no Atelier manifest: "
                    + (format.embeddable() ? "none is embedded in it" : format.label() + " files carry none inside")
                    + " and there is no " + besideFile.getFileName() + " beside it", null);
        }
        Found embedded = null;
        Found beside = null;
        byte[] besideBytes = hasBeside ? bytes(besideFile) : null;
        try {
            if (x.manifest() != null) {
                String where = "the manifest embedded in " + file;
                JsonObject m = CanonicalJson.parseObject(x.manifest(), where);
                embedded = new Found(m, where, Signatures.verify(m, trusted));
            }
            if (hasBeside) {
                JsonObject m = CanonicalJson.parseObject(utf8(besideBytes, besideFile), "the manifest "
                        + besideFile);
                beside = new Found(m, "the manifest " + besideFile, Signatures.verify(m, trusted));
            }
        } catch (AtelierException e) {
            return report(Status.MALFORMED, Kind.WORK, file, e.getMessage(), embedded == null ? null
                    : embedded.manifest());
        }
        Found main = embedded != null ? embedded : beside;
        JsonObject m = main.manifest();
        String workId = null;
        String medium = null;
        String model = null;
        for (Found f : new Found[] {embedded, beside}) { // the embedded one first, the one beside to fill in
            if (f != null) {
                JsonObject o = f.manifest();
                workId = workId != null ? workId : string(o, "id");
                medium = medium != null ? medium : string(o, "medium");
                JsonElement me = o.get("model");
                model = model != null ? model : me != null && me.isJsonObject()
                        ? string(me.getAsJsonObject(), "name") : string(o, "model");
            }
        }
        String keyId = main.signature().keyId();
        for (Found f : new Found[] {embedded, beside}) {
            if (f != null && f.signature().status() == Signatures.Status.MALFORMED) {
                return new Report(Status.MALFORMED, Kind.WORK, file, f.where() + " is malformed: "
                        + f.signature().message(), workId, model, medium, f.signature().keyId(), m);
            }
        }
        for (Found f : new Found[] {embedded, beside}) {
            if (f != null && f.signature().status() == Signatures.Status.MANIFEST_CHANGED) {
                return new Report(Status.MANIFEST_CHANGED, Kind.WORK, file, f.where()
                        + " was changed after signing: the signature by " + f.signature().keyId()
                        + " does not match its content", workId, model, medium, f.signature().keyId(), m);
            }
        }
        if (embedded != null && beside != null) {
            String difference = difference(embedded.manifest(), beside.manifest());
            if (difference != null) {
                return new Report(Status.MANIFEST_CHANGED, Kind.WORK, file, "the manifest embedded in " + file
                        + " and " + besideFile.getFileName() + " beside it disagree: " + difference, workId, model,
                        medium, keyId, m);
            }
        }
        String name = file.getFileName().toString();
        String recorded = null;
        JsonObject records = null; // the manifest that records the hash
        for (Found f : new Found[] {embedded, beside}) {
            if (f != null && recorded == null) {
                records = f.manifest();
                recorded = recordedHash(records, name);
            }
        }
        if (recorded == null) {
            return new Report(Status.MALFORMED, Kind.WORK, file, main.where() + " records no \"sha256\" (the hash of"
                    + " the work's content)", workId, model, medium, keyId, m);
        }
        String actual = Hashing.sha256(x.content());
        if (!actual.equalsIgnoreCase(recorded) && !Hashing.sha256(bytes).equalsIgnoreCase(recorded)) {
            boolean signed = main.signature().status() != Signatures.Status.UNSIGNED;
            String describes = string(records, "file");
            // the hash compared was the manifest's main one, but that manifest is another file's
            boolean another = describes != null && !describes.equals(name)
                    && recorded.equals(string(records, "sha256"));
            return new Report(Status.BYTES_CHANGED, Kind.WORK, file, file + ": the " + format.noun()
                    + "'s bytes were changed after " + (signed ? "signing" : "its manifest was written")
                    + ": its content hash is " + actual + " but the manifest records "
                    + recorded.toLowerCase(Locale.ROOT) + (another ? " (for " + describes + ", the file that manifest describes)" : ""), workId, model,
                    medium, keyId, m);
        }
        for (Found f : new Found[] {embedded, beside}) {
            if (f != null && f.signature().status() == Signatures.Status.UNKNOWN_KEY) {
                return new Report(Status.UNKNOWN_KEY, Kind.WORK, file, file + " is intact but " + f.where()
                        + " is signed by " + f.signature().keyId() + ", a key this workspace does not trust"
                        + " (trusted: its own and keys/trusted/*.pub)", workId, model, medium,
                        f.signature().keyId(), m);
            }
        }
        for (Found f : new Found[] {embedded, beside}) {
            if (f != null && f.signature().status() == Signatures.Status.UNSIGNED) {
                return new Report(Status.UNSIGNED, Kind.WORK, file, file + " matches its manifest, but " + f.where()
                        + " is not signed, so anyone could have written it", workId, model, medium, keyId, m);
            }
        }
        return new Report(Status.VALID, Kind.WORK, file, file + " is valid: work " + workId + " ("
                + (medium == null ? format.noun() : medium) + (model == null ? "" : ", model '" + model + "'")
                + "), signed by " + keyId + (embedded != null && beside != null ? "; the manifests inside and beside"
                + " agree" : ""), workId, model, medium, keyId, m);
    }

    /**
     * @return the hash a manifest records for the file of this name: {@code settings.audio_sha256} if
     *     {@code settings.audio} names it, else {@code sha256}; null if it records none
     */
    private static String recordedHash(JsonObject m, String fileName) {
        JsonElement settings = m.get("settings");
        if (settings != null && settings.isJsonObject()
                && fileName.equals(string(settings.getAsJsonObject(), "audio"))) {
            String audio = string(settings.getAsJsonObject(), "audio_sha256");
            if (audio != null) {
                return audio;
            }
        }
        return string(m, "sha256");
    }

    /**
     * @return the first member (in key order) of the embedded manifest that the one beside does not
     *     have with the same value, said in words; null if there is none. Signatures are left out.
     */
    private static String difference(JsonObject embedded, JsonObject beside) {
        for (String k : new TreeSet<>(embedded.keySet())) {
            if (k.equals(Signatures.FIELD)) {
                continue;
            }
            // null members are absent members, as in the canonical form
            String va = present(embedded, k) ? CanonicalJson.write(embedded.get(k)) : null;
            String vb = present(beside, k) ? CanonicalJson.write(beside.get(k)) : null;
            if (va != null && !va.equals(vb)) {
                return "\"" + k + "\" is " + shown(va) + " in the one and " + shown(vb) + " in the other";
            }
        }
        return null;
    }

    private static boolean present(JsonObject o, String k) {
        return o.has(k) && !o.get(k).isJsonNull();
    }

    private static String shown(String canonical) {
        if (canonical == null) {
            return "absent";
        }
        return canonical.length() > 60 ? canonical.substring(0, 60) + "…" : canonical;
    }

    private static String malformedFile(Path file, AtelierException e) {
        String m = e.getMessage();
        return m.startsWith(file.toString()) ? m : file + " is malformed: " + m;
    }

    private static Report report(Status status, Kind kind, Path file, String message, JsonObject document) {
        return new Report(status, kind, file, message, null, null, null, null, document);
    }

    private static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new UsageException("there is no file " + file);
        } catch (IOException e) {
            throw new AtelierException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static String utf8(byte[] b, Path file) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new AtelierException(file + " is not UTF-8 text");
        }
    }

    private static String string(JsonObject o, String name) {
        JsonElement e = o.get(name);
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString() ? e.getAsString() : null;
    }
}
