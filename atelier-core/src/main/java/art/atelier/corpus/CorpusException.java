package art.atelier.corpus;

import art.atelier.AtelierException;

/** A corpus that cannot be used as given: empty, unreadable, or with bad files under {@link BadFilePolicy#STOP}. */
public class CorpusException extends AtelierException {

    private static final long serialVersionUID = 1L;

    /** @param message one plain line naming the file and the reason */
    public CorpusException(String message) {
        super(message);
    }
}
