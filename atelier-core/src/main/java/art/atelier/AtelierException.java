package art.atelier;

/**
 * An error the user can act on: bad input, a missing model, a refused checkpoint. Its message is one
 * plain line that says which file or value is wrong and why; the CLI prints it and exits with 1.
 */
public class AtelierException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message one plain line for the user */
    public AtelierException(String message) {
        super(message);
    }

    /**
     * @param message one plain line for the user
     * @param cause the underlying failure, kept for the log
     */
    public AtelierException(String message, Throwable cause) {
        super(message, cause);
    }
}
