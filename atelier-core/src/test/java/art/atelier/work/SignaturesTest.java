package art.atelier.work;

import static org.assertj.core.api.Assertions.assertThat;

import art.atelier.util.Json;
import art.atelier.work.Signatures.Status;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.function.Consumer;

class SignaturesTest {

    @TempDir
    Path dir;

    SigningKey key;
    SigningKey other;
    TrustedKeys trusted;
    JsonObject manifest;

    @BeforeEach
    void setUp() {
        key = SigningKey.loadOrCreate(dir.resolve("studio"));
        other = SigningKey.loadOrCreate(dir.resolve("elsewhere"));
        trusted = TrustedKeys.of(key);
        manifest = Fixtures.manifest("heron-s7-1a2b3c4d", "text", "heron-s7-1a2b3c4d.txt", Fixtures.text());
    }

    @Test
    void aSignedManifestVerifiesAndCarriesItsSignature() {
        JsonObject signed = Signatures.sign(manifest, key);
        assertThat(manifest.has("signature")).isFalse(); // the input is left alone
        JsonObject sig = signed.getAsJsonObject("signature");
        assertThat(sig.get("algorithm").getAsString()).isEqualTo("Ed25519");
        assertThat(sig.get("key").getAsString()).isEqualTo(key.id());
        assertThat(sig.get("public_key").getAsString()).isEqualTo(key.publicKeyBase64());
        assertThat(Base64.getDecoder().decode(sig.get("value").getAsString())).hasSize(64);
        Signatures.Result r = Signatures.verify(signed, trusted);
        assertThat(r.status()).isEqualTo(Status.VALID);
        assertThat(r.valid()).isTrue();
        assertThat(r.keyId()).isEqualTo(key.id());
        // the signature is last, and the rest is as it was
        assertThat(signed.keySet()).last().isEqualTo("signature");
        JsonObject rest = signed.deepCopy();
        rest.remove("signature");
        assertThat(rest).isEqualTo(manifest);
    }

    @Test
    void sameKeySameManifestSameBytes() {
        String a = Json.write(Signatures.sign(manifest, key));
        String b = Json.write(Signatures.sign(manifest.deepCopy(), SigningKey.load(dir.resolve("studio"))));
        assertThat(a).isEqualTo(b);
        // member order does not matter either: the canonical form sorts it
        JsonObject reordered = new JsonObject();
        manifest.keySet().stream().sorted(java.util.Comparator.reverseOrder()).forEach(k -> reordered.add(k,
                manifest.get(k)));
        assertThat(Signatures.sign(reordered, key).get("signature")).isEqualTo(Signatures.sign(manifest, key)
                .get("signature"));
        assertThat(Signatures.sign(manifest, other).get("signature")).isNotEqualTo(Signatures.sign(manifest, key)
                .get("signature"));
    }

    @Test
    void signingAgainReplacesTheSignature() {
        JsonObject once = Signatures.sign(manifest, other);
        JsonObject twice = Signatures.sign(once, key);
        assertThat(twice).isEqualTo(Signatures.sign(manifest, key));
    }

    @Test
    void survivesPrettyCompactAndAnotherReader() {
        JsonObject signed = Signatures.sign(manifest, key);
        for (String text : new String[] {Json.write(signed), Json.compact(signed), CanonicalJson.write(signed)}) {
            assertThat(Signatures.verify(CanonicalJson.parseObject(text, "t"), trusted).status()).isEqualTo(Status.VALID);
            assertThat(Signatures.verify(JsonParser.parseString(text).getAsJsonObject(), trusted).status())
                    .isEqualTo(Status.VALID);
        }
    }

    @Test
    void everyChangeToTheContentIsFound() {
        JsonObject signed = Signatures.sign(manifest, key);
        assertChanged(signed, m -> m.addProperty("seed", 8));
        assertChanged(signed, m -> m.addProperty("seed", 7.0)); // numbers are signed as written: 7.0 is not 7
        assertChanged(signed, m -> m.getAsJsonObject("model").addProperty("name", "crane"));
        assertChanged(signed, m -> m.getAsJsonObject("settings").remove("style"));
        assertChanged(signed, m -> m.addProperty("title", "added later"));
        assertChanged(signed, m -> m.getAsJsonArray("actions").remove(0));
        assertChanged(signed, m -> m.addProperty("id", m.get("id").getAsString() + " "));
    }

    private void assertChanged(JsonObject signed, Consumer<JsonObject> change) {
        JsonObject m = signed.deepCopy();
        change.accept(m);
        Signatures.Result r = Signatures.verify(m, trusted);
        assertThat(r.status()).isEqualTo(Status.MANIFEST_CHANGED);
        assertThat(r.keyId()).isEqualTo(key.id());
        assertThat(r.message()).contains("changed after it was signed").contains(key.id());
    }

    @Test
    void anotherStudiosKeyIsUnknownUntilTrusted() {
        JsonObject signed = Signatures.sign(manifest, other);
        Signatures.Result r = Signatures.verify(signed, trusted);
        assertThat(r.status()).isEqualTo(Status.UNKNOWN_KEY);
        assertThat(r.keyId()).isEqualTo(other.id());
        assertThat(r.message()).contains(other.id());
        assertThat(Signatures.verify(signed, trusted.with(other.publicKeyX509())).status()).isEqualTo(Status.VALID);
    }

    @Test
    void aSwappedPublicKeyIsNoWayIn() {
        JsonObject signed = Signatures.sign(manifest, key);
        // the other studio's public key and id put in place of ours, our signature value kept: no match
        JsonObject sig = signed.getAsJsonObject("signature");
        sig.addProperty("public_key", other.publicKeyBase64());
        sig.addProperty("key", other.id());
        assertThat(Signatures.verify(signed, trusted).status()).isEqualTo(Status.MANIFEST_CHANGED);
        // a forger re-signs a changed manifest with their own key: it verifies, but not as ours
        JsonObject forged = signed.deepCopy();
        forged.addProperty("seed", 99);
        forged = Signatures.sign(forged, other);
        forged.getAsJsonObject("signature").addProperty("key", key.id()); // and claims our id
        assertThat(Signatures.verify(forged, trusted).status()).isEqualTo(Status.MALFORMED);
        forged.getAsJsonObject("signature").addProperty("key", other.id());
        assertThat(Signatures.verify(forged, trusted).status()).isEqualTo(Status.UNKNOWN_KEY);
    }

    @Test
    void unsignedAndMalformedSignaturesAreToldApart() {
        assertThat(Signatures.verify(manifest, trusted).status()).isEqualTo(Status.UNSIGNED);
        JsonObject signed = Signatures.sign(manifest, key);
        assertMalformed(signed, s -> s.getAsJsonObject().remove("value"), "lacks");
        assertMalformed(signed, s -> s.getAsJsonObject().addProperty("algorithm", "RSA"), "RSA");
        assertMalformed(signed, s -> s.getAsJsonObject().addProperty("value", "***"), "base64");
        assertMalformed(signed, s -> s.getAsJsonObject().addProperty("value",
                Base64.getEncoder().encodeToString(new byte[63])), "63 bytes");
        assertMalformed(signed, s -> s.getAsJsonObject().addProperty("public_key",
                Base64.getEncoder().encodeToString("not a key".getBytes(StandardCharsets.UTF_8))), "public key");
        assertMalformed(signed, s -> s.getAsJsonObject().addProperty("key", "ed25519:0000000000000000"),
                "names the key ed25519:0000000000000000");
        JsonObject notAnObject = signed.deepCopy();
        notAnObject.addProperty("signature", "trust me");
        assertThat(Signatures.verify(notAnObject, trusted).status()).isEqualTo(Status.MALFORMED);
        assertThat(Signatures.verify(notAnObject, trusted).message()).contains("the string \"trust me\"");
    }

    private void assertMalformed(JsonObject signed, Consumer<com.google.gson.JsonElement> change, String says) {
        JsonObject m = signed.deepCopy();
        change.accept(m.get("signature"));
        Signatures.Result r = Signatures.verify(m, trusted);
        assertThat(r.status()).isEqualTo(Status.MALFORMED);
        assertThat(r.message()).contains(says);
    }
}
