package art.atelier.corpus;

/** What to do with a file that cannot be used: stop before training starts, or leave it out. */
public enum BadFilePolicy {
    /** Name the first bad file and stop (the default: nothing is trained on a corpus the artist did not intend). */
    STOP,
    /** Name every bad file, leave it out, and go on with the rest. */
    SKIP
}
