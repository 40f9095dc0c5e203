package art.atelier.catalog;

/**
 * One file of a work about to be catalogued. The catalog stores it by the SHA-256 of its bytes, so the
 * same bytes are kept once however many works hold them.
 *
 * @param role what the file is to its work: "work" (the work itself: PNG, GIF/APNG, MIDI, text),
 *     "audio" (a piece's rendering), "manifest" (the provenance beside it), or another lowercase word;
 *     one file per role in a work
 * @param extension the stored file's extension without the dot, 1-10 lowercase letters or digits
 *     ("png", "mid", "wav", "json", "txt")
 * @param bytes the file's content; not copied, so it must not change until {@link Catalog#add} returns
 */
public record NewFile(String role, String extension, byte[] bytes) {}
