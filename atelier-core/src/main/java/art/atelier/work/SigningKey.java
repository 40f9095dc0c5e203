package art.atelier.work;

import art.atelier.AtelierException;
import art.atelier.util.Bytes;
import art.atelier.util.Hashing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The workspace's Ed25519 key pair (RFC 8032), which signs its manifests and edition certificates.
 *
 * <p>Files, in {@code ROOT/keys/}:
 * <ul>
 *   <li>{@value #PRIVATE_FILE}: the private key, PKCS#8 (RFC 5208, RFC 8410 §7) in PEM
 *       ({@code -----BEGIN PRIVATE KEY-----}, RFC 7468), as OpenSSL and the JDK write and read it; file
 *       mode 0600. The public key follows from it (RFC 8032 §5.1.5), so this file alone decides which
 *       key a workspace has. Version 2 ({@code OneAsymmetricKey}, RFC 5958), which carries the public key
 *       too, is also read, its public key checked against the private one.</li>
 *   <li>{@value #PUBLIC_FILE}: the public key, an X.509 {@code SubjectPublicKeyInfo} (RFC 8410 §4) in
 *       base64 on one line. It is what an artist gives a collaborator to put in their
 *       {@code keys/trusted/} (see {@link TrustedKeys}), and is rewritten from the private key file if
 *       missing.</li>
 * </ul>
 *
 * <p>The pair is made on first use. Two processes may start at once: each writes a complete private key
 * under a temporary name and then links it to the final name, which fails if the name is taken (a
 * hard link never replaces), so exactly one key wins and the loser reads the winner's. On a file
 * system without hard links a move without replacement is used instead, whose check-then-rename
 * leaves a window of microseconds.
 *
 * <p>A damaged key file is an error naming it, never silently replaced: a new key would leave every
 * work signed so far looking foreign.
 *
 * <p>Key id: {@code "ed25519:"} and the first 16 hex digits of the SHA-256 of the public key's X.509
 * bytes; 64 bits tell a handful of studios apart, and the full public key travels with every
 * signature anyway.
 */
public final class SigningKey {

    /** The algorithm, as the JDK and the signature's {@code algorithm} field name it. */
    public static final String ALGORITHM = "Ed25519";

    /** The private key's file name in {@code ROOT/keys/}. */
    public static final String PRIVATE_FILE = "atelier-ed25519.key";

    /** The public key's file name in {@code ROOT/keys/}. */
    public static final String PUBLIC_FILE = "atelier-ed25519.pub";

    /** X.509 SubjectPublicKeyInfo of an Ed25519 key (OID 1.3.101.112), before the key's 32 bytes. */
    private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    /** PKCS#8 version 1 (RFC 5208) of an Ed25519 key, before the private key's 32 bytes. */
    private static final byte[] PKCS8_V1_PREFIX = HexFormat.of().parseHex("302e020100300506032b657004220420");

    /** PKCS#8 version 2 (RFC 5958) of an Ed25519 key, before the private key's 32 bytes. */
    private static final byte[] PKCS8_V2_PREFIX = HexFormat.of().parseHex("3051020101300506032b657004220420");

    /** In version 2, after the private key: the public key, [1] IMPLICIT BIT STRING, before its 32 bytes. */
    private static final byte[] PKCS8_V2_PUBLIC = HexFormat.of().parseHex("812100");

    private static final int KEY_BYTES = 32;

    private static final String PEM_BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String PEM_END = "-----END PRIVATE KEY-----";

    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final byte[] publicX509; // the 44 bytes of SubjectPublicKeyInfo
    private final String id;

    private SigningKey(PrivateKey privateKey, PublicKey publicKey, byte[] publicX509) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.publicX509 = publicX509;
        this.id = keyId(publicX509);
    }

    /**
     * @param root the workspace directory
     * @return where its keys live: {@code ROOT/keys}
     */
    public static Path directory(Path root) {
        return root.resolve("keys");
    }

    /**
     * @param root the workspace directory
     * @return its private key file
     */
    public static Path privateFile(Path root) {
        return directory(root).resolve(PRIVATE_FILE);
    }

    /**
     * @param root the workspace directory
     * @return its public key file
     */
    public static Path publicFile(Path root) {
        return directory(root).resolve(PUBLIC_FILE);
    }

    /**
     * @param root the workspace directory
     * @return whether it has a key (a private key file; whether that is sound, {@link #load} tells)
     */
    public static boolean exists(Path root) {
        return Files.exists(privateFile(root));
    }

    /**
     * The workspace's key, made now if it has none. Safe when several processes or threads call it on
     * one workspace at once: all get the same key.
     *
     * @param root the workspace directory
     * @return its key
     * @throws AtelierException if a key file is damaged or the key directory cannot be written (the
     *     message names the file)
     */
    public static SigningKey loadOrCreate(Path root) {
        Path file = privateFile(root);
        if (!Files.exists(file)) {
            create(file);
        }
        return load(root);
    }

    /**
     * The workspace's existing key; its public key file is written if missing.
     *
     * @param root the workspace directory
     * @return its key
     * @throws AtelierException if there is no key, or a key file is damaged or does not match the other
     */
    public static SigningKey load(Path root) {
        Path file = privateFile(root);
        if (!Files.exists(file)) {
            throw new AtelierException("the workspace " + root + " has no signing key: " + file
                    + " does not exist (it is made when the first work is signed)");
        }
        byte[] der = readPem(file);
        byte[] seed;
        byte[] claimed = null; // the public key a version-2 file carries
        if (der.length == PKCS8_V2_PREFIX.length + KEY_BYTES + PKCS8_V2_PUBLIC.length + KEY_BYTES
                && startsWith(der, PKCS8_V2_PREFIX, 0)
                && startsWith(der, PKCS8_V2_PUBLIC, PKCS8_V2_PREFIX.length + KEY_BYTES)) {
            seed = Arrays.copyOfRange(der, PKCS8_V2_PREFIX.length, PKCS8_V2_PREFIX.length + KEY_BYTES);
            claimed = x509(Arrays.copyOfRange(der, der.length - KEY_BYTES, der.length));
        } else if (der.length == PKCS8_V1_PREFIX.length + KEY_BYTES && startsWith(der, PKCS8_V1_PREFIX, 0)) {
            seed = Arrays.copyOfRange(der, PKCS8_V1_PREFIX.length, der.length);
        } else {
            throw damaged(file, "it holds " + der.length + " bytes of DER that are not an Ed25519 private key"
                    + " (PKCS#8, RFC 8410)");
        }
        KeyPair pair;
        try {
            pair = pairFromSeed(seed);
        } catch (GeneralSecurityException e) {
            throw damaged(file, "the JDK cannot read its private key: " + e.getMessage());
        }
        byte[] x509 = pair.getPublic().getEncoded();
        if (claimed != null && !Arrays.equals(claimed, x509)) {
            throw damaged(file, "the public key it carries is not its private key's");
        }
        SigningKey key = new SigningKey(pair.getPrivate(), pair.getPublic(), x509);
        key.publish(publicFile(root));
        return key;
    }

    /**
     * The key pair of a private key (its 32-byte seed): the JDK's own generator, handed the seed as
     * its random bytes, derives the public key as RFC 8032 §5.1.5 says. That the generator took the
     * seed as the private key unchanged is checked.
     */
    private static KeyPair pairFromSeed(byte[] seed) throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance(ALGORITHM);
        g.initialize(NamedParameterSpec.ED25519, new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                if (bytes.length != seed.length) {
                    throw new IllegalStateException("the JDK's Ed25519 generator asked for " + bytes.length
                            + " random bytes, not " + seed.length);
                }
                System.arraycopy(seed, 0, bytes, 0, seed.length);
            }
        });
        KeyPair pair = g.generateKeyPair();
        byte[] got = ((EdECPrivateKey) pair.getPrivate()).getBytes().orElse(null);
        if (!Arrays.equals(got, seed)) {
            throw new IllegalStateException("the JDK's Ed25519 generator did not take the seed as the private key");
        }
        return pair;
    }

    /** @return the key id, "ed25519:" and 16 hex digits */
    public String id() {
        return id;
    }

    /** @return the public key */
    public PublicKey publicKey() {
        return publicKey;
    }

    /** @return the public key's X.509 SubjectPublicKeyInfo bytes (a copy) */
    public byte[] publicKeyX509() {
        return publicX509.clone();
    }

    /** @return the public key's X.509 bytes in base64, as in the {@code .pub} file and in signatures */
    public String publicKeyBase64() {
        return Base64.getEncoder().encodeToString(publicX509);
    }

    /**
     * @param message any bytes
     * @return their Ed25519 signature, 64 bytes; the same key and message always give the same bytes
     */
    public byte[] sign(byte[] message) {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initSign(privateKey);
            s.update(message);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot sign with Ed25519: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "SigningKey[" + id + "]";
    }

    /**
     * @param x509 an Ed25519 public key's X.509 SubjectPublicKeyInfo bytes
     * @return its key id: "ed25519:" and the first 16 hex digits of their SHA-256
     */
    public static String keyId(byte[] x509) {
        return "ed25519:" + Hashing.sha256(x509).substring(0, 16);
    }

    /**
     * Reads a public key file: the X.509 SubjectPublicKeyInfo of an Ed25519 key in base64, on one line
     * or several, with or without PEM's {@code -----BEGIN PUBLIC KEY-----} lines around it.
     *
     * @param file the file
     * @return the key's X.509 bytes, as {@link PublicKey#getEncoded} gives them
     * @throws AtelierException naming the file if it cannot be read or is not such a key
     */
    public static byte[] readPublicKeyFile(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new AtelierException(file + " is not a public key file: it is not ASCII text");
        } catch (IOException e) {
            throw new AtelierException("cannot read the public key " + file + ": " + e.getMessage(), e);
        }
        String body = text.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "")
                .replaceAll("\\s+", "");
        byte[] x509;
        try {
            x509 = Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new AtelierException(file + " is not a public key file: its text is not base64 ("
                    + e.getMessage() + ")");
        }
        decodePublic(x509, file.toString());
        return x509;
    }

    /**
     * @param x509 bytes that should be an Ed25519 public key's X.509 SubjectPublicKeyInfo
     * @param source where they come from, for the error message
     * @return the key
     * @throws AtelierException naming {@code source} if they are not exactly that
     */
    static PublicKey decodePublic(byte[] x509, String source) {
        if (x509.length != X509_PREFIX.length + KEY_BYTES || !startsWith(x509, X509_PREFIX, 0)) {
            throw new AtelierException(source + " does not hold an Ed25519 public key (X.509, RFC 8410): "
                    + x509.length + " bytes of another form");
        }
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(x509));
        } catch (GeneralSecurityException e) {
            throw new AtelierException(source + " does not hold a usable Ed25519 public key: " + e.getMessage());
        }
    }

    private static void create(Path file) {
        Path dir = file.getParent();
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                setPermissions(dir, "rwx------");
            }
            KeyPair pair = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
            byte[] p8 = pair.getPrivate().getEncoded();
            byte[] x509 = pair.getPublic().getEncoded();
            if (p8.length != PKCS8_V1_PREFIX.length + KEY_BYTES || !startsWith(p8, PKCS8_V1_PREFIX, 0)
                    || x509.length != X509_PREFIX.length + KEY_BYTES || !startsWith(x509, X509_PREFIX, 0)) {
                throw new IllegalStateException("the JDK encodes Ed25519 keys in an unexpected form");
            }
            String pem = PEM_BEGIN + "\n"
                    + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(p8) + "\n" + PEM_END + "\n";
            createExclusively(file, pem.getBytes(StandardCharsets.US_ASCII), "rw-------");
        } catch (IOException e) {
            throw new AtelierException("cannot create the signing key " + file + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot make Ed25519 keys: " + e.getMessage(), e);
        }
    }

    /** Writes the public key file if it is missing; if present, it must be this key's. */
    private void publish(Path pubFile) {
        if (!Files.exists(pubFile)) {
            String text = publicKeyBase64() + "\n";
            try {
                createExclusively(pubFile, text.getBytes(StandardCharsets.US_ASCII), "rw-r--r--");
            } catch (IOException e) {
                throw new AtelierException("cannot write the public key " + pubFile + ": " + e.getMessage(), e);
            }
        }
        byte[] onDisk;
        try {
            onDisk = readPublicKeyFile(pubFile);
        } catch (AtelierException e) {
            throw damaged(pubFile, e.getMessage());
        }
        if (!Arrays.equals(onDisk, publicX509)) {
            throw damaged(pubFile, "it holds the key " + keyId(onDisk) + " but " + PRIVATE_FILE + " holds " + id);
        }
    }

    /**
     * Writes a whole file under a temporary name, then gives it its final name only if that name is
     * free; if it is taken (another process was first) the file is left as it is.
     */
    private static void createExclusively(Path target, byte[] bytes, String permissions) throws IOException {
        Path dir = target.getParent();
        FileAttribute<?>[] attrs = dir.getFileSystem().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                        permissions))}
                : new FileAttribute<?>[0];
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp", attrs);
        try {
            setPermissions(tmp, permissions); // the umask may have narrowed the requested mode
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE);
                    OutputStream out = Channels.newOutputStream(ch)) {
                out.write(bytes);
                out.flush();
                ch.force(true);
            }
            try {
                Files.createLink(target, tmp);
            } catch (FileAlreadyExistsException e) {
                // Another process made it first: its file stands.
            } catch (UnsupportedOperationException | FileSystemException e) {
                try {
                    Files.move(tmp, target); // no REPLACE_EXISTING: fails if the target exists
                } catch (FileAlreadyExistsException e2) {
                    // Another process made it first: its file stands.
                }
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void setPermissions(Path p, String permissions) throws IOException {
        if (p.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(permissions));
        }
    }

    private static byte[] readPem(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (java.nio.charset.MalformedInputException e) {
            throw damaged(file, "it is not PEM text");
        } catch (IOException e) {
            throw new AtelierException("cannot read the signing key " + file + ": " + e.getMessage(), e);
        }
        int begin = text.indexOf(PEM_BEGIN);
        int end = text.indexOf(PEM_END);
        if (begin < 0 || end < begin) {
            throw damaged(file, "it has no " + PEM_BEGIN + " … " + PEM_END + " block");
        }
        try {
            return Base64.getDecoder().decode(text.substring(begin + PEM_BEGIN.length(), end).replaceAll("\\s+", ""));
        } catch (IllegalArgumentException e) {
            throw damaged(file, "its PEM block is not base64 (" + e.getMessage() + ")");
        }
    }

    private static AtelierException damaged(Path file, String reason) {
        return new AtelierException("the signing key file " + file + " is damaged: " + reason
                + "; it is never replaced automatically: restore it from a backup, or move the key files away"
                + " to make a new key");
    }

    private static byte[] x509(byte[] publicKey) {
        return Bytes.concat(X509_PREFIX, publicKey);
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix, int at) {
        return bytes.length >= at + prefix.length
                && Arrays.equals(bytes, at, at + prefix.length, prefix, 0, prefix.length);
    }
}
