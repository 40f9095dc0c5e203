package art.atelier.work;

import art.atelier.AtelierException;
import art.atelier.UsageException;
import art.atelier.util.AtomicFiles;
import art.atelier.util.Json;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Edition certificates: for a work sold or given in an edition of N, one signed document per copy,
 * saying which copy it is and of which exact bytes:
 * <pre>
 * {"kind": "atelier-edition-certificate", "format": 1, "work": "emoji-s7-1a2b3c4d",
 *  "work_sha256": "…", "title": "Morning", "number": 3, "of": 10, "issued": "2025-01-02T10:00:00Z",
 *  "artist_key": "ed25519:…", "signature": {…}}
 * </pre>
 * {@code work_sha256} is the work's content hash as its manifest records it (for a work with an
 * embedded manifest, the hash of the file without it), so a certificate holds for the work however
 * its manifest travels. The signature is made by {@link Signatures}; {@link Verifier} checks a
 * certificate file ({@value #SUFFIX}) and, given the work's file too, that the hash matches.
 */
public final class Certificates {

    /** The {@code kind} of every edition certificate. */
    public static final String KIND = "atelier-edition-certificate";

    /** The certificate format this build writes and reads. */
    public static final int FORMAT = 1;

    /** How a certificate's file name ends. */
    public static final String SUFFIX = ".certificate.json";

    /** The largest edition: beyond it a count is more likely a typing slip than an edition. */
    public static final int MAX_EDITION = 100_000;

    private static final Pattern WORK_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private Certificates() {}

    /**
     * Issues an edition: certificates numbered 1 to {@code n}, each signed.
     *
     * @param workId the work's id
     * @param sha256 the work's content hash, lowercase hex, as its manifest records it
     * @param title the work's title for the edition, not blank
     * @param n how many copies, 1 to {@value #MAX_EDITION}
     * @param issued when, written as ISO-8601 in UTC
     * @param key the artist's signing key (its id becomes {@code artist_key})
     * @return the {@code n} certificates, in order
     * @throws UsageException if an argument is out of range, naming it
     */
    public static List<JsonObject> issue(String workId, String sha256, String title, int n, Instant issued,
            SigningKey key) {
        Objects.requireNonNull(key, "key");
        if (workId == null || !WORK_ID.matcher(workId).matches()) {
            throw new UsageException("the work id '" + workId + "' is not a work id (letters, digits, '.', '_', '-')");
        }
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new UsageException("the work's hash '" + sha256 + "' is not a SHA-256 (64 lowercase hex digits)");
        }
        if (title == null || title.isBlank()) {
            throw new UsageException("an edition needs a title");
        }
        if (n < 1 || n > MAX_EDITION) {
            throw new UsageException("an edition has 1 to " + MAX_EDITION + " copies, not " + n);
        }
        Objects.requireNonNull(issued, "issued");
        List<JsonObject> out = new ArrayList<>(n);
        for (int k = 1; k <= n; k++) {
            JsonObject c = new JsonObject();
            c.addProperty("kind", KIND);
            c.addProperty("format", FORMAT);
            c.addProperty("work", workId);
            c.addProperty("work_sha256", sha256);
            c.addProperty("title", title);
            c.addProperty("number", k);
            c.addProperty("of", n);
            c.addProperty("issued", issued.toString());
            c.addProperty("artist_key", key.id());
            out.add(Signatures.sign(c, key));
        }
        return out;
    }

    /**
     * @param certificate an edition certificate
     * @return its file name: {@code WORK-K-of-N.certificate.json}
     * @throws AtelierException if it is not a well-formed certificate
     */
    public static String fileName(JsonObject certificate) {
        String problem = problem(certificate);
        if (problem != null) {
            throw new AtelierException("not an edition certificate: " + problem);
        }
        return certificate.get("work").getAsString() + "-" + certificate.get("number").getAsInt() + "-of-"
                + certificate.get("of").getAsInt() + SUFFIX;
    }

    /**
     * Writes certificates into a folder, each atomically, pretty-printed, under {@link #fileName}.
     *
     * @param dir the folder (made if missing)
     * @param certificates the certificates
     * @return the files written, in order
     * @throws AtelierException if one is not well formed or cannot be written (naming the file)
     */
    public static List<Path> save(Path dir, List<JsonObject> certificates) {
        List<Path> out = new ArrayList<>(certificates.size());
        for (JsonObject c : certificates) {
            Path file = dir.resolve(fileName(c));
            try {
                AtomicFiles.writeString(file, Json.write(c) + "\n");
            } catch (IOException e) {
                throw new AtelierException("cannot write the certificate " + file + ": " + e.getMessage(), e);
            }
            out.add(file);
        }
        return out;
    }

    /**
     * @param c a JSON object
     * @return null if it is a well-formed edition certificate of this format (signature aside), else
     *     what is wrong with it, as one phrase
     */
    static String problem(JsonObject c) {
        if (!KIND.equals(string(c, "kind"))) {
            return "its \"kind\" is " + CanonicalJson.describe(c.get("kind")) + ", not \"" + KIND + "\"";
        }
        Long format = integer(c, "format");
        if (format == null) {
            return "it has no integer \"format\"";
        }
        if (format != FORMAT) {
            return "it is of format " + format + (format > FORMAT ? ", newer than this build reads (" + FORMAT
                    + ")" : ", which does not exist");
        }
        String work = string(c, "work");
        if (work == null || !WORK_ID.matcher(work).matches()) {
            return "its \"work\" is " + CanonicalJson.describe(c.get("work")) + ", not a work id";
        }
        String sha = string(c, "work_sha256");
        if (sha == null || !SHA256.matcher(sha).matches()) {
            return "its \"work_sha256\" is " + CanonicalJson.describe(c.get("work_sha256"))
                    + ", not a SHA-256 in lowercase hex";
        }
        String title = string(c, "title");
        if (title == null || title.isBlank()) {
            return "it has no \"title\"";
        }
        Long number = integer(c, "number");
        Long of = integer(c, "of");
        if (number == null || of == null || number < 1 || number > of || of > MAX_EDITION) {
            return "its \"number\" " + literal(c.get("number")) + " and \"of\" " + literal(c.get("of"))
                    + " are not copy k of an edition of N (whole numbers, 1 <= k <= N <= " + MAX_EDITION + ")";
        }
        String issued = string(c, "issued");
        try {
            Instant.parse(issued == null ? "" : issued);
        } catch (DateTimeParseException e) {
            return "its \"issued\" is " + CanonicalJson.describe(c.get("issued")) + ", not an ISO-8601 time";
        }
        if (string(c, "artist_key") == null) {
            return "it has no \"artist_key\"";
        }
        return null;
    }

    private static String literal(JsonElement e) {
        return e == null ? "(absent)" : CanonicalJson.write(e);
    }

    private static String string(JsonObject o, String name) {
        JsonElement e = o.get(name);
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString() ? e.getAsString() : null;
    }

    private static Long integer(JsonObject o, String name) {
        JsonElement e = o.get(name);
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            return null;
        }
        try {
            return Long.parseLong(e.getAsNumber().toString());
        } catch (NumberFormatException x) {
            return null; // a fraction, an exponent or out of range
        }
    }
}
