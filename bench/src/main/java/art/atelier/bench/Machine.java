package art.atelier.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import art.atelier.nn.Compute;
import art.atelier.util.Stats;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the benchmark ran on, and the yardsticks it measures itself: the fp32 matmul rate and memory. */
final class Machine {

    private Machine() {}

    /** @return "AMD EPYC, 2 cores, 23 GiB; Linux 6.x; Java 17; PyTorch 2.7.1 (cpu, 2 threads)" */
    static String describe() {
        String cpu = "unknown CPU";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (IOException e) {
            // not Linux: keep "unknown CPU"
        }
        long mem = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal")) {
                    mem = Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024 / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // unknown
        }
        return cpu + ", " + Runtime.getRuntime().availableProcessors() + " cores, " + mem + " GiB; "
                + System.getProperty("os.name") + " " + System.getProperty("os.version") + "; Java "
                + System.getProperty("java.version") + "; " + Compute.engineDescription();
    }

    /**
     * The machine's fp32 matrix-multiply rate through libtorch: the median of several 1024³ products.
     *
     * @return GFLOP/s
     */
    static double matmulGflops() {
        try (NDManager m = Compute.newManager()) {
            NDArray a = m.randomNormal(new Shape(1024, 1024));
            NDArray b = m.randomNormal(new Shape(1024, 1024));
            double[] rates = new double[15];
            for (int i = -10; i < rates.length; i++) {
                try (NDManager s = m.newSubManager()) {
                    long t = System.nanoTime();
                    a.matMul(b).attach(s);
                    double sec = (System.nanoTime() - t) / 1e9;
                    if (i >= 0) {
                        rates[i] = 2.0 * 1024 * 1024 * 1024 / sec / 1e9;
                    }
                }
            }
            return Stats.median(rates);
        }
    }

    /** @return the 1, 5 and 15 minute load averages (Linux), or "unknown" */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + ", " + f[1] + ", " + f[2];
        } catch (IOException | ArrayIndexOutOfBoundsException e) {
            return "unknown";
        }
    }

    /** @return this process's resident memory in MiB (Linux), or -1 */
    static double rssMiB() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/self/status"));
            for (String l : lines) {
                if (l.startsWith("VmRSS:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
