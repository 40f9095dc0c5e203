package art.atelier.image;

import art.atelier.train.TrainingListener;
import art.atelier.util.AtomicFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** Receives the grid of pictures a picture model's training draws at every evaluation. */
@FunctionalInterface
public interface GridWriter {

    /**
     * @param step steps done
     * @param grid the grid
     */
    void write(int step, Picture grid);

    /**
     * @param runDir the run's folder
     * @param listener told when a grid cannot be written (training goes on)
     * @return a writer of {@code samples/step-NNNNNNN.png} files in it
     */
    static GridWriter into(Path runDir, TrainingListener listener) {
        return (step, grid) -> {
            try {
                AtomicFiles.write(runDir.resolve("samples").resolve(String.format(Locale.ROOT, "step-%07d.png", step)),
                        PngCodec.encode(grid, Map.of()));
            } catch (IOException e) {
                listener.onNote("could not write the sample grid in " + runDir + ": " + e.getMessage());
            }
        };
    }
}
