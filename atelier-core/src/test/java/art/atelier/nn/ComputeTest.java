package art.atelier.nn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ComputeTest {

    private static volatile float half = 0.5f; // read at run time, so the product is not folded by javac

    @Test
    void theEngineIsOfflineAndDenormalsAreFlushedOnX86Linux() {
        Compute.init();
        assertThat(System.getProperty("ai.djl.offline")).isEqualTo("true");
        assertThat(Compute.engineDescription()).startsWith("PyTorch 2.7.1 (cpu");
        boolean x86Linux = com.sun.jna.Platform.isLinux() && com.sun.jna.Platform.isIntel()
                && com.sun.jna.Platform.is64Bit();
        Compute.prepareThisThread(); // the test method was entered through a call stub that reset the mode
        float smallest = Float.MIN_NORMAL;
        assertThat(smallest * half == 0f).isEqualTo(x86Linux);
        assertThat(Compute.engineDescription().contains("denormals flushed")).isEqualTo(x86Linux);
        if (x86Linux) {
            // a product below the smallest normal float, computed by libtorch's worker threads too
            try (ai.djl.ndarray.NDManager m = Compute.newManager()) {
                ai.djl.ndarray.NDArray tiny = m.full(new ai.djl.ndarray.types.Shape(2_000_000), 1e-38f);
                ai.djl.ndarray.NDArray product = tiny.mul(tiny.getManager().create(0.01f));
                assertThat(product.max().getFloat()).isZero();
            }
        }
    }
}
