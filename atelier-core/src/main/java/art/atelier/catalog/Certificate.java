package art.atelier.catalog;

/**
 * The certificate of one print of an edition.
 *
 * @param number the print's number, 1 to the edition's size
 * @param json the signed certificate as its maker wrote it; the catalog keeps it verbatim
 */
public record Certificate(int number, String json) {}
