package art.atelier.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import art.atelier.AtelierException;
import art.atelier.util.Hashing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

class SigningKeyTest {

    @TempDir
    Path root;

    @Test
    void isMadeOnFirstUseAndTheSameKeyAfter() throws Exception {
        assertThat(SigningKey.exists(root)).isFalse();
        SigningKey k = SigningKey.loadOrCreate(root);
        assertThat(SigningKey.exists(root)).isTrue();
        assertThat(k.id()).matches("ed25519:[0-9a-f]{16}");
        assertThat(SigningKey.loadOrCreate(root).id()).isEqualTo(k.id());
        assertThat(SigningKey.load(root).publicKeyBase64()).isEqualTo(k.publicKeyBase64());

        Path key = root.resolve("keys/atelier-ed25519.key");
        Path pub = root.resolve("keys/atelier-ed25519.pub");
        assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
        // .pub: one line of base64, the X.509 bytes whose SHA-256 gives the id
        String pubText = Files.readString(pub);
        assertThat(pubText).matches("[A-Za-z0-9+/=]+\n");
        byte[] x509 = Base64.getDecoder().decode(pubText.trim());
        assertThat(x509).isEqualTo(k.publicKey().getEncoded()).isEqualTo(k.publicKeyX509());
        assertThat(k.id()).isEqualTo("ed25519:" + Hashing.sha256(x509).substring(0, 16));
        if (root.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        }
        try (Stream<Path> s = Files.list(root.resolve("keys"))) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("atelier-ed25519.key",
                    "atelier-ed25519.pub");
        }
    }

    @Test
    void signaturesAreDeterministicAndVerifyWithThePublicKey() throws Exception {
        SigningKey k = SigningKey.loadOrCreate(root);
        byte[] msg = "a manifest".getBytes(StandardCharsets.UTF_8);
        byte[] a = k.sign(msg);
        byte[] b = SigningKey.load(root).sign(msg);
        assertThat(a).hasSize(64).isEqualTo(b);
        Signature v = Signature.getInstance("Ed25519");
        v.initVerify(k.publicKey());
        v.update(msg);
        assertThat(v.verify(a)).isTrue();
        assertThat(k.sign("another".getBytes(StandardCharsets.UTF_8))).isNotEqualTo(a);
    }

    @Test
    void manyThreadsStartingAtOnceGetOneKey() throws Exception {
        int threads = 8;
        for (int round = 0; round < 4; round++) {
            Path ws = root.resolve("ws" + round);
            CyclicBarrier start = new CyclicBarrier(threads);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<String>> ids = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    ids.add(pool.submit(() -> {
                        start.await();
                        return SigningKey.loadOrCreate(ws).id();
                    }));
                }
                Set<String> distinct = ConcurrentHashMap.newKeySet();
                for (Future<String> f : ids) {
                    distinct.add(f.get());
                }
                assertThat(distinct).hasSize(1);
                assertThat(SigningKey.load(ws).id()).isEqualTo(distinct.iterator().next());
            } finally {
                pool.shutdownNow();
            }
            try (Stream<Path> s = Files.list(ws.resolve("keys"))) { // no temporary left behind
                assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("atelier-ed25519.key",
                        "atelier-ed25519.pub");
            }
        }
    }

    @Test
    void aDamagedKeyFileIsNamedAndNeverReplaced() throws Exception {
        SigningKey.loadOrCreate(root);
        Path key = SigningKey.privateFile(root);
        String good = Files.readString(key);
        for (String bad : List.of("", "garbage", good.substring(0, good.length() / 2),
                good.replace("-----BEGIN PRIVATE KEY-----\n", "-----BEGIN PRIVATE KEY-----\nAAAA"),
                "-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n")) {
            Files.writeString(key, bad);
            assertThatThrownBy(() -> SigningKey.loadOrCreate(root)).isInstanceOf(AtelierException.class)
                    .hasMessageContaining(key.toString()).hasMessageContaining("damaged").hasMessageNotContaining("\n");
            assertThat(Files.readString(key)).isEqualTo(bad);
        }
        Files.write(key, new byte[] {(byte) 0xff, (byte) 0xfe, 0});
        assertThatThrownBy(() -> SigningKey.load(root)).hasMessageContaining(key.toString());
    }

    @Test
    void theKeyFileIsCompleteInItselfAndAWrongPublicKeyFileIsAnError() throws Exception {
        SigningKey k = SigningKey.loadOrCreate(root);
        Path pub = SigningKey.publicFile(root);
        String text = Files.readString(pub);
        Files.delete(pub);
        assertThat(SigningKey.load(root).id()).isEqualTo(k.id());
        assertThat(Files.readString(pub)).isEqualTo(text); // rewritten from the key file

        SigningKey other = SigningKey.loadOrCreate(root.resolve("other"));
        Files.writeString(pub, other.publicKeyBase64() + "\n");
        assertThatThrownBy(() -> SigningKey.load(root)).hasMessageContaining(pub.toString())
                .hasMessageContaining(other.id()).hasMessageContaining(k.id());
        Files.writeString(pub, "not base64 at all\n");
        assertThatThrownBy(() -> SigningKey.load(root)).hasMessageContaining(pub.toString());
    }

    @Test
    void keyFilesOfOtherToolsAreReadAndTheirPublicKeyDerived() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] v1 = pair.getPrivate().getEncoded(); // PKCS#8 version 1, as OpenSSL writes it too
        byte[] x509 = pair.getPublic().getEncoded();
        Path keys = Files.createDirectories(root.resolve("keys"));
        Files.writeString(keys.resolve("atelier-ed25519.key"), pem(v1));
        SigningKey k = SigningKey.load(root);
        assertThat(k.id()).isEqualTo(SigningKey.keyId(x509));
        assertThat(Base64.getDecoder().decode(Files.readString(keys.resolve("atelier-ed25519.pub")).trim()))
                .isEqualTo(x509);

        // version 2 (RFC 5958) carries the public key, which must be the private key's
        byte[] v2 = java.util.HexFormat.of().parseHex("3051020101300506032b657004220420"
                + java.util.HexFormat.of().formatHex(v1, 16, 48) + "812100" + java.util.HexFormat.of().formatHex(x509, 12, 44));
        Files.writeString(keys.resolve("atelier-ed25519.key"), pem(v2));
        assertThat(SigningKey.load(root).id()).isEqualTo(k.id());
        v2[v2.length - 1] ^= 1;
        Files.writeString(keys.resolve("atelier-ed25519.key"), pem(v2));
        assertThatThrownBy(() -> SigningKey.load(root)).hasMessageContaining("atelier-ed25519.key")
                .hasMessageContaining("the public key it carries is not its private key's");

        // a PEM-armoured .pub is read as well as bare base64
        Files.writeString(keys.resolve("atelier-ed25519.key"), pem(v1));
        Files.writeString(keys.resolve("atelier-ed25519.pub"), "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getEncoder().encodeToString(x509) + "\n-----END PUBLIC KEY-----\n");
        assertThat(SigningKey.load(root).id()).isEqualTo(k.id());
    }

    private static String pem(byte[] der) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END PRIVATE KEY-----\n";
    }

    @Test
    void loadingWithoutAKeySaysSo() {
        assertThatThrownBy(() -> SigningKey.load(root)).isInstanceOf(AtelierException.class)
                .hasMessageContaining("has no signing key");
    }

    @Test
    void trustedKeysAreTheOwnKeyAndTheTrustedFolder() throws Exception {
        assertThat(TrustedKeys.load(root).ids()).isEmpty(); // no key is made by reading the trusted ones
        assertThat(SigningKey.exists(root)).isFalse();
        SigningKey own = SigningKey.loadOrCreate(root);
        SigningKey friend = SigningKey.loadOrCreate(root.resolve("friend"));
        SigningKey stranger = SigningKey.loadOrCreate(root.resolve("stranger"));
        assertThat(TrustedKeys.load(root).ids()).containsExactly(own.id());

        Path copied = TrustedKeys.trust(root, SigningKey.publicFile(root.resolve("friend")));
        assertThat(copied.getParent()).isEqualTo(root.resolve("keys/trusted"));
        assertThat(copied.getFileName().toString()).isEqualTo(friend.id().replace(':', '-') + ".pub");
        Files.writeString(root.resolve("keys/trusted/README.txt"), "not a key");
        TrustedKeys t = TrustedKeys.load(root);
        assertThat(t.ids()).containsExactlyInAnyOrder(own.id(), friend.id());
        assertThat(t.trusts(friend.publicKeyX509())).isTrue();
        assertThat(t.trusts(stranger.publicKeyX509())).isFalse();
        assertThat(t.with(stranger.publicKeyX509()).trusts(stranger.publicKeyX509())).isTrue();
        assertThat(TrustedKeys.of(stranger).ids()).containsExactly(stranger.id());
        assertThat(TrustedKeys.none().trusts(own.publicKeyX509())).isFalse();

        Path broken = root.resolve("keys/trusted/broken.pub");
        Files.writeString(broken, Base64.getEncoder().encodeToString(new byte[44]));
        assertThatThrownBy(() -> TrustedKeys.load(root)).isInstanceOf(AtelierException.class)
                .hasMessageContaining(broken.toString());
        assertThatThrownBy(() -> TrustedKeys.trust(root, broken)).hasMessageContaining(broken.toString());
    }
}
