package art.atelier.catalog;

/**
 * Something the artist did to a work. Three actions also change the work's state: {@code keep} makes it
 * "kept", {@code reject} makes it "rejected" (a later keep undoes it, and the other way round), and
 * {@code title} gives it the title in {@code detail}. Every other action ("edit", "prompt", "style",
 * "edition", ...) is recorded as it is.
 *
 * @param action what was done: a lowercase word of letters, digits and '-' (at most 32 characters)
 * @param detail what exactly (the title, the edit's description), or null
 * @param time when, ISO-8601 with an offset or 'Z' ({@code Instant.toString()})
 * @param signatureJson the artist's signature over this action, as made by the signing code, or null
 */
public record Action(String action, String detail, String time, String signatureJson) {

    /** Makes a work "kept". */
    public static final String KEEP = "keep";
    /** Makes a work "rejected". */
    public static final String REJECT = "reject";
    /** Gives a work the title in {@code detail}. */
    public static final String TITLE = "title";
    /** Recorded by {@link Catalog#issueEdition} itself, with the edition's size as its detail. */
    public static final String EDITION = "edition";
}
