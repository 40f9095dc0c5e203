package art.atelier.catalog;

import art.atelier.util.Hashing;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Works to catalog in tests: small, with bytes that follow from the id. */
final class Fixtures {

    private Fixtures() {}

    /**
     * @param id the work's id
     * @return a picture made by model "emoji": a PNG-ish work file and a manifest, both depending on the id
     */
    static NewWork picture(String id) {
        return work(id, "image", "picture", "emoji", null, 0.5, null, "2025-01-01T00:00:00Z");
    }

    static NewWork work(String id, String medium, String kind, String model, String style, double novelty,
            Long nearHash, String created, String... parents) {
        byte[] content = ("bytes of " + id).getBytes(StandardCharsets.UTF_8);
        String manifest = "{\"id\":\"" + id + "\",\"sha256\":\"" + Hashing.sha256(content) + "\"}";
        String ext = switch (medium) {
            case "music" -> "mid";
            case "text" -> "txt";
            default -> "png";
        };
        return new NewWork(id, medium, kind, model, "atelier", "sha256:" + "ab".repeat(32), "corpus-fp", 7L, style,
                List.of(parents), novelty, nearHash, Hashing.sha256(content), manifest, created,
                List.of(new NewFile("work", ext, content),
                        new NewFile("manifest", "json", manifest.getBytes(StandardCharsets.UTF_8))));
    }

    /**
     * @param w a work
     * @param files other files
     * @return the same work with those files instead
     */
    static NewWork withFiles(NewWork w, List<NewFile> files) {
        return new NewWork(w.id(), w.medium(), w.kind(), w.model(), w.family(), w.checkpoint(), w.corpusFingerprint(),
                w.seed(), w.style(), w.parents(), w.novelty(), w.nearHash(), w.contentSha256(), w.manifestJson(),
                w.created(), files);
    }
}
