package art.atelier.novelty;

import art.atelier.music.Piece;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A 64-bit near-duplicate fingerprint of a work (Charikar 2002, "Similarity Estimation Techniques
 * from Rounding Algorithms"; as Manku, Jain and Das Sarma 2007 used it to find near-duplicate web
 * pages): works that share most of their shingles get hashes a few bits apart, so the catalog can
 * store one long per work and call two works near-identical at a small {@link #hamming Hamming
 * distance}.
 *
 * <p>The hash: every shingle (run of {@code k} consecutive symbols; a sequence shorter than k is one
 * shingle) is hashed to 64 bits; each bit position sums +1 for every shingle with that bit set and −1
 * for every one without, counting repeated shingles each time; bit i of the fingerprint is set where
 * the sum is positive. Two works' fingerprints then differ in each bit with probability θ/π, θ the
 * angle between their shingle-count vectors.
 *
 * <p>Per medium (thresholds measured on the tests' constructed works, 200 trials each):
 * <ul>
 *   <li><b>Text</b> ({@link #ofText}): shingles of {@value #TEXT_SHINGLE} code points, after lower-casing
 *       and turning every run of white space into one space. Near-identical at ≤ {@value #TEXT_NEAR}
 *       bits: a one-word edit of a 500-word text moved the fingerprint by at most 6 bits (of a 100-word
 *       text, by at most 11), while unrelated texts — even ones drawn from the same vocabulary — stayed
 *       19 or more bits apart. Shorter shingles let unrelated texts of one vocabulary come closer
 *       (14 bits at 6 code points, 4 at 3).
 *   <li><b>Music</b> ({@link #ofMusic}): shingles of {@value #MUSIC_SHINGLE} melody symbols
 *       ({@link MusicNovelty#lines}: interval and duration, so a transposed copy hashes the same) within
 *       each line. Near-identical at ≤ {@value #MUSIC_NEAR} bits: changing one note's pitch in a piece
 *       of 64 melody and 16 bass notes changes two symbols and moved the fingerprint by at most 14 bits,
 *       while unrelated pieces stayed 21 or more bits apart. Pieces are short next to texts, so one
 *       note weighs more than one word: the threshold is wider and the margin narrower.
 * </ul>
 */
public final class SimHash {

    /** Shingle length for text, in code points. */
    public static final int TEXT_SHINGLE = 8;

    /** Shingle length for music, in melody notes. */
    public static final int MUSIC_SHINGLE = 4;

    /** The largest Hamming distance at which two texts are near-identical. */
    public static final int TEXT_NEAR = 12;

    /** The largest Hamming distance at which two pieces are near-identical. */
    public static final int MUSIC_NEAR = 16;

    private SimHash() {}

    /**
     * @param symbols a sequence
     * @param shingle the shingle length, ≥ 1
     * @return its fingerprint (0 for an empty sequence)
     */
    public static long of(int[] symbols, int shingle) {
        return of(List.of(symbols), shingle);
    }

    /**
     * @param sequences sequences whose shingles are pooled (no shingle spans two of them)
     * @param shingle the shingle length, ≥ 1
     * @return their fingerprint (0 if all are empty)
     */
    public static long of(List<int[]> sequences, int shingle) {
        if (shingle < 1) {
            throw new IllegalArgumentException("a shingle needs at least one symbol, was " + shingle);
        }
        long[] sums = new long[64];
        for (int[] s : sequences) {
            if (s.length == 0) {
                continue;
            }
            int last = Math.max(0, s.length - shingle);
            for (int i = 0; i <= last; i++) {
                long h = shingleHash(s, i, Math.min(shingle, s.length - i));
                for (int b = 0; b < 64; b++) {
                    sums[b] += ((h >>> b) & 1L) == 1L ? 1 : -1;
                }
            }
        }
        long out = 0;
        for (int b = 0; b < 64; b++) {
            if (sums[b] > 0) {
                out |= 1L << b;
            }
        }
        return out;
    }

    /**
     * @param text any text
     * @return its fingerprint: shingles of {@value #TEXT_SHINGLE} code points of the text lower-cased
     *     (root locale) with white space runs made single spaces and trimmed
     */
    public static long ofText(String text) {
        String norm = text.toLowerCase(Locale.ROOT).strip();
        int[] cps = norm.codePoints().toArray();
        int[] out = new int[cps.length];
        int n = 0;
        for (int cp : cps) {
            boolean space = Character.isWhitespace(cp) || Character.isSpaceChar(cp);
            if (space) {
                if (n > 0 && out[n - 1] != ' ') {
                    out[n++] = ' ';
                }
            } else {
                out[n++] = cp;
            }
        }
        return of(java.util.Arrays.copyOf(out, n), TEXT_SHINGLE);
    }

    /**
     * @param piece any piece
     * @return its fingerprint: shingles of {@value #MUSIC_SHINGLE} symbols within each melody line
     */
    public static long ofMusic(Piece piece) {
        List<int[]> lines = new ArrayList<>();
        for (MusicNovelty.Line l : MusicNovelty.lines(piece)) {
            lines.add(l.symbols());
        }
        return of(lines, MUSIC_SHINGLE);
    }

    /**
     * @param a a fingerprint
     * @param b another
     * @return how many bits differ, 0 to 64
     */
    public static int hamming(long a, long b) {
        return Long.bitCount(a ^ b);
    }

    /** A 64-bit hash of s[from .. from+len), with its length mixed in (SplitMix64's finaliser per step). */
    private static long shingleHash(int[] s, int from, int len) {
        long h = 0x6A09E667F3BCC909L ^ len;
        for (int i = from; i < from + len; i++) {
            h = mix(h + (s[i] & 0xFFFFFFFFL) * 0x9E3779B97F4A7C15L);
        }
        return h;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
