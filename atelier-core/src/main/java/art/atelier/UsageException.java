package art.atelier;

/** A request that cannot be carried out as asked: a bad option value or combination. Exit code 2. */
public class UsageException extends AtelierException {

    private static final long serialVersionUID = 1L;

    /** @param message one plain line saying what is wrong and what is accepted */
    public UsageException(String message) {
        super(message);
    }
}
