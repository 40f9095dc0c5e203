package art.atelier.work;

import art.atelier.AtelierException;
import art.atelier.util.AtomicFiles;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The public keys whose signatures a workspace accepts: its own, and those of the studios an artist
 * chose to trust, each a {@code .pub} file in {@code ROOT/keys/trusted/} (the other studio's
 * {@code keys/atelier-ed25519.pub}, under any name). Keys are matched by their full X.509 bytes, not
 * only their id. Immutable.
 */
public final class TrustedKeys {

    /** The sub-folder of {@code ROOT/keys} that holds other studios' public keys. */
    public static final String DIRECTORY = "trusted";

    private final Map<String, byte[]> byId; // key id → X.509 SubjectPublicKeyInfo, sorted by id

    private TrustedKeys(Map<String, byte[]> byId) {
        this.byId = byId;
    }

    /**
     * @param root the workspace directory
     * @return where its trusted keys live: {@code ROOT/keys/trusted}
     */
    public static Path directory(Path root) {
        return SigningKey.directory(root).resolve(DIRECTORY);
    }

    /**
     * The keys a workspace trusts: its own key (if it has made one; none is made here) and every
     * {@code ROOT/keys/trusted/*.pub}. Other files in that folder are ignored.
     *
     * @param root the workspace directory
     * @return the keys
     * @throws AtelierException naming the file if a key file is damaged or unreadable
     */
    public static TrustedKeys load(Path root) {
        Map<String, byte[]> keys = new TreeMap<>();
        if (SigningKey.exists(root)) {
            byte[] own = SigningKey.load(root).publicKeyX509();
            keys.put(SigningKey.keyId(own), own);
        }
        Path dir = directory(root);
        if (Files.isDirectory(dir)) {
            List<Path> files = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.pub")) {
                for (Path p : ds) {
                    if (Files.isRegularFile(p)) {
                        files.add(p);
                    }
                }
            } catch (IOException e) {
                throw new AtelierException("cannot list the trusted keys in " + dir + ": " + e.getMessage(), e);
            }
            Collections.sort(files);
            for (Path p : files) {
                byte[] x509 = SigningKey.readPublicKeyFile(p);
                keys.put(SigningKey.keyId(x509), x509);
            }
        }
        return new TrustedKeys(keys);
    }

    /** @return a set that trusts no key: every valid signature is then by an unknown key */
    public static TrustedKeys none() {
        return new TrustedKeys(new TreeMap<>());
    }

    /**
     * @param keys signing keys whose public halves to trust
     * @return a set trusting exactly those
     */
    public static TrustedKeys of(SigningKey... keys) {
        Map<String, byte[]> m = new TreeMap<>();
        for (SigningKey k : keys) {
            m.put(k.id(), k.publicKeyX509());
        }
        return new TrustedKeys(m);
    }

    /**
     * @param x509 an Ed25519 public key's X.509 bytes
     * @return this set and that key
     * @throws AtelierException if the bytes are not such a key
     */
    public TrustedKeys with(byte[] x509) {
        SigningKey.decodePublic(x509, "the key to trust");
        Map<String, byte[]> m = new TreeMap<>(byId);
        m.put(SigningKey.keyId(x509), x509.clone());
        return new TrustedKeys(m);
    }

    /**
     * @param x509 a public key's X.509 bytes
     * @return whether exactly that key is trusted
     */
    public boolean trusts(byte[] x509) {
        byte[] known = byId.get(SigningKey.keyId(x509));
        return known != null && Arrays.equals(known, x509);
    }

    /** @return the ids of the trusted keys, sorted */
    public Set<String> ids() {
        return Collections.unmodifiableSet(byId.keySet());
    }

    /**
     * Trusts another studio's key from now on: copies its public key file, once checked, to
     * {@code ROOT/keys/trusted/ed25519-HEX.pub} (named by its key id; trusting it again rewrites the
     * same file).
     *
     * @param root the workspace directory
     * @param publicKeyFile the other studio's {@code atelier-ed25519.pub}
     * @return the file written
     * @throws AtelierException naming the file if it is not an Ed25519 public key, or on a write error
     */
    public static Path trust(Path root, Path publicKeyFile) {
        byte[] x509 = SigningKey.readPublicKeyFile(publicKeyFile);
        Path target = directory(root).resolve(SigningKey.keyId(x509).replace(':', '-') + ".pub");
        try {
            AtomicFiles.writeString(target, Base64.getEncoder().encodeToString(x509) + "\n");
        } catch (IOException e) {
            throw new AtelierException("cannot write the trusted key " + target + ": " + e.getMessage(), e);
        }
        return target;
    }

    @Override
    public String toString() {
        return "TrustedKeys" + byId.keySet();
    }
}
