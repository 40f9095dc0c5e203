package art.atelier.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import art.atelier.UsageException;
import art.atelier.util.Hashing;
import art.atelier.util.Json;
import art.atelier.work.Verifier.Report;
import art.atelier.work.Verifier.Status;

import com.google.gson.JsonObject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

class CertificatesTest {

    private static final Instant ISSUED = Instant.parse("2025-03-01T10:15:30Z");

    @TempDir
    Path dir;

    SigningKey key;
    TrustedKeys trusted;
    Path work;
    String sha;

    @BeforeEach
    void setUp() throws Exception {
        key = SigningKey.loadOrCreate(dir.resolve("studio"));
        trusted = TrustedKeys.load(dir.resolve("studio"));
        byte[] png = Fixtures.png();
        sha = Hashing.sha256(png); // the content hash, as the manifest records it
        work = Fixtures.saveWork(dir.resolve("works"), "heron-s1-aaaaaaaa", "png", png, "image", key);
    }

    @Test
    void anEditionIsNumberedSignedAndDeterministic() {
        List<JsonObject> certs = Certificates.issue("heron-s1-aaaaaaaa", sha, "Morning heron", 3, ISSUED, key);
        assertThat(certs).hasSize(3);
        for (int k = 1; k <= 3; k++) {
            JsonObject c = certs.get(k - 1);
            assertThat(c.get("kind").getAsString()).isEqualTo("atelier-edition-certificate");
            assertThat(c.get("format").getAsInt()).isEqualTo(1);
            assertThat(c.get("work").getAsString()).isEqualTo("heron-s1-aaaaaaaa");
            assertThat(c.get("work_sha256").getAsString()).isEqualTo(sha);
            assertThat(c.get("title").getAsString()).isEqualTo("Morning heron");
            assertThat(c.get("number").getAsInt()).isEqualTo(k);
            assertThat(c.get("of").getAsInt()).isEqualTo(3);
            assertThat(c.get("issued").getAsString()).isEqualTo("2025-03-01T10:15:30Z");
            assertThat(c.get("artist_key").getAsString()).isEqualTo(key.id());
            assertThat(Signatures.verify(c, trusted).status()).isEqualTo(Signatures.Status.VALID);
            assertThat(Certificates.fileName(c)).isEqualTo("heron-s1-aaaaaaaa-" + k + "-of-3.certificate.json");
        }
        assertThat(certs.get(0).get("signature")).isNotEqualTo(certs.get(1).get("signature"));
        assertThat(Certificates.issue("heron-s1-aaaaaaaa", sha, "Morning heron", 3, ISSUED, key)).isEqualTo(certs);
    }

    @Test
    void aSavedCertificateVerifiesAloneAndWithItsWork() {
        List<Path> files = Certificates.save(dir.resolve("certificates"),
                Certificates.issue("heron-s1-aaaaaaaa", sha, "Morning heron", 2, ISSUED, key));
        assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly(
                "heron-s1-aaaaaaaa-1-of-2.certificate.json", "heron-s1-aaaaaaaa-2-of-2.certificate.json");
        Report alone = Verifier.verify(files.get(1), trusted);
        assertThat(alone.status()).as(alone.message()).isEqualTo(Status.VALID);
        assertThat(alone.kind()).isEqualTo(Verifier.Kind.CERTIFICATE);
        assertThat(alone.workId()).isEqualTo("heron-s1-aaaaaaaa");
        assertThat(alone.keyId()).isEqualTo(key.id());
        assertThat(alone.message()).isEqualTo(files.get(1) + " is a valid edition certificate: copy 2 of 2 of"
                + " 'Morning heron' (work heron-s1-aaaaaaaa), signed by " + key.id());
        Report both = Verifier.verifyCertificate(files.get(0), work, trusted);
        assertThat(both.status()).as(both.message()).isEqualTo(Status.VALID);
        assertThat(both.message()).endsWith(", and " + work + " is that work");
    }

    @Test
    void anotherWorkIsNotTheCertifiedOne() throws Exception {
        Path cert = Certificates.save(dir, Certificates.issue("heron-s1-aaaaaaaa", sha, "Morning heron", 1, ISSUED,
                key)).get(0);
        Path other = Fixtures.saveWork(dir.resolve("works"), "heron-s2-bbbbbbbb", "gif", Fixtures.gif(), "image", key);
        Report r = Verifier.verifyCertificate(cert, other, trusted);
        assertThat(r.status()).isEqualTo(Status.BYTES_CHANGED);
        assertThat(r.message()).isEqualTo(other + " is not the picture the certificate " + cert + " is for: its"
                + " content hash is " + Hashing.sha256(Fixtures.gif()) + " but the certificate records " + sha);
        // and a flipped byte in the certified work
        byte[] bytes = Files.readAllBytes(work);
        bytes[VerifierTest.chunkData(bytes, "IDAT") + 2] ^= 0x04;
        Files.write(work, bytes);
        assertThat(Verifier.verifyCertificate(cert, work, trusted).status()).isEqualTo(Status.BYTES_CHANGED);
    }

    @Test
    void anAlteredCertificateIsFound() throws Exception {
        Path cert = Certificates.save(dir, Certificates.issue("heron-s1-aaaaaaaa", sha, "Morning heron", 10, ISSUED,
                key)).get(2);
        String text = Files.readString(cert);
        for (String[] edit : new String[][] {{"\"number\": 3", "\"number\": 1"}, {"\"of\": 10", "\"of\": 5"},
                {"Morning heron", "Evening heron"}, {"2025-03-01", "2024-03-01"}}) {
            assertThat(text).contains(edit[0]);
            Files.writeString(cert, text.replace(edit[0], edit[1]));
            Report r = Verifier.verify(cert, trusted);
            assertThat(r.status()).as(edit[1]).isEqualTo(Status.MANIFEST_CHANGED);
            assertThat(r.message()).isEqualTo("the certificate " + cert + " was changed after signing: the signature"
                    + " by " + key.id() + " does not match its content");
        }
        Files.writeString(cert, text.replace("\"of\": 10", "\"of\": 2")); // copy 3 of 2
        Report r = Verifier.verify(cert, trusted);
        assertThat(r.status()).isEqualTo(Status.MALFORMED);
        assertThat(r.message()).startsWith("the certificate " + cert + " is malformed: its \"number\" 3 and \"of\" 2");
        Files.writeString(cert, text.replace("atelier-edition-certificate", "receipt"));
        assertThat(Verifier.verify(cert, trusted).message()).contains("its \"kind\" is the string \"receipt\"");
        Files.writeString(cert, text.replace("\"format\": 1", "\"format\": 2"));
        assertThat(Verifier.verify(cert, trusted).message()).contains("format 2, newer than this build reads (1)");
        Files.writeString(cert, text.substring(0, 40));
        assertThat(Verifier.verify(cert, trusted).status()).isEqualTo(Status.MALFORMED);
        Files.writeString(cert, text);
        assertThat(Verifier.verify(cert, trusted).status()).isEqualTo(Status.VALID);
    }

    @Test
    void aCertificateSignedElsewhereIsUnknownAndOneClaimingAnotherArtistIsMalformed() throws Exception {
        SigningKey other = SigningKey.loadOrCreate(dir.resolve("elsewhere"));
        JsonObject c = Certificates.issue("heron-s1-aaaaaaaa", sha, "Morning heron", 1, ISSUED, other).get(0);
        Path cert = Certificates.save(dir, List.of(c)).get(0);
        Report r = Verifier.verify(cert, trusted);
        assertThat(r.status()).isEqualTo(Status.UNKNOWN_KEY);
        assertThat(r.keyId()).isEqualTo(other.id());
        assertThat(Verifier.verify(cert, trusted.with(other.publicKeyX509())).status()).isEqualTo(Status.VALID);

        c.addProperty("artist_key", key.id()); // claims our artist, signed by the other key
        Files.writeString(cert, Json.write(Signatures.sign(c, other)));
        r = Verifier.verify(cert, trusted);
        assertThat(r.status()).isEqualTo(Status.MALFORMED);
        assertThat(r.message()).contains("names the artist's key " + key.id() + " but is signed by " + other.id());

        c.remove("signature");
        c.addProperty("artist_key", other.id());
        Files.writeString(cert, Json.write(c));
        assertThat(Verifier.verify(cert, trusted).status()).isEqualTo(Status.UNSIGNED);
    }

    @Test
    void badArgumentsAreUsageErrors() {
        assertThatThrownBy(() -> Certificates.issue("heron", sha, "T", 0, ISSUED, key)).isInstanceOf(UsageException.class)
                .hasMessageContaining("1 to 100000 copies, not 0");
        assertThatThrownBy(() -> Certificates.issue("../x", sha, "T", 1, ISSUED, key)).isInstanceOf(UsageException.class)
                .hasMessageContaining("'../x'");
        assertThatThrownBy(() -> Certificates.issue("heron", "ABC", "T", 1, ISSUED, key))
                .isInstanceOf(UsageException.class).hasMessageContaining("not a SHA-256");
        assertThatThrownBy(() -> Certificates.issue("heron", sha, " ", 1, ISSUED, key))
                .isInstanceOf(UsageException.class).hasMessageContaining("title");
    }
}
