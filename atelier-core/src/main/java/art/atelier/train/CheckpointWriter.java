package art.atelier.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** Writes a model's complete checkpoint into an empty directory: what each medium's training hands its task. */
@FunctionalInterface
public interface CheckpointWriter {
    /**
     * @param directory an empty directory
     * @param step steps done
     * @param lastStep the last step's metrics
     * @param lastEvaluation the last evaluation's metrics
     * @param rng the state of the run's generator
     * @throws IOException on failure
     */
    void save(Path directory, int step, Map<String, Double> lastStep, Map<String, Double> lastEvaluation, long[] rng)
            throws IOException;
}
