package art.atelier.nn;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * Tells the CPU to flush denormal floats to zero (the FTZ and DAZ bits of x86's MXCSR) on the
 * calling thread. libtorch does not do it by default, and denormals, which appear as attention
 * probabilities and Adam's second moments grow tiny late in training, cost an order of magnitude
 * more per element. libtorch's OpenMP workers are created by the first thread that runs a parallel
 * operation and inherit its mode, so {@link Compute#init} calls this before the engine starts.
 *
 * <p>It goes through glibc's {@code fegetenv}/{@code fesetenv} (whose x86-64 environment ends with
 * the MXCSR word) by JNA. Java arithmetic on the same thread then also flushes denormals: nothing in
 * Atelier depends on them. Elsewhere than x86-64 Linux it does nothing.
 */
final class Denormals {

    private static final int MXCSR_OFFSET = 28; // glibc's x86-64 fenv_t: 28 bytes of x87 state, then mxcsr
    private static final int FENV_SIZE = 32;
    private static final int FTZ = 0x8000; // flush results to zero
    private static final int DAZ = 0x0040; // read denormal inputs as zero

    private Denormals() {}

    /**
     * @return true if the calling thread now flushes denormals, false if this platform cannot
     */
    static boolean flushOnThisThread() {
        if (!Platform.isLinux() || !Platform.isIntel() || !Platform.is64Bit()) {
            return false;
        }
        try {
            NativeLibrary libm = NativeLibrary.getInstance("m");
            Function get = libm.getFunction("fegetenv");
            Function set = libm.getFunction("fesetenv");
            try (Memory env = new Memory(FENV_SIZE)) {
                if (get.invokeInt(new Object[] {env}) != 0) {
                    return false;
                }
                env.setInt(MXCSR_OFFSET, env.getInt(MXCSR_OFFSET) | FTZ | DAZ);
                return set.invokeInt(new Object[] {env}) == 0;
            }
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return false;
        }
    }
}
