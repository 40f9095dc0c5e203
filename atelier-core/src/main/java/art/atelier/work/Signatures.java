package art.atelier.work;

import art.atelier.AtelierException;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.Objects;

/**
 * Ed25519 signatures on JSON documents (manifests and edition certificates), carried in the document
 * itself as a {@value #FIELD} member:
 * <pre>
 * "signature": {"algorithm": "Ed25519", "key": "ed25519:0123456789abcdef",
 *               "public_key": "&lt;base64 X.509&gt;", "value": "&lt;base64, 64 bytes&gt;"}
 * </pre>
 * The signature covers the {@link CanonicalJson} bytes of the document without its {@value #FIELD}
 * member, so the document may be pretty-printed, re-read and re-written freely. The public key rides
 * along so that a document signed by a studio one does not trust yet can still be checked (and the
 * key then trusted knowingly); whether it is trusted is decided by {@link TrustedKeys}, on the full
 * key bytes. Ed25519 (RFC 8032) is deterministic: the same key and document give the same signature.
 */
public final class Signatures {

    /** The member that holds the signature. */
    public static final String FIELD = "signature";

    /** What a signature check finds. */
    public enum Status {
        /** Signed by a trusted key, and unchanged since. */
        VALID,
        /** The signature does not match: the document was changed after signing. */
        MANIFEST_CHANGED,
        /** The signature matches, but its key is not trusted. */
        UNKNOWN_KEY,
        /** There is no signature. */
        UNSIGNED,
        /** The signature member is not one that could be checked (missing parts, bad encodings). */
        MALFORMED
    }

    /**
     * @param status what the check found
     * @param keyId the id of the key that signed, as computed from its public key (null if unsigned or
     *     malformed)
     * @param message one line saying what is wrong, or what is right, about "the document" (callers
     *     name it)
     */
    public record Result(Status status, String keyId, String message) {
        /** @return whether the status is VALID */
        public boolean valid() {
            return status == Status.VALID;
        }
    }

    private Signatures() {}

    /**
     * @param document a JSON object, signed or not
     * @return the bytes its signature covers: its canonical JSON without its {@value #FIELD} member
     * @throws AtelierException as {@link CanonicalJson#bytes}
     */
    public static byte[] signedBytes(JsonObject document) {
        JsonObject copy = document.deepCopy();
        copy.remove(FIELD);
        return CanonicalJson.bytes(copy);
    }

    /**
     * @param document the manifest or certificate; any {@value #FIELD} it has is replaced
     * @param key the signing key
     * @return a copy of the document with its {@value #FIELD} member last
     * @throws AtelierException as {@link CanonicalJson#bytes} (a NaN in the document, say)
     */
    public static JsonObject sign(JsonObject document, SigningKey key) {
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(key, "key");
        JsonObject signed = document.deepCopy();
        signed.remove(FIELD);
        byte[] value = key.sign(CanonicalJson.bytes(signed));
        JsonObject sig = new JsonObject();
        sig.addProperty("algorithm", SigningKey.ALGORITHM);
        sig.addProperty("key", key.id());
        sig.addProperty("public_key", key.publicKeyBase64());
        sig.addProperty("value", Base64.getEncoder().encodeToString(value));
        signed.add(FIELD, sig);
        return signed;
    }

    /**
     * @param document a JSON object that may carry a {@value #FIELD}
     * @param trusted the keys to accept
     * @return what the check found; never throws for a bad signature member
     */
    public static Result verify(JsonObject document, TrustedKeys trusted) {
        Objects.requireNonNull(trusted, "trusted");
        JsonElement s = document.get(FIELD);
        if (s == null) {
            return new Result(Status.UNSIGNED, null, "it is not signed");
        }
        if (!s.isJsonObject()) {
            return malformed("its \"" + FIELD + "\" is " + CanonicalJson.describe(s) + ", not an object");
        }
        JsonObject sig = s.getAsJsonObject();
        String algorithm = string(sig, "algorithm");
        String claimedId = string(sig, "key");
        String publicKey = string(sig, "public_key");
        String value = string(sig, "value");
        if (algorithm == null || claimedId == null || publicKey == null || value == null) {
            return malformed("its signature lacks one of \"algorithm\", \"key\", \"public_key\", \"value\""
                    + " (each a string)");
        }
        if (!SigningKey.ALGORITHM.equals(algorithm)) {
            return malformed("its signature's algorithm is \"" + algorithm + "\"; only " + SigningKey.ALGORITHM
                    + " is accepted");
        }
        byte[] x509;
        byte[] signature;
        try {
            x509 = Base64.getDecoder().decode(publicKey);
            signature = Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            return malformed("its signature's public key or value is not base64 (" + e.getMessage() + ")");
        }
        PublicKey key;
        try {
            key = SigningKey.decodePublic(x509, "its signature's public key");
        } catch (AtelierException e) {
            return malformed(e.getMessage());
        }
        String id = SigningKey.keyId(x509);
        if (!id.equals(claimedId)) {
            return new Result(Status.MALFORMED, id, "its signature names the key " + claimedId
                    + " but carries the public key of " + id);
        }
        if (signature.length != 64) {
            return new Result(Status.MALFORMED, id, "its signature value is " + signature.length
                    + " bytes; an Ed25519 signature is 64");
        }
        byte[] covered;
        try {
            covered = signedBytes(document);
        } catch (AtelierException e) {
            return new Result(Status.MALFORMED, id, e.getMessage());
        }
        boolean matches;
        try {
            Signature v = Signature.getInstance(SigningKey.ALGORITHM);
            v.initVerify(key);
            v.update(covered);
            matches = v.verify(signature);
        } catch (GeneralSecurityException e) {
            // The JDK rejects some non-canonical encodings of the signature itself as errors rather than
            // returning false: either way it does not match.
            matches = false;
        }
        if (!matches) {
            return new Result(Status.MANIFEST_CHANGED, id, "it was changed after it was signed: the signature by "
                    + id + " does not match its content");
        }
        if (!trusted.trusts(x509)) {
            return new Result(Status.UNKNOWN_KEY, id, "it is signed by " + id + ", a key this workspace does not"
                    + " trust (trusted: its own key and keys/trusted/*.pub)");
        }
        return new Result(Status.VALID, id, "it is signed by " + id + " and unchanged since");
    }

    private static Result malformed(String message) {
        return new Result(Status.MALFORMED, null, message);
    }

    private static String string(JsonObject o, String name) {
        JsonElement e = o.get(name);
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString() ? e.getAsString() : null;
    }
}
