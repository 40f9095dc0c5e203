package art.atelier.catalog;

import java.nio.file.Path;

/**
 * One file of a catalogued work, in the store.
 *
 * @param role what the file is to its work ("work", "audio", "manifest", ...)
 * @param path where it is: {@code store/<first 2 hex>/<sha256>.<extension>} in the workspace (absolute);
 *     stored files are read-only and shared by every work that holds the same bytes
 * @param sha256 the SHA-256 of its bytes, lowercase hex (also its file name)
 * @param size its length in bytes
 */
public record StoredFile(String role, Path path, String sha256, long size) {}
