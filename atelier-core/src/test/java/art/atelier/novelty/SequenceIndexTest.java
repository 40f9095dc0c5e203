package art.atelier.novelty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import art.atelier.AtelierException;
import art.atelier.util.Rng;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class SequenceIndexTest {

    /** A small corpus and a work over a small alphabet, so that matches are frequent and varied. */
    record Case(List<int[]> corpus, int[] work) {
        @Override
        public String toString() {
            StringBuilder b = new StringBuilder("corpus=");
            corpus.forEach(d -> b.append(Arrays.toString(d)));
            return b.append(" work=").append(Arrays.toString(work)).toString();
        }
    }

    @Provide
    Arbitrary<Case> smallCases() {
        Arbitrary<Integer> alphabet = Arbitraries.integers().between(1, 4);
        return alphabet.flatMap(sigma -> {
            Arbitrary<int[]> seq = Arbitraries.integers().between(0, sigma - 1).array(int[].class).ofMaxSize(40);
            Arbitrary<int[]> workSeq = Arbitraries.integers().between(0, sigma).array(int[].class).ofMaxSize(40);
            return Combinators.combine(seq.list().ofMaxSize(5), workSeq).as(Case::new);
        });
    }

    /**
     * A corpus and a work stitched from a few shared motifs with random edits between them, so that
     * long runs occur, many suffixes share long prefixes, and the narrowed search is exercised.
     */
    @Provide
    Arbitrary<Case> motifCases() {
        return Arbitraries.longs().map(seed -> {
            Rng rng = new Rng(seed);
            int sigma = 2 + rng.nextInt(2);
            int[][] motifs = new int[3 + rng.nextInt(3)][];
            for (int k = 0; k < motifs.length; k++) {
                motifs[k] = new int[6 + rng.nextInt(14)];
                for (int i = 0; i < motifs[k].length; i++) {
                    motifs[k][i] = rng.nextInt(sigma);
                }
            }
            List<int[]> corpus = new ArrayList<>();
            for (int d = 1 + rng.nextInt(4); d > 0; d--) {
                corpus.add(stitch(motifs, rng, sigma));
            }
            return new Case(corpus, stitch(motifs, rng, sigma + 1));
        });
    }

    private static int[] stitch(int[][] motifs, Rng rng, int sigma) {
        List<Integer> out = new ArrayList<>();
        for (int parts = 1 + rng.nextInt(6); parts > 0; parts--) {
            int[] m = motifs[rng.nextInt(motifs.length)];
            int from = rng.nextInt(m.length / 2 + 1);
            for (int i = from; i < m.length; i++) {
                out.add(rng.nextInt(12) == 0 ? rng.nextInt(sigma) : m[i]);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    @Property(seed = "20261125", tries = 2000)
    void matchingStatisticsAgreeWithBruteForceOnRepetitiveCorpora(@ForAll("motifCases") Case c) {
        matchingStatisticsAgreeWithBruteForce(c);
    }

    /** The longest prefix of work[from..] found in any document, by looking everywhere. */
    private static int bruteLongest(List<int[]> corpus, int[] work, int from) {
        int best = 0;
        for (int[] d : corpus) {
            for (int s = 0; s < d.length; s++) {
                int k = 0;
                while (s + k < d.length && from + k < work.length && d[s + k] == work[from + k]) {
                    k++;
                }
                best = Math.max(best, k);
            }
        }
        return best;
    }

    private static boolean occursAt(List<int[]> corpus, int[] work, int from, int len, int doc, int off) {
        int[] d = corpus.get(doc);
        if (off < 0 || off + len > d.length) {
            return false;
        }
        return Arrays.equals(d, off, off + len, work, from, from + len);
    }

    @Property(seed = "20261125", tries = 400)
    void matchingStatisticsAgreeWithBruteForce(@ForAll("smallCases") Case c) {
        SequenceIndex index = SequenceIndex.build(c.corpus());
        SequenceIndex.Matches m = index.matches(c.work());
        assertThat(m.size()).isEqualTo(c.work().length);
        for (int i = 0; i < c.work().length; i++) {
            int expected = bruteLongest(c.corpus(), c.work(), i);
            assertThat(m.length(i)).as("position %d", i).isEqualTo(expected);
            assertThat(index.longestMatchAt(c.work(), i)).isEqualTo(expected);
            if (expected > 0) {
                assertThat(occursAt(c.corpus(), c.work(), i, expected, m.document(i), m.offset(i)))
                        .as("reported place of the match at %d", i).isTrue();
            } else {
                assertThat(m.document(i)).isEqualTo(-1);
            }
        }
        assertThat(index.longestMatchAt(c.work(), c.work().length)).isZero();
    }

    @Property(seed = "20261125", tries = 300)
    void coverageAndNgramNoveltyAgreeWithBruteForce(@ForAll("smallCases") Case c) {
        SequenceIndex index = SequenceIndex.build(c.corpus());
        int[] w = c.work();
        for (int minRun = 1; minRun <= 4; minRun++) {
            boolean[] covered = new boolean[w.length];
            for (int s = 0; s < w.length; s++) {
                for (int e = s + minRun; e <= w.length; e++) {
                    if (bruteLongest(c.corpus(), w, s) >= e - s) {
                        Arrays.fill(covered, s, e, true);
                    }
                }
            }
            int count = 0;
            for (boolean b : covered) {
                count += b ? 1 : 0;
            }
            SequenceIndex.Shared shared = index.shared(w, minRun);
            assertThat(shared.coverage()).isEqualTo(w.length == 0 ? 0.0 : count / (double) w.length, offset(1e-12));
            int longest = 0;
            int first = -1;
            for (int s = 0; s < w.length; s++) {
                int l = bruteLongest(c.corpus(), w, s);
                if (l > longest) {
                    longest = l;
                    first = s;
                }
            }
            assertThat(shared.length()).isEqualTo(longest);
            assertThat(shared.workStart()).isEqualTo(first);
            if (longest > 0) {
                assertThat(occursAt(c.corpus(), w, first, longest, shared.document(), shared.offset())).isTrue();
            }
        }
        for (int n = 1; n <= 4; n++) {
            int grams = Math.max(0, w.length - n + 1);
            int novel = 0;
            for (int s = 0; s < grams; s++) {
                if (!occursAnywhere(c.corpus(), Arrays.copyOfRange(w, s, s + n))) {
                    novel++;
                }
            }
            double nov = index.ngramNovelty(w, n);
            if (grams == 0) {
                assertThat(nov).isNaN();
            } else {
                assertThat(nov).isEqualTo(novel / (double) grams, offset(1e-12));
            }
        }
    }

    private static boolean occursAnywhere(List<int[]> corpus, int[] gram) {
        for (int[] d : corpus) {
            for (int s = 0; s + gram.length <= d.length; s++) {
                if (Arrays.equals(d, s, s + gram.length, gram, 0, gram.length)) {
                    return true;
                }
            }
        }
        return false;
    }

    @Property(seed = "20261125", tries = 200)
    void theSuffixArrayIsSorted(@ForAll("smallCases") Case c) {
        // The text with a unique smallest sentinel, as the index lays it out.
        List<Integer> t = new ArrayList<>();
        for (int[] d : c.corpus()) {
            for (int v : d) {
                t.add(v + 2);
            }
            t.add(1);
        }
        if (t.isEmpty()) {
            t.add(0);
        } else {
            t.set(t.size() - 1, 0);
        }
        int[] s = t.stream().mapToInt(Integer::intValue).toArray();
        int[] sa = SequenceIndex.suffixArray(s, 2 + 4 + 1);
        Integer[] expected = new Integer[s.length];
        for (int i = 0; i < s.length; i++) {
            expected[i] = i;
        }
        Arrays.sort(expected, (a, b) -> Arrays.compare(s, a, s.length, s, b, s.length));
        assertThat(Arrays.stream(sa).boxed().toArray(Integer[]::new)).containsExactly(expected);
    }

    @Example
    void aMatchNeverCrossesFromOneDocumentIntoTheNext() {
        SequenceIndex index = SequenceIndex.build(List.of(new int[] {1, 2, 3}, new int[] {4, 5, 6}));
        assertThat(index.longestMatchAt(new int[] {2, 3, 4, 5}, 0)).isEqualTo(2);
        assertThat(index.longestMatchAt(new int[] {2, 3, 4, 5}, 2)).isEqualTo(2);
        assertThat(index.documents()).isEqualTo(2);
        assertThat(index.documentLength(1)).isEqualTo(3);
        assertThat(index.symbols()).isEqualTo(6);
    }

    @Example
    void symbolsOutsideTheCorpusNeverMatchWhateverTheirValue() {
        SequenceIndex index = SequenceIndex.build(List.of(new int[] {Integer.MIN_VALUE, -1, 0, Integer.MAX_VALUE}));
        assertThat(index.matches(new int[] {-1, 0, Integer.MAX_VALUE, 7, Integer.MIN_VALUE}).length(0)).isEqualTo(3);
        int[] work = {7, 8, 9};
        assertThat(index.shared(work, 1)).isEqualTo(new SequenceIndex.Shared(0, -1, -1, -1, 0.0));
        assertThat(index.ngramNovelty(work, 1)).isEqualTo(1.0);
    }

    @Example
    void ngramNoveltyByHand() {
        // corpus "abcab" | "xyz"; work "abcxyzab": bigrams ab bc cx xy yz za ab → cx and za are new: 2/7
        SequenceIndex index = SequenceIndex.build(List.of(new int[] {'a', 'b', 'c', 'a', 'b'}, new int[] {'x', 'y', 'z'}));
        int[] work = {'a', 'b', 'c', 'x', 'y', 'z', 'a', 'b'};
        assertThat(index.ngramNovelty(work, 2)).isEqualTo(2 / 7.0);
        // trigrams abc bcx cxy xyz yza zab → only abc and xyz occur: 4/6
        assertThat(index.ngramNovelty(work, 3)).isEqualTo(4 / 6.0);
        assertThat(index.ngramNovelty(work, 9)).isNaN();
        // runs of at least 3: abc (0..3) and xyz (3..6) → 6 of 8 positions
        SequenceIndex.Shared s = index.shared(work, 3);
        assertThat(s.coverage()).isEqualTo(6 / 8.0);
        assertThat(s).extracting(SequenceIndex.Shared::length, SequenceIndex.Shared::workStart,
                SequenceIndex.Shared::document, SequenceIndex.Shared::offset).containsExactly(3, 0, 0, 0);
    }

    @Example
    void anEmptyCorpusAndAnEmptyWorkAreAnswered() {
        SequenceIndex none = SequenceIndex.build(List.of());
        assertThat(none.matches(new int[] {1, 2}).length(0)).isZero();
        SequenceIndex one = SequenceIndex.build(List.of(new int[0], new int[] {3}));
        assertThat(one.shared(new int[0], 1)).isEqualTo(new SequenceIndex.Shared(0, -1, -1, -1, 0.0));
        assertThat(one.longestMatchAt(new int[] {3, 3}, 1)).isEqualTo(1);
    }

    @Example
    void aRepetitiveCorpusIsSearchedCorrectly() {
        int[] as = new int[5000];
        Arrays.fill(as, 7);
        int[] work = new int[3000];
        Arrays.fill(work, 7);
        work[2000] = 8;
        SequenceIndex index = SequenceIndex.build(List.of(as, Arrays.copyOf(as, 100)));
        SequenceIndex.Matches m = index.matches(work);
        assertThat(m.length(0)).isEqualTo(2000);
        assertThat(m.length(1999)).isEqualTo(1);
        assertThat(m.length(2000)).isZero();
        assertThat(m.length(2001)).isEqualTo(999);
    }

    @Example
    void writeThenReadGivesTheSameAnswers() throws IOException {
        Rng rng = new Rng(5);
        List<int[]> corpus = new ArrayList<>();
        for (int d = 0; d < 20; d++) {
            int[] doc = new int[rng.nextInt(200)];
            for (int i = 0; i < doc.length; i++) {
                doc[i] = rng.nextInt(6) - 3;
            }
            corpus.add(doc);
        }
        SequenceIndex index = SequenceIndex.build(corpus);
        byte[] bytes = bytesOf(index);
        SequenceIndex back = SequenceIndex.read(new DataInputStream(new ByteArrayInputStream(bytes)));
        int[] work = new int[500];
        for (int i = 0; i < work.length; i++) {
            work[i] = rng.nextInt(7) - 3;
        }
        for (int i = 0; i < work.length; i++) {
            assertThat(back.longestMatchAt(work, i)).isEqualTo(index.longestMatchAt(work, i));
        }
        assertThat(back.shared(work, 5)).isEqualTo(index.shared(work, 5));
        assertThat(bytesOf(back)).isEqualTo(bytes);
    }

    @Example
    void aForeignCorruptOrTruncatedIndexIsRefused() throws IOException {
        byte[] bytes = bytesOf(SequenceIndex.build(List.of(new int[] {1, 2, 3, 4})));
        byte[] foreign = bytes.clone();
        foreign[0] = 'P';
        assertThatThrownBy(() -> read(foreign)).isInstanceOf(AtelierException.class)
                .hasMessageContaining("x.idx is not a sequence index");
        byte[] newer = bytes.clone();
        newer[7] = 9;
        assertThatThrownBy(() -> read(newer)).isInstanceOf(AtelierException.class)
                .hasMessage("x.idx holds a sequence index of format 9; this version reads format 1");
        byte[] flipped = bytes.clone();
        flipped[bytes.length - 12] ^= 1; // a symbol
        assertThatThrownBy(() -> read(flipped)).isInstanceOf(AtelierException.class).hasMessageContaining("checksum");
        assertThatThrownBy(() -> read(Arrays.copyOf(bytes, bytes.length - 3))).isInstanceOf(EOFException.class);
        // a corrupt count of a billion documents runs out of input, not out of memory
        byte[] huge = Arrays.copyOf(bytes, 16);
        huge[8] = 0x3F;
        assertThatThrownBy(() -> read(huge)).isInstanceOf(EOFException.class);
    }

    private static SequenceIndex read(byte[] bytes) throws IOException {
        return SequenceIndex.read(new DataInputStream(new ByteArrayInputStream(bytes)), "x.idx");
    }

    private static byte[] bytesOf(SequenceIndex index) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bo)) {
            index.write(out);
        }
        return bo.toByteArray();
    }

    @Example
    void twoMillionSymbolsBuildInACoupleOfSeconds() {
        Rng rng = new Rng(11);
        List<int[]> corpus = new ArrayList<>();
        for (int d = 0; d < 200; d++) {
            int[] doc = new int[10_000];
            for (int i = 0; i < doc.length; i++) {
                // a skewed alphabet of 40 symbols with repeats, like letters in text
                doc[i] = i > 50 && rng.nextInt(10) == 0 ? doc[i - 50] : (int) Math.floor(40 * Math.pow(rng.nextDouble(), 2));
            }
            corpus.add(doc);
        }
        long t0 = System.nanoTime();
        SequenceIndex index = SequenceIndex.build(corpus);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("SequenceIndex: 2,000,000 symbols built in %.2f s%n", seconds);
        assertThat(index.symbols()).isEqualTo(2_000_000);
        assertThat(seconds).isLessThan(4.0); // the target is ~2 s; the margin absorbs a busy machine
        int[] copy = Arrays.copyOfRange(corpus.get(17), 1000, 3000);
        assertThat(index.shared(copy, 8).coverage()).isEqualTo(1.0);
    }
}
