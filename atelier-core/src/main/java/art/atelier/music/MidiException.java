package art.atelier.music;

/**
 * A MIDI file that cannot be read, and exactly why: one plain line naming what is wrong and where
 * ("track 2 is truncated: it declares 1234 bytes, 800 remain"). Checked, so that every caller
 * decides what a bad file means to it: a corpus leaves it out or stops, a command reports it.
 */
public class MidiException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String reason; // what is wrong, without the file's name

    /** @param reason what is wrong and where, one plain line, without the file's name */
    public MidiException(String reason) {
        super(reason);
        this.reason = reason;
    }

    /**
     * @param file the file's name, put in front of the reason
     * @param reason what is wrong and where, one plain line
     * @param cause the underlying failure, kept for the log (may be null)
     */
    public MidiException(String file, String reason, Throwable cause) {
        super(file + ": " + reason, cause);
        this.reason = reason;
    }

    /** @return what is wrong, without the file's name (the message, for a file read from bytes) */
    public String reason() {
        return reason;
    }
}
