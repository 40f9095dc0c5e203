package art.atelier.train;

import art.atelier.util.Json;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Keeps a run's metrics stream as JSON lines (one event per line), e.g. in the workspace's logs/. */
public final class MetricsLog implements TrainingListener, AutoCloseable {

    private final BufferedWriter out;
    private final int every; // write every Nth step event (evaluations and checkpoints always)

    /**
     * @param file the log file; appended to, so a resumed run continues the same log
     * @param every write one step event in this many
     * @throws IOException if it cannot be opened
     */
    public MetricsLog(Path file, int every) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        this.every = Math.max(1, every);
    }

    private void write(String event, Map<String, Object> fields) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", event);
        line.put("time", Instant.now().toString());
        line.putAll(fields);
        try {
            out.write(Json.compact(line));
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void onStart(String name, int startStep, int totalSteps) {
        write("start", Map.of("model", name, "from_step", startStep, "to_step", totalSteps));
    }

    @Override
    public void onStep(StepReport r) {
        if (r.step() % every == 0 || r.step() == r.totalSteps()) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("step", r.step());
            f.putAll(r.metrics());
            f.put("steps_per_second", r.stepsPerSecond());
            write("step", f);
        }
    }

    @Override
    public void onEvaluation(int step, Map<String, Double> metrics) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("step", step);
        f.putAll(metrics);
        write("eval", f);
    }

    @Override
    public void onCheckpoint(int step, Path directory) {
        write("checkpoint", Map.of("step", step, "path", directory.toString()));
    }

    @Override
    public void onEnd(TrainingResult result) {
        write("end", Map.of("step", result.step(), "stopped", result.stopped(), "wall_seconds", result.wallSeconds()));
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
