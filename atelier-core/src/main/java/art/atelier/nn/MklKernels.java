package art.atelier.nn;

import com.sun.jna.Function;
import com.sun.jna.Library;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Lets Intel's MKL, which libtorch links in for its matrix products, use the kernels a CPU's
 * features allow whoever made it.
 *
 * <p>MKL chooses its kernels by the CPU's vendor as well as by its features: on a CPU that does not
 * say "GenuineIntel" it runs a generic AVX2 path even where the CPU has AVX-512. On the 2-core AMD
 * EPYC (Zen 5) these benchmarks run on, a 1024³ fp32 product through libtorch takes 146–169 GFLOP/s
 * that way and 363 GFLOP/s with the kernels its features allow; the baby GPT's training iteration
 * goes from 40 to 26 ms (docs/benchmarks.md). The vendor test is one function,
 * {@code mkl_serv_intel_cpu_true}, which remembers its answer in a variable that starts negative
 * ("not asked yet"); MKL's dispatcher reads that memory too. Before MKL's first call this class
 * writes 1 ("Intel-compatible") there, so MKL goes on to choose by the CPU's feature flags as it
 * does on an Intel CPU. It is the same change as the LD_PRELOAD shims in common use for MKL on AMD
 * processors, made inside the process.
 *
 * <p>It is done only on x86-64 Linux, on a CPU that is not Intel's, when the function's first
 * instructions are the ones expected (a load of that variable), and never if {@code
 * -Datelier.mkl=vendor} or {@code ATELIER_MKL=vendor} asks to keep MKL's own choice. Anything
 * unexpected leaves MKL as it is. The products stay correct (a test compares them with products
 * computed in Java) and deterministic on a given machine.
 */
final class MklKernels {

    private static final String VENDOR_TEST = "mkl_serv_intel_cpu_true";
    private static final int RTLD_LAZY = 0x1;
    private static final int RTLD_NOLOAD = 0x4; // the library is already loaded: never a second copy

    /** What was done, for the engine's description. */
    enum Outcome {
        /** MKL chooses by features: the vendor answer was set. */
        BY_FEATURES,
        /** An Intel CPU: MKL chooses by features anyway. */
        INTEL,
        /** Kept MKL's own choice, as asked. */
        KEPT,
        /** Not done: another platform, no MKL in libtorch, or code not as expected. */
        NOT_APPLICABLE
    }

    private MklKernels() {}

    /**
     * Call once libtorch is loaded and before its first matrix product.
     *
     * @return what was done
     */
    static Outcome chooseByFeatures() {
        String wish = System.getProperty("atelier.mkl", System.getenv("ATELIER_MKL"));
        if (wish != null && wish.trim().equalsIgnoreCase("vendor")) {
            return Outcome.KEPT;
        }
        if (!Platform.isLinux() || !Platform.isIntel() || !Platform.is64Bit()) {
            return Outcome.NOT_APPLICABLE;
        }
        try {
            if ("GenuineIntel".equals(vendor())) {
                return Outcome.INTEL;
            }
            Path torch = loaded("libtorch_cpu.so");
            if (torch == null) {
                return Outcome.NOT_APPLICABLE;
            }
            NativeLibrary lib = NativeLibrary.getInstance(torch.toString(),
                    Map.of(Library.OPTION_OPEN_FLAGS, RTLD_LAZY | RTLD_NOLOAD));
            Function test = lib.getFunction(VENDOR_TEST);
            Pointer answer = answerOf(test);
            if (answer == null || answer.getInt(0) >= 0) { // not the code expected, or MKL has already chosen
                return Outcome.NOT_APPLICABLE;
            }
            answer.setInt(0, 1);
            return Outcome.BY_FEATURES;
        } catch (UnsatisfiedLinkError | RuntimeException | IOException e) {
            return Outcome.NOT_APPLICABLE; // no MKL in this libtorch, or not the MKL this was written for
        }
    }

    /**
     * The variable the vendor test keeps its answer in, from the test's first instructions:
     * {@code mov eax, [rip + d]} (8B 05 d32), {@code test eax, eax} (85 C0), {@code js} (78): the
     * answer is at the end of the first instruction plus d.
     *
     * @param code the function's first bytes
     * @return the variable, or null where the code is not as expected
     */
    static Pointer answerOf(Pointer code) {
        byte[] head = code.getByteArray(0, 9);
        if (head[0] != (byte) 0x8B || head[1] != (byte) 0x05 || head[6] != (byte) 0x85 || head[7] != (byte) 0xC0
                || head[8] != (byte) 0x78) {
            return null;
        }
        return code.share(6L + code.getInt(2));
    }

    private static String vendor() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("vendor_id")) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return "";
    }

    /**
     * @param name a shared library's file name
     * @return where this process loaded it from, or null
     */
    static Path loaded(String name) throws IOException {
        List<String> maps = Files.readAllLines(Path.of("/proc/self/maps"));
        for (String line : maps) {
            int slash = line.indexOf('/');
            if (slash >= 0 && line.endsWith("/" + name)) {
                return Path.of(line.substring(slash));
            }
        }
        return null;
    }
}
