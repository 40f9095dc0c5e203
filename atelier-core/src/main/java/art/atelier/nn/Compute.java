package art.atelier.nn;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;

import java.util.Locale;

/**
 * The one place that decides where tensors live and how the engine is set up. Everything that makes
 * an NDManager or a Model asks here, so adding a GPU later means changing this class only.
 *
 * <p>Setting up means: DJL offline (nothing is downloaded at run time), usage tracking off, the
 * PyTorch engine, libtorch's intra-op threads equal to the cores the JVM sees, denormal floats
 * flushed to zero ({@link Denormals}; {@code -Datelier.keepDenormals=true} turns that off), and MKL's
 * matrix products allowed the kernels the CPU's features allow whoever made it ({@link MklKernels};
 * {@code -Datelier.mkl=vendor} keeps MKL's vendor-based choice). {@code
 * ATELIER_DEVICE} (or {@code -Datelier.device}) may name {@code cpu} (the default) or {@code gpu}.
 */
public final class Compute {

    private static volatile boolean ready;
    private static boolean flushDenormals; // whether denormal floats are flushed to zero
    private static MklKernels.Outcome mkl = MklKernels.Outcome.NOT_APPLICABLE; // how MKL chooses its kernels

    private Compute() {}

    /** Sets the engine up once; safe to call from anywhere, any number of times. */
    public static void init() {
        if (ready) {
            return;
        }
        synchronized (Compute.class) {
            if (ready) {
                return;
            }
            System.setProperty("ai.djl.offline", "true");
            System.setProperty("OPT_OUT_TRACKING", "true");
            System.setProperty("ai.djl.default_engine", "PyTorch");
            // Nothing here runs two ops at once: one inter-op thread, every core for intra-op work.
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
            System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(
                    Integer.getInteger("atelier.threads", Runtime.getRuntime().availableProcessors())));
            System.setProperty("ai.djl.pytorch.graph_optimizer", "false");
            flushDenormals = !Boolean.getBoolean("atelier.keepDenormals") && Denormals.flushOnThisThread();
            Engine engine = Engine.getEngine("PyTorch");
            mkl = MklKernels.chooseByFeatures(); // libtorch is loaded; MKL has not run yet
            if (engine.getGpuCount() == 0 && wantsGpu()) {
                throw new art.atelier.AtelierException(
                        "ATELIER_DEVICE asks for a GPU, but the PyTorch engine sees none");
            }
            ready = true;
        }
    }

    private static String requested() {
        String v = System.getProperty("atelier.device", System.getenv("ATELIER_DEVICE"));
        return v == null ? "cpu" : v.trim().toLowerCase(Locale.ROOT);
    }

    private static boolean wantsGpu() {
        return requested().startsWith("gpu") || requested().startsWith("cuda");
    }

    /** @return the device every tensor of this process lives on */
    public static Device device() {
        init();
        return wantsGpu() ? Device.gpu() : Device.cpu();
    }

    /** @return a new root manager on {@link #device()}; the caller closes it */
    public static NDManager newManager() {
        init();
        return NDManager.newBaseManager(device(), "PyTorch");
    }

    /** @return "PyTorch 2.7.1 (cpu, 2 threads, denormals flushed, MKL kernels by CPU features)" */
    public static String engineDescription() {
        init();
        Engine e = Engine.getEngine("PyTorch");
        return e.getEngineName() + " " + e.getVersion() + " (" + (device().isGpu() ? "gpu" : "cpu") + ", "
                + JniUtils.getNumThreads() + " threads" + (flushDenormals ? ", denormals flushed" : "")
                + (mkl == MklKernels.Outcome.BY_FEATURES ? ", MKL kernels by CPU features" : "")
                + (mkl == MklKernels.Outcome.KEPT ? ", MKL kernels by vendor" : "") + ")";
    }

    /**
     * Flushes denormals on the calling thread before it runs operations. {@link #init} does it for
     * the thread that sets the engine up, but HotSpot restores the standard floating-point mode
     * whenever native code calls into Java (a reflective call, a thread's start), so code that runs
     * work (the training loop, a server's worker) calls this where the work starts. A no-op where the
     * platform cannot.
     */
    public static void prepareThisThread() {
        init();
        if (flushDenormals) {
            Denormals.flushOnThisThread();
        }
    }

    /**
     * Seeds libtorch's own generator (used by dropout and weight initialisation).
     *
     * @param seed the seed
     */
    public static void seed(long seed) {
        init();
        JniUtils.setSeed(seed);
    }
}
