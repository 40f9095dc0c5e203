package art.atelier.train;

import art.atelier.AtelierException;
import art.atelier.UsageException;
import art.atelier.Workspace;

import java.nio.file.Path;

/**
 * The rules every medium's {@code train} follows about the model it trains: a new model never
 * overwrites one by accident, a resumed one keeps its settings and continues from where it stopped.
 */
public final class Runs {

    private Runs() {}

    /**
     * Checks that a new model may be written, or a resumed one exists.
     *
     * @param workspace the workspace
     * @param name the model's name
     * @param resume whether the run continues the model
     * @param force whether a new run may replace an existing model
     * @return the existing model's card when resuming, else null
     * @throws AtelierException if there is nothing to resume, or a model would be overwritten
     */
    public static ModelCard target(Workspace workspace, String name, boolean resume, boolean force) {
        Path dir = workspace.model(name);
        boolean exists = Checkpoint.exists(dir);
        if (resume && !exists) {
            throw new AtelierException("there is no model named '" + name + "' to resume in " + workspace.models());
        }
        if (!resume && exists && !force) {
            ModelCard old = Checkpoint.readCard(dir);
            throw new AtelierException("a model named '" + name + "' already exists (" + old.step() + " of "
                    + old.training().steps() + " steps); pass --resume to continue it or --force to replace it");
        }
        return resume ? Checkpoint.readCard(dir) : null;
    }

    /**
     * @param option the option, as the user typed it
     * @param given its value, or null if not given
     * @param saved the model's value
     * @throws UsageException if a value was given and differs
     */
    public static void refuseChange(String option, Object given, Object saved) {
        if (given != null && !given.toString().equalsIgnoreCase(String.valueOf(saved))) {
            throw new UsageException(option + " " + given + " differs from the model's " + saved
                    + "; a resumed run keeps its settings (train a new model to change them)");
        }
    }

    /**
     * @param card the model's card
     * @param data the corpus given to the resumed run, named in the error
     * @param fingerprint that corpus's fingerprint
     * @param units what the corpus holds ("texts", "pictures", "pieces"), for the message
     * @throws AtelierException if it is not the corpus the model was trained on
     */
    public static void requireSameCorpus(ModelCard card, Path data, String fingerprint, String units) {
        if (!card.corpus().fingerprint().equals(fingerprint)) {
            throw new AtelierException("the corpus " + data + " is not the one '" + card.name() + "' was trained on"
                    + " (fingerprint " + fingerprint + ", the model's " + card.corpus().fingerprint()
                    + "); a resumed run must see the same " + units);
        }
    }

    /**
     * The settings a resumed run continues with.
     *
     * @param card the model's card
     * @param steps a new total of steps, or null to keep the model's
     * @param dir the model's directory, named in errors
     * @return the model's settings, with the new total
     * @throws UsageException if the total is below the steps done, or the model has finished
     * @throws AtelierException if the card has no generator state to resume from
     */
    public static TrainSettings continued(ModelCard card, Integer steps, Path dir) {
        TrainSettings settings = card.training();
        if (steps != null) {
            if (steps < card.step()) {
                throw new UsageException("'" + card.name() + "' has already trained " + card.step() + " steps; --steps "
                        + steps + " is fewer");
            }
            settings = settings.withSteps(steps);
        }
        if (card.step() >= settings.steps()) {
            throw new UsageException("'" + card.name() + "' has finished its " + settings.steps() + " steps; pass"
                    + " --steps N with N above " + card.step() + " to train it further");
        }
        if (card.rng() == null) {
            throw new AtelierException(dir.resolve(Checkpoint.CARD) + " has no generator state; it cannot be resumed");
        }
        return settings;
    }

    /**
     * @param settings settings
     * @param evalEvery steps between evaluations, or null to keep
     * @param checkpointEvery steps between checkpoints, or null to keep
     * @return the settings with that cadence (which a resumed run may change)
     */
    public static TrainSettings cadence(TrainSettings settings, Integer evalEvery, Integer checkpointEvery) {
        TrainSettings s = settings;
        if (evalEvery != null) {
            s = s.withEvaluation(evalEvery, s.evalBatches());
        }
        if (checkpointEvery != null) {
            s = s.withCheckpointEvery(checkpointEvery);
        }
        return s;
    }
}
