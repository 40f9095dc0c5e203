package art.atelier.novelty;

import art.atelier.AtelierException;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A suffix array over a corpus of int sequences ("documents"), answering how much of a work occurs
 * in the corpus: for every position of the work, the longest run starting there that also occurs in
 * some document (its <i>matching statistic</i>). A run never crosses from one document into the next.
 *
 * <p>Symbols are any ints; a work's symbols that never occur in the corpus never match.
 *
 * <p>Building: the documents are laid end to end, each followed by a separator (the last by a
 * sentinel), and the suffix array is built by induced sorting (SA-IS, Nong, Zhang and Chan 2009,
 * "Linear Suffix Array Construction by Almost Pure Induced-Sorting"), in O(n) time; then the inverse
 * suffix array and the LCP array (Kasai et al. 2001), with the common prefix of two suffixes cut at
 * the first separator, and a range-minimum table over blocks of the LCP array. Memory: about 16 bytes
 * per corpus symbol plus the table; two million symbols build in well under two seconds.
 *
 * <p>Querying: {@link #matches(int[])} finds each position's longest run by a binary search over the
 * suffix array that skips the prefix already known to match (Manber and Myers 1993). From one position
 * to the next the known match shrinks by at most one symbol, so once it is long (8 symbols or more)
 * the search for position i + 1 is confined to the suffixes sharing that shorter prefix (their bounds
 * found on the LCP array) and compares only beyond it: O(m log n) for a work of m symbols, whatever
 * the runs' lengths (an exact copy of a 2,000-symbol passage is scored as fast as a fresh work).
 *
 * <p>Saved form ({@link #write}): the documents themselves, with a magic number, a format version and
 * a checksum; the suffix array is rebuilt on reading, so a saved index can never hold a suffix array
 * that disagrees with its documents.
 */
public final class SequenceIndex {

    /** The first four bytes of a saved index: "ASQX". */
    static final int MAGIC = 0x41535158;

    /** The saved-index format this build writes and reads. */
    static final int FORMAT = 1;

    /** The largest corpus, in symbols plus one per document. */
    static final int MAX_LENGTH = 1 << 30;

    private static final int SENTINEL = 0; // ends the text; smaller than every other code
    private static final int SEPARATOR = 1; // after every document but the last
    private static final int FIRST_CODE = 2; // the code of alphabet[0]
    private static final int UNKNOWN = -1; // the code of a work's symbol the corpus lacks
    private static final int BLOCK_SHIFT = 6; // range-minimum blocks of 64 LCP entries

    /**
     * A search is confined to the suffixes sharing the known match only from this length on: shorter
     * known prefixes select so many suffixes that finding their bounds costs more than the few
     * symbols of the known prefix a full search would compare again.
     */
    private static final int NARROW_FROM = 8;

    private final int[] alphabet; // (σ) the distinct corpus symbols, ascending; symbol alphabet[k] has code k + 2
    private final int[] docStart; // (D) where each document starts in text
    private final int[] text; // (N) codes: documents, each followed by SEPARATOR, the last by SENTINEL
    private final int[] sa; // (N) suffix array: text positions in lexicographic order of their suffixes
    private final int[] rank; // (N) inverse of sa
    private final int[] lcp; // (N) lcp[r] = common prefix of suffixes sa[r-1] and sa[r], cut at a separator; lcp[0] = 0
    private final int[][] blockMin; // (levels, blocks) blockMin[l][b] = min of lcp over blocks b .. b + 2^l - 1

    private SequenceIndex(int[] alphabet, int[] docStart, int[] text) {
        this.alphabet = alphabet;
        this.docStart = docStart;
        this.text = text;
        this.sa = suffixArray(text, FIRST_CODE + alphabet.length);
        int n = text.length;
        this.rank = new int[n];
        for (int r = 0; r < n; r++) {
            rank[sa[r]] = r;
        }
        this.lcp = new int[n];
        int h = 0;
        for (int i = 0; i < n; i++) {
            int r = rank[i];
            if (r == 0) {
                h = 0;
                continue;
            }
            int j = sa[r - 1];
            while (text[i + h] == text[j + h] && text[i + h] >= FIRST_CODE) {
                h++; // stops at the latest at the sentinel, which occurs once
            }
            lcp[r] = h;
            if (h > 0) {
                h--;
            }
        }
        this.blockMin = blockMinima(lcp);
    }

    /**
     * Builds the index.
     *
     * @param documents the corpus; each document may be empty; the arrays are not kept
     * @return the index
     * @throws IllegalArgumentException if the corpus holds more than 2^30 symbols (counting one per document)
     */
    public static SequenceIndex build(List<int[]> documents) {
        long total = 0;
        for (int[] d : documents) {
            total += d.length + 1;
        }
        if (total > MAX_LENGTH) {
            throw new IllegalArgumentException("a sequence index holds at most " + MAX_LENGTH
                    + " symbols (one more per document), this corpus has " + total);
        }
        int[] all = new int[(int) total];
        int k = 0;
        for (int[] d : documents) {
            System.arraycopy(d, 0, all, k, d.length);
            k += d.length;
        }
        int[] alphabet = distinct(Arrays.copyOf(all, k));
        int n = Math.max(1, (int) total);
        int[] text = new int[n];
        int[] docStart = new int[documents.size()];
        int t = 0;
        for (int d = 0; d < documents.size(); d++) {
            docStart[d] = t;
            for (int v : documents.get(d)) {
                text[t++] = FIRST_CODE + Arrays.binarySearch(alphabet, v);
            }
            text[t++] = SEPARATOR;
        }
        text[n - 1] = SENTINEL;
        return new SequenceIndex(alphabet, docStart, text);
    }

    private static int[] distinct(int[] values) {
        Arrays.sort(values);
        int u = 0;
        for (int i = 0; i < values.length; i++) {
            if (i == 0 || values[i] != values[i - 1]) {
                values[u++] = values[i];
            }
        }
        return Arrays.copyOf(values, u);
    }

    /** @return how many documents the corpus holds */
    public int documents() {
        return docStart.length;
    }

    /**
     * @param d a document, 0 ≤ d &lt; {@link #documents()}
     * @return its length in symbols
     */
    public int documentLength(int d) {
        int end = d + 1 < docStart.length ? docStart[d + 1] : text.length;
        return end - docStart[d] - 1;
    }

    /** @return the symbols in all documents together */
    public long symbols() {
        return docStart.length == 0 ? 0 : text.length - docStart.length;
    }

    /**
     * @param work any symbols
     * @param from a position in the work, 0 ≤ from ≤ work.length
     * @return the length of the longest prefix of {@code work[from..]} that occurs in one document of
     *     the corpus (0 at the end of the work or where its symbol is not in the corpus)
     */
    public int longestMatchAt(int[] work, int from) {
        if (from < 0 || from > work.length) {
            throw new IllegalArgumentException("position " + from + " is outside a work of " + work.length);
        }
        int[] q = codes(work);
        return from == q.length || q[from] == UNKNOWN ? 0 : lengthOf(search(q, from, 0, -1, text.length));
    }

    /**
     * The matching statistics of a work in one pass: for every position, the longest run starting
     * there that occurs in the corpus, and one place where it does.
     *
     * @param work any symbols
     * @return the matches, one per position of the work
     */
    public Matches matches(int[] work) {
        int[] q = codes(work);
        int m = q.length;
        int[] length = new int[m];
        int[] where = new int[m]; // a text position of the longest match, -1 for none
        int known = 0; // symbols of the work from position i on known to occur at text position knownAt
        int knownAt = -1;
        for (int i = 0; i < m; i++) {
            if (q[i] == UNKNOWN) {
                where[i] = -1;
                known = 0;
                continue;
            }
            long found;
            if (known >= NARROW_FROM) {
                int r = rank[knownAt];
                int lo = leftBound(r, known);
                int hi = rightBound(r, known);
                found = search(q, i, known, lo - 1, hi + 1);
            } else {
                found = search(q, i, 0, -1, text.length);
            }
            length[i] = lengthOf(found);
            where[i] = length[i] == 0 ? -1 : sa[rankOf(found)];
            known = length[i] - 1;
            knownAt = where[i] + 1;
        }
        int[] doc = new int[m];
        int[] offset = new int[m];
        for (int i = 0; i < m; i++) {
            if (where[i] < 0) {
                doc[i] = -1;
                offset[i] = -1;
            } else {
                int d = documentAt(where[i]);
                doc[i] = d;
                offset[i] = where[i] - docStart[d];
            }
        }
        return new Matches(length, doc, offset);
    }

    /**
     * @param work any symbols
     * @param minRun the shortest run that counts towards coverage, ≥ 1
     * @return the longest shared run and the coverage, as {@link Matches#shared(int)}
     */
    public Shared shared(int[] work, int minRun) {
        return matches(work).shared(minRun);
    }

    /**
     * @param work any symbols
     * @param n the n-gram length, ≥ 1
     * @return the share of the work's n-grams that occur in no document, as {@link Matches#ngramNovelty(int)}
     *     (NaN for a work shorter than n)
     */
    public double ngramNovelty(int[] work, int n) {
        return matches(work).ngramNovelty(n);
    }

    private int[] codes(int[] work) {
        int[] q = new int[work.length];
        for (int i = 0; i < q.length; i++) {
            int k = Arrays.binarySearch(alphabet, work[i]);
            q[i] = k < 0 ? UNKNOWN : FIRST_CODE + k;
        }
        return q;
    }

    private int documentAt(int textPos) {
        int d = Arrays.binarySearch(docStart, textPos);
        return d >= 0 ? d : -d - 2;
    }

    private static int lengthOf(long found) {
        return (int) (found >>> 32);
    }

    private static int rankOf(long found) {
        return (int) found;
    }

    /**
     * Binary search for the suffix sharing the longest prefix with {@code q[from..]}, among the
     * suffixes of ranks lo+1 .. hi-1, all of which are known to share {@code skip} symbols with it.
     *
     * @return (length << 32) | rank of a suffix with the longest common prefix
     */
    private long search(int[] q, int from, int skip, int lo, int hi) {
        int m = q.length;
        int l = lo;
        int r = hi;
        int lcpL = skip; // common prefix of the query with suffix sa[l] (virtual at the outer bounds)
        int lcpR = skip;
        boolean realL = false; // whether l / r were compared, not outer bounds
        boolean realR = false;
        while (r - l > 1) {
            int mid = (l + r) >>> 1;
            int pos = sa[mid];
            int k = Math.min(lcpL, lcpR);
            while (from + k < m && q[from + k] == text[pos + k]) {
                k++;
            }
            if (from + k == m || text[pos + k] > q[from + k]) {
                r = mid;
                lcpR = k;
                realR = true;
            } else {
                l = mid;
                lcpL = k;
                realL = true;
            }
        }
        int bestLen = -1;
        int bestRank = -1;
        if (realL) {
            bestLen = lcpL;
            bestRank = l;
        }
        if (realR && lcpR > bestLen) {
            bestLen = lcpR;
            bestRank = r;
        }
        return (long) bestLen << 32 | (bestRank & 0xFFFFFFFFL);
    }

    /** @return the smallest rank a ≤ r such that every suffix of rank a .. r shares {@code k} symbols with sa[r] */
    private int leftBound(int r, int k) {
        int good = r;
        int step = 1;
        int bad = -1;
        while (good > 0) {
            int cand = Math.max(0, r - step);
            if (minLcp(cand + 1, r) >= k) {
                good = cand;
                step <<= 1;
            } else {
                bad = cand;
                break;
            }
        }
        if (good == 0) {
            return 0;
        }
        while (good - bad > 1) {
            int mid = (good + bad) >>> 1;
            if (minLcp(mid + 1, r) >= k) {
                good = mid;
            } else {
                bad = mid;
            }
        }
        return good;
    }

    /** @return the largest rank b ≥ r such that every suffix of rank r .. b shares {@code k} symbols with sa[r] */
    private int rightBound(int r, int k) {
        int last = text.length - 1;
        int good = r;
        int step = 1;
        int bad = last + 1;
        while (good < last) {
            int cand = Math.min(last, r + step);
            if (minLcp(r + 1, cand) >= k) {
                good = cand;
                step <<= 1;
            } else {
                bad = cand;
                break;
            }
        }
        if (good == last) {
            return last;
        }
        while (bad - good > 1) {
            int mid = (good + bad) >>> 1;
            if (minLcp(r + 1, mid) >= k) {
                good = mid;
            } else {
                bad = mid;
            }
        }
        return good;
    }

    /** @return the minimum of lcp[i..j], or MAX_VALUE for an empty range */
    private int minLcp(int i, int j) {
        if (i > j) {
            return Integer.MAX_VALUE;
        }
        int bi = i >>> BLOCK_SHIFT;
        int bj = j >>> BLOCK_SHIFT;
        int min = Integer.MAX_VALUE;
        if (bi == bj) {
            for (int x = i; x <= j; x++) {
                min = Math.min(min, lcp[x]);
            }
            return min;
        }
        for (int x = i, end = (bi + 1) << BLOCK_SHIFT; x < end; x++) {
            min = Math.min(min, lcp[x]);
        }
        for (int x = bj << BLOCK_SHIFT; x <= j; x++) {
            min = Math.min(min, lcp[x]);
        }
        if (bj - bi > 1) {
            int a = bi + 1;
            int b = bj - 1;
            int level = 31 - Integer.numberOfLeadingZeros(b - a + 1);
            min = Math.min(min, Math.min(blockMin[level][a], blockMin[level][b - (1 << level) + 1]));
        }
        return min;
    }

    private static int[][] blockMinima(int[] lcp) {
        int blocks = ((lcp.length - 1) >>> BLOCK_SHIFT) + 1;
        int levels = 32 - Integer.numberOfLeadingZeros(blocks);
        int[][] table = new int[levels][];
        table[0] = new int[blocks];
        Arrays.fill(table[0], Integer.MAX_VALUE);
        for (int x = 0; x < lcp.length; x++) {
            int b = x >>> BLOCK_SHIFT;
            table[0][b] = Math.min(table[0][b], lcp[x]);
        }
        for (int l = 1; l < levels; l++) {
            int half = 1 << (l - 1);
            int count = blocks - (1 << l) + 1;
            table[l] = new int[count];
            for (int b = 0; b < count; b++) {
                table[l][b] = Math.min(table[l - 1][b], table[l - 1][b + half]);
            }
        }
        return table;
    }

    // ---- SA-IS ----------------------------------------------------------------------------------

    /**
     * The suffix array of {@code s} by induced sorting.
     *
     * @param s the string: every value in [1, k) except the last, which is 0 and occurs nowhere else
     * @param k the alphabet size
     * @return the suffix array
     */
    static int[] suffixArray(int[] s, int k) {
        int[] sa = new int[s.length];
        sais(s, sa, k);
        return sa;
    }

    private static void sais(int[] s, int[] sa, int k) {
        int n = s.length;
        if (n == 1) {
            sa[0] = 0;
            return;
        }
        boolean[] sType = new boolean[n]; // S: the suffix is smaller than the next one; L: larger
        sType[n - 1] = true;
        for (int i = n - 2; i >= 0; i--) {
            sType[i] = s[i] < s[i + 1] || (s[i] == s[i + 1] && sType[i + 1]);
        }
        int[] counts = new int[k];
        for (int v : s) {
            counts[v]++;
        }

        // 1. Sort the LMS substrings: LMS positions at their buckets' ends, then induce.
        Arrays.fill(sa, -1);
        int[] tail = bucketEnds(counts);
        for (int i = 1; i < n; i++) {
            if (isLms(sType, i)) {
                sa[--tail[s[i]]] = i;
            }
        }
        induce(s, sa, sType, counts);

        // 2. Name the sorted LMS substrings; equal substrings get equal names.
        int n1 = 0;
        for (int i = 0; i < n; i++) {
            if (isLms(sType, sa[i])) {
                sa[n1++] = sa[i];
            }
        }
        Arrays.fill(sa, n1, n, -1);
        int names = 0;
        int prev = -1;
        for (int i = 0; i < n1; i++) {
            int pos = sa[i];
            if (prev < 0 || !equalLms(s, sType, prev, pos)) {
                names++;
            }
            prev = pos;
            sa[n1 + pos / 2] = names - 1; // LMS positions are at least two apart
        }
        int j = n - 1;
        for (int i = n - 1; i >= n1; i--) {
            if (sa[i] >= 0) {
                sa[j--] = sa[i];
            }
        }
        int[] s1 = Arrays.copyOfRange(sa, n - n1, n); // the names in text order; ends with the sentinel's 0

        // 3. Sort the LMS suffixes: recursively if two names are equal, else directly.
        int[] sa1 = new int[n1];
        if (names < n1) {
            sais(s1, sa1, names);
        } else {
            for (int i = 0; i < n1; i++) {
                sa1[s1[i]] = i;
            }
        }
        int[] lms = s1; // reused: the LMS positions in text order
        int c = 0;
        for (int i = 1; i < n; i++) {
            if (isLms(sType, i)) {
                lms[c++] = i;
            }
        }
        for (int i = 0; i < n1; i++) {
            sa1[i] = lms[sa1[i]];
        }

        // 4. Place the sorted LMS suffixes at their buckets' ends and induce the rest.
        Arrays.fill(sa, -1);
        tail = bucketEnds(counts);
        for (int i = n1 - 1; i >= 0; i--) {
            int p = sa1[i];
            sa[--tail[s[p]]] = p;
        }
        induce(s, sa, sType, counts);
    }

    private static void induce(int[] s, int[] sa, boolean[] sType, int[] counts) {
        int n = s.length;
        int[] head = bucketStarts(counts);
        for (int i = 0; i < n; i++) {
            int j = sa[i] - 1;
            if (j >= 0 && !sType[j]) {
                sa[head[s[j]]++] = j;
            }
        }
        int[] tail = bucketEnds(counts);
        for (int i = n - 1; i >= 0; i--) {
            int j = sa[i] - 1;
            if (j >= 0 && sType[j]) {
                sa[--tail[s[j]]] = j;
            }
        }
    }

    private static boolean isLms(boolean[] sType, int i) {
        return i > 0 && sType[i] && !sType[i - 1];
    }

    private static boolean equalLms(int[] s, boolean[] sType, int a, int b) {
        for (int d = 0; ; d++) {
            if (s[a + d] != s[b + d] || sType[a + d] != sType[b + d]) {
                return false;
            }
            if (d > 0 && isLms(sType, a + d)) {
                return true; // the types before agree, so b + d is an LMS position too
            }
        }
    }

    private static int[] bucketStarts(int[] counts) {
        int[] b = new int[counts.length];
        int sum = 0;
        for (int c = 0; c < counts.length; c++) {
            b[c] = sum;
            sum += counts[c];
        }
        return b;
    }

    private static int[] bucketEnds(int[] counts) {
        int[] b = new int[counts.length];
        int sum = 0;
        for (int c = 0; c < counts.length; c++) {
            sum += counts[c];
            b[c] = sum;
        }
        return b;
    }

    // ---- saved form -----------------------------------------------------------------------------

    /**
     * Writes the index: magic, format, the documents' lengths and symbols, and a checksum.
     *
     * @param out where to write
     * @throws IOException on failure
     */
    public void write(DataOutput out) throws IOException {
        Checksum sum = new Checksum();
        out.writeInt(MAGIC);
        out.writeInt(FORMAT);
        int docs = documents();
        out.writeInt(docs);
        sum.add(docs);
        for (int d = 0; d < docs; d++) {
            int len = documentLength(d);
            out.writeInt(len);
            sum.add(len);
        }
        for (int d = 0; d < docs; d++) {
            for (int i = docStart[d], end = i + documentLength(d); i < end; i++) {
                int v = alphabet[text[i] - FIRST_CODE];
                out.writeInt(v);
                sum.add(v);
            }
        }
        out.writeLong(sum.value());
    }

    /**
     * Reads an index written by {@link #write}.
     *
     * @param in where to read
     * @return the index, its suffix array rebuilt
     * @throws AtelierException if what is read is not a sequence index, has another format, or fails its checksum
     * @throws IOException on failure to read (an {@link java.io.EOFException} for a truncated index)
     */
    public static SequenceIndex read(DataInput in) throws IOException {
        return read(in, "the input");
    }

    /**
     * Reads an index written by {@link #write}.
     *
     * @param in where to read
     * @param source what is read, named in errors (a file's name)
     * @return the index, its suffix array rebuilt
     * @throws AtelierException if what is read is not a sequence index, has another format, or fails its checksum
     * @throws IOException on failure to read (an {@link java.io.EOFException} for a truncated index)
     */
    public static SequenceIndex read(DataInput in, String source) throws IOException {
        int magic = in.readInt();
        if (magic != MAGIC) {
            throw new AtelierException(source + " is not a sequence index (it starts with 0x"
                    + Integer.toHexString(magic) + ", not 0x" + Integer.toHexString(MAGIC) + ")");
        }
        int format = in.readInt();
        if (format != FORMAT) {
            throw new AtelierException(source + " holds a sequence index of format " + format
                    + "; this version reads format " + FORMAT);
        }
        Checksum sum = new Checksum();
        int docs = in.readInt();
        if (docs < 0 || docs > MAX_LENGTH) {
            throw new AtelierException(source + " is corrupt: a sequence index of " + docs + " documents");
        }
        sum.add(docs);
        // Arrays grow as data arrives, so a corrupt count fails at the end of the input, not in the allocator.
        int[] lengths = new int[Math.min(docs, 1 << 16)];
        long total = 0;
        for (int d = 0; d < docs; d++) {
            if (d == lengths.length) {
                lengths = Arrays.copyOf(lengths, (int) Math.min(docs, 2L * lengths.length));
            }
            lengths[d] = in.readInt();
            total += lengths[d] + 1L;
            if (lengths[d] < 0 || total > MAX_LENGTH) {
                throw new AtelierException(source + " is corrupt: document " + d + " has length " + lengths[d]);
            }
            sum.add(lengths[d]);
        }
        List<int[]> documents = new ArrayList<>(Math.min(docs, 1 << 16));
        for (int d = 0; d < docs; d++) {
            int[] doc = new int[Math.min(lengths[d], 1 << 16)];
            for (int i = 0; i < lengths[d]; i++) {
                if (i == doc.length) {
                    doc = Arrays.copyOf(doc, (int) Math.min(lengths[d], 2L * doc.length));
                }
                doc[i] = in.readInt();
                sum.add(doc[i]);
            }
            documents.add(doc);
        }
        if (in.readLong() != sum.value()) {
            throw new AtelierException(source + " is corrupt: its sequence index fails its checksum");
        }
        return build(documents);
    }

    /** A 64-bit order-sensitive checksum of ints (a multiply-add chain, finished by SplitMix64's mixer). */
    private static final class Checksum {
        private long h = 0x243F6A8885A308D3L;

        void add(int v) {
            h = (h + (v & 0xFFFFFFFFL)) * 0x9E3779B97F4A7C15L;
            h ^= h >>> 29;
        }

        long value() {
            long z = h;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }
    }

    // ---- results --------------------------------------------------------------------------------

    /**
     * The longest run a work shares with the corpus, and how much of the work such runs cover.
     *
     * @param length the longest run of the work that occurs in the corpus, in symbols; 0 if no symbol does
     * @param workStart where that run starts in the work (the first such place), -1 if length is 0
     * @param document a document it occurs in, -1 if length is 0
     * @param offset where it starts in that document, -1 if length is 0
     * @param coverage the share of the work's positions that lie inside some run of at least the
     *     minimum length that occurs in the corpus, 0 to 1 (0 for an empty work)
     */
    public record Shared(int length, int workStart, int document, int offset, double coverage) {}

    /**
     * The matching statistics of a work: for each position i, the longest run {@code work[i .. i+len)}
     * that occurs in the corpus and one place where it does.
     */
    public static final class Matches {

        private final int[] length; // (m) the matching statistics
        private final int[] document; // (m) a document holding that run, -1 for none
        private final int[] offset; // (m) where it starts there, -1 for none

        Matches(int[] length, int[] document, int[] offset) {
            this.length = length;
            this.document = document;
            this.offset = offset;
        }

        /** @return the work's length, in symbols */
        public int size() {
            return length.length;
        }

        /**
         * @param i a position in the work
         * @return the longest run starting at i that occurs in the corpus
         */
        public int length(int i) {
            return length[i];
        }

        /**
         * @param i a position in the work
         * @return a document where that run occurs, -1 if its length is 0
         */
        public int document(int i) {
            return document[i];
        }

        /**
         * @param i a position in the work
         * @return where that run starts in its document, -1 if its length is 0
         */
        public int offset(int i) {
            return offset[i];
        }

        /**
         * @param minRun the shortest run that counts, ≥ 1
         * @return how many positions of the work lie inside some run of at least {@code minRun}
         *     symbols that occurs in the corpus
         */
        public int covered(int minRun) {
            if (minRun < 1) {
                throw new IllegalArgumentException("the shortest run that counts must be at least 1, was " + minRun);
            }
            int covered = 0;
            int reach = 0; // the end of the furthest-reaching long run started so far
            for (int i = 0; i < length.length; i++) {
                if (length[i] >= minRun) {
                    reach = Math.max(reach, i + length[i]);
                }
                if (i < reach) {
                    covered++;
                }
            }
            return covered;
        }

        /**
         * @param n the n-gram length, ≥ 1
         * @return how many n-grams the work has: max(0, size − n + 1)
         */
        public int ngrams(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("an n-gram needs n ≥ 1, was " + n);
            }
            return Math.max(0, length.length - n + 1);
        }

        /**
         * @param n the n-gram length, ≥ 1
         * @return how many of the work's n-grams (counted with repetition) occur in no document
         */
        public int novelNgrams(int n) {
            int count = ngrams(n);
            int novel = 0;
            for (int i = 0; i < count; i++) {
                if (length[i] < n) {
                    novel++;
                }
            }
            return novel;
        }

        /**
         * @param n the n-gram length, ≥ 1
         * @return the share of the work's n-grams (counted with repetition) that occur in no document,
         *     0 to 1; NaN for a work shorter than n, which has no n-gram to judge
         */
        public double ngramNovelty(int n) {
            int count = ngrams(n);
            return count == 0 ? Double.NaN : novelNgrams(n) / (double) count;
        }

        /**
         * @param minRun the shortest run that counts towards coverage, ≥ 1
         * @return the longest shared run (the first, if several are longest) and the coverage
         */
        public Shared shared(int minRun) {
            int covered = covered(minRun);
            int best = -1;
            for (int i = 0; i < length.length; i++) {
                if (length[i] > 0 && (best < 0 || length[i] > length[best])) {
                    best = i;
                }
            }
            double coverage = length.length == 0 ? 0.0 : covered / (double) length.length;
            if (best < 0) {
                return new Shared(0, -1, -1, -1, coverage);
            }
            return new Shared(length[best], best, document[best], offset[best], coverage);
        }
    }
}
