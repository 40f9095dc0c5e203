package art.atelier.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import com.sun.jna.Memory;
import com.sun.jna.Platform;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.Test;

class MklKernelsTest {

    @Test
    void onACpuNotMadeByIntelMklChoosesByFeatures() throws Exception {
        Compute.init();
        boolean x86Linux = Platform.isLinux() && Platform.isIntel() && Platform.is64Bit();
        String vendor = x86Linux ? Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                .filter(l -> l.startsWith("vendor_id")).findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim())
                .orElse("") : "";
        boolean expected = x86Linux && !vendor.equals("GenuineIntel") && System.getProperty("atelier.mkl") == null
                && System.getenv("ATELIER_MKL") == null;
        assertThat(Compute.engineDescription().contains("MKL kernels by CPU features")).as(Compute.engineDescription())
                .isEqualTo(expected);
    }

    /** The products of the shapes a GPT and a GAN use, and a large one, equal the products computed in Java. */
    @Test
    void productsAreRight() {
        Compute.init();
        int[][] shapes = {{768, 128, 384}, {768, 512, 128}, {128, 768, 384}, {64, 100, 4096}, {300, 1024, 257}};
        Random r = new Random(3);
        try (NDManager m = Compute.newManager()) {
            for (int[] s : shapes) {
                float[] a = new float[s[0] * s[1]];
                float[] b = new float[s[1] * s[2]];
                for (int i = 0; i < a.length; i++) {
                    a[i] = (float) r.nextGaussian();
                }
                for (int i = 0; i < b.length; i++) {
                    b[i] = (float) r.nextGaussian();
                }
                NDArray c = m.create(a, new Shape(s[0], s[1])).matMul(m.create(b, new Shape(s[1], s[2])));
                NDArray ct = m.create(b, new Shape(s[1], s[2])).transpose().matMul(
                        m.create(a, new Shape(s[0], s[1])).transpose()); // (n, m): the transposed layouts
                float[] got = c.toFloatArray();
                float[] gotT = ct.toFloatArray();
                for (int i = 0; i < s[0]; i += 7) {
                    for (int j = 0; j < s[2]; j += 5) {
                        double want = 0;
                        for (int k = 0; k < s[1]; k++) {
                            want += (double) a[i * s[1] + k] * b[k * s[2] + j];
                        }
                        assertThat((double) got[i * s[2] + j]).as("%s at (%d, %d)", java.util.Arrays.toString(s), i, j)
                                .isCloseTo(want, within(1e-3 * Math.sqrt(s[1])));
                        assertThat((double) gotT[j * s[0] + i]).isCloseTo(want, within(1e-3 * Math.sqrt(s[1])));
                    }
                }
            }
        }
    }

    @Test
    void theAnswerIsFoundOnlyBehindTheExpectedInstructions() {
        try (Memory code = new Memory(16)) {
            byte[] expected = {(byte) 0x8B, 0x05, 0x10, 0x00, 0x00, 0x00, (byte) 0x85, (byte) 0xC0, 0x78, 0x01};
            code.write(0, expected, 0, expected.length);
            assertThat(MklKernels.answerOf(code)).isEqualTo(code.share(6 + 0x10));
            code.setByte(8, (byte) 0x79); // jns: another function
            assertThat(MklKernels.answerOf(code)).isNull();
            code.setByte(8, (byte) 0x78);
            code.setByte(1, (byte) 0x0D); // mov ecx: another function
            assertThat(MklKernels.answerOf(code)).isNull();
        }
    }
}
