package art.atelier.cli;

import art.atelier.train.TrainingListener;
import art.atelier.train.TrainingResult;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/**
 * Draws the training metrics stream on standard error: a bar redrawn in place on a terminal, or a
 * line every tenth of the run when the output is a file or a pipe.
 */
final class ProgressBar implements TrainingListener {

    private static final int WIDTH = 24;

    private final PrintWriter err;
    private final boolean terminal;
    private String name = "";
    private int start;
    private int lastPrinted = -1;
    private Map<String, Double> eval = Map.of();
    private long lastDraw;

    ProgressBar(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    @Override
    public void onStart(String model, int startStep, int totalSteps) {
        name = model;
        start = startStep;
        err.printf(Locale.ROOT, "training %s: steps %d to %d%n", model, startStep, totalSteps);
        err.flush();
    }

    @Override
    public void onNote(String message) {
        clearLine();
        err.println("note: " + message);
        err.flush();
    }

    @Override
    public void onStep(StepReport r) {
        if (terminal) {
            long now = System.nanoTime();
            if (now - lastDraw < 100_000_000L && r.step() != r.totalSteps()) {
                return;
            }
            lastDraw = now;
            err.print("\r" + line(r) + "\u001b[K");
            err.flush();
        } else {
            int tenth = (int) (10L * (r.step() - start) / Math.max(1, r.totalSteps() - start));
            if (tenth != lastPrinted || r.step() == r.totalSteps()) {
                lastPrinted = tenth;
                err.println(line(r));
                err.flush();
            }
        }
    }

    private String line(StepReport r) {
        double done = (double) r.step() / r.totalSteps();
        int filled = (int) Math.round(done * WIDTH);
        StringBuilder s = new StringBuilder();
        s.append(name).append(" [").append("#".repeat(filled)).append("-".repeat(WIDTH - filled)).append("] ");
        s.append(String.format(Locale.ROOT, "%3d%% %d/%d", (int) (done * 100), r.step(), r.totalSteps()));
        Double loss = r.metrics().get("loss");
        if (loss != null) {
            s.append(String.format(Locale.ROOT, "  loss %.4f", loss));
        }
        Double d = r.metrics().get("d_loss");
        Double g = r.metrics().get("g_loss");
        if (d != null && g != null) {
            s.append(String.format(Locale.ROOT, "  D %.3f  G %.3f", d, g));
        }
        Double val = eval.get("val_loss");
        if (val != null) {
            s.append(String.format(Locale.ROOT, "  val %.4f", val));
        }
        s.append(String.format(Locale.ROOT, "  %.1f it/s  ETA %s", r.stepsPerSecond(), clock(r.etaSeconds())));
        return s.toString();
    }

    static String clock(double seconds) {
        long s = Math.max(0, Math.round(seconds));
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    @Override
    public void onEvaluation(int step, Map<String, Double> metrics) {
        eval = metrics;
        if (!terminal) {
            StringBuilder s = new StringBuilder("eval at step " + step + ":");
            metrics.forEach((k, v) -> s.append(String.format(Locale.ROOT, " %s %.4f", k, v)));
            err.println(s);
            err.flush();
        }
    }

    @Override
    public void onEnd(TrainingResult result) {
        if (terminal) {
            err.println();
        }
        err.flush();
    }

    private void clearLine() {
        if (terminal) {
            err.print("\r\u001b[K");
        }
    }
}
