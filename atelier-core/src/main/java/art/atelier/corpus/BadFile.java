package art.atelier.corpus;

/**
 * A file left out of a corpus, and why.
 *
 * @param path the file, relative to the corpus root
 * @param reason what is wrong with it, for a person
 */
public record BadFile(String path, String reason) {

    @Override
    public String toString() {
        return path + ": " + reason;
    }
}
