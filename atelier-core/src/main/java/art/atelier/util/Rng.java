package art.atelier.util;

import java.util.Arrays;

/**
 * A small, fast random generator whose whole state is four longs, so that a training run can save it
 * in a checkpoint and resume exactly. xoshiro256** (Blackman and Vigna), seeded through SplitMix64.
 * Not thread-safe; not for cryptography.
 */
public final class Rng {

    private final long[] s = new long[4]; // the generator's state

    /** @param seed any value; equal seeds give equal streams */
    public Rng(long seed) {
        long x = seed;
        for (int i = 0; i < 4; i++) {
            x += 0x9E3779B97F4A7C15L;
            long z = x;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            s[i] = z ^ (z >>> 31);
        }
    }

    private Rng(long[] state) {
        System.arraycopy(state, 0, s, 0, 4);
    }

    /**
     * @param state a state from {@link #state()}
     * @return a generator that continues exactly where the saved one stood
     */
    public static Rng restore(long[] state) {
        if (state == null || state.length != 4 || Arrays.stream(state).allMatch(v -> v == 0)) {
            throw new IllegalArgumentException("a generator state is four longs, not all zero");
        }
        return new Rng(state);
    }

    /** @return a copy of the state, for a checkpoint */
    public long[] state() {
        return s.clone();
    }

    /** @return the next 64 random bits */
    public long nextLong() {
        long result = Long.rotateLeft(s[1] * 5, 7) * 9;
        long t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = Long.rotateLeft(s[3], 45);
        return result;
    }

    /**
     * @param bound exclusive upper bound, positive
     * @return a uniform integer in [0, bound), without modulo bias
     */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
        long r = (nextLong() >>> 33); // 31 bits
        long m = r * bound;
        long l = m & 0x7FFFFFFFL;
        if (l < bound) {
            long t = (0x80000000L - bound) % bound;
            while (l < t) {
                r = nextLong() >>> 33;
                m = r * bound;
                l = m & 0x7FFFFFFFL;
            }
        }
        return (int) (m >>> 31);
    }

    /** @return a uniform double in [0, 1) with 53 random bits */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** @return a standard normal value (Box–Muller; no cached spare, so the state stays four longs) */
    public double nextGaussian() {
        double u1;
        do {
            u1 = nextDouble();
        } while (u1 <= 0.0);
        double u2 = nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    /**
     * A generator for a named sub-stream, independent of this one and not advancing it.
     *
     * @param salt what the sub-stream is for
     * @return a new generator
     */
    public Rng fork(long salt) {
        return new Rng(s[0] ^ Long.rotateLeft(s[2], 21) ^ (salt * 0x9E3779B97F4A7C15L));
    }
}
