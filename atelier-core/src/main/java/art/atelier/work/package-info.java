/**
 * Works and their provenance: what made a work, signed so that anyone can check it later.
 *
 * <p>Every work carries a {@link art.atelier.work.Manifest} (model, seed, settings, the artist's
 * actions, the SHA-256 of the work's content). Provenance is built from five small parts, each
 * usable alone:
 * <ul>
 *   <li>{@link art.atelier.work.SigningKey}: the workspace's Ed25519 key pair (RFC 8032), made on first
 *       use in {@code ROOT/keys/}, race-safe between processes; {@link art.atelier.work.TrustedKeys}:
 *       that key plus the other studios' keys in {@code ROOT/keys/trusted/}.</li>
 *   <li>{@link art.atelier.work.CanonicalJson}: the bytes a signature covers — sorted keys, no
 *       whitespace, minimal escapes, numbers as written (after RFC 8785, the JSON Canonicalization
 *       Scheme) — so a manifest can be pretty-printed, re-read and re-written and still verify.</li>
 *   <li>{@link art.atelier.work.Signatures}: a {@code "signature"} member carrying the algorithm, the
 *       key id, the public key and the signature over the rest of the document; a signed JSON
 *       document in the spirit of JWS (RFC 7515) with a detached, canonical payload.</li>
 *   <li>{@link art.atelier.work.Embedding}: the manifest inside the work's file where the format has
 *       room — a PNG/APNG {@code iTXt} chunk (W3C PNG 3rd edition, APNG 1.0), a GIF89a comment
 *       extension, a Standard MIDI File text meta event — and beside it as {@code NAME.json}
 *       otherwise (WAV, text). Taking it out restores the content byte for byte, which is what the
 *       manifest's hash covers. The idea of a manifest bound to the asset follows C2PA, much
 *       simplified: no certificate chain, trust is a list of keys.</li>
 *   <li>{@link art.atelier.work.Verifier}: a file and the trusted keys in, one
 *       {@link art.atelier.work.Verifier.Report} out: valid, or exactly what is wrong (bytes changed,
 *       manifest changed, unknown key, unsigned, no manifest, malformed).
 *       {@link art.atelier.work.Certificates} issues signed edition certificates ("3 of 10"), which the
 *       verifier also checks.</li>
 * </ul>
 * Everything here works on bytes and JSON trees (Gson), deterministically: Ed25519 signatures are
 * deterministic, so the same key and manifest give the same file. {@link art.atelier.work.Works}
 * writes works into the workspace.
 */
package art.atelier.work;
