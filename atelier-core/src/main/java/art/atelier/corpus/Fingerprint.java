package art.atelier.corpus;

import art.atelier.util.Hashing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A corpus's identity: the SHA-256 of its items' sorted "style/sha256-of-bytes" lines. Renaming a
 * file keeps it; changing a byte, or moving a file to another style, changes it. Every model
 * records the fingerprint of what it learned from.
 */
public final class Fingerprint {

    private Fingerprint() {}

    /**
     * @param entries one per item: its style label and the SHA-256 of its bytes
     * @return the fingerprint, "sha256:" and 64 hex digits
     */
    public static String of(List<String[]> entries) {
        List<String> lines = new ArrayList<>();
        for (String[] e : entries) {
            lines.add(e[0] + "/" + e[1]);
        }
        lines.sort(null);
        MessageDigest md = Hashing.sha256();
        for (String line : lines) {
            md.update(line.getBytes(StandardCharsets.UTF_8));
            md.update((byte) '\n');
        }
        return "sha256:" + HexFormat.of().formatHex(md.digest());
    }
}
