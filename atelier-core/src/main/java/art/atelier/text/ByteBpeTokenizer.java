package art.atelier.text;

import art.atelier.AtelierException;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Byte-level byte-pair encoding (Sennrich et al. 2016, as in GPT-2). Ids 0–255 are the bytes, so
 * any text can be written; each learned merge adds one id for the pair of ids it joins, most
 * frequent pair first. Text is first cut into words, numbers, punctuation runs and spaces (GPT-2's
 * pattern) so that merges never cross a word boundary. An optional end-of-document id comes last.
 */
public final class ByteBpeTokenizer implements Tokenizer {

    /** GPT-2's pre-tokenisation: contractions, letters, digits, other symbols, spaces. */
    private static final Pattern PIECES = Pattern.compile(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+");

    private final int[][] merges; // merge i joins ids merges[i][0] and merges[i][1] into id 256 + i
    private final boolean hasEnd; // whether the last id is the end token
    private final Map<Long, Integer> rank = new HashMap<>(); // packed pair -> merge index
    private final byte[][] bytesOf; // id -> the bytes it stands for
    private final Map<String, int[]> cache = new HashMap<>(); // piece -> its ids

    private ByteBpeTokenizer(int[][] merges, boolean hasEnd) {
        this.merges = merges;
        this.hasEnd = hasEnd;
        bytesOf = new byte[256 + merges.length][];
        for (int b = 0; b < 256; b++) {
            bytesOf[b] = new byte[] {(byte) b};
        }
        for (int i = 0; i < merges.length; i++) {
            int a = merges[i][0];
            int b = merges[i][1];
            if (a < 0 || b < 0 || a >= 256 + i || b >= 256 + i) {
                throw new AtelierException("BPE merge " + i + " refers to an id that does not exist yet");
            }
            rank.put(pack(a, b), i);
            byte[] joined = Arrays.copyOf(bytesOf[a], bytesOf[a].length + bytesOf[b].length);
            System.arraycopy(bytesOf[b], 0, joined, bytesOf[a].length, bytesOf[b].length);
            bytesOf[256 + i] = joined;
        }
    }

    private static long pack(int a, int b) {
        return ((long) a << 32) | (b & 0xFFFFFFFFL);
    }

    /**
     * Learns merges from texts until the vocabulary reaches {@code vocabSize} or no pair occurs twice.
     *
     * @param texts the training texts
     * @param vocabSize the wanted vocabulary, end token included; at least 256 (+1 with an end token)
     * @param withEnd whether to add an end-of-document token
     * @return the tokenizer
     */
    public static ByteBpeTokenizer train(Collection<String> texts, int vocabSize, boolean withEnd) {
        int wantedMerges = vocabSize - 256 - (withEnd ? 1 : 0);
        if (wantedMerges < 0) {
            throw new art.atelier.UsageException("a byte-level BPE vocabulary needs at least "
                    + (256 + (withEnd ? 1 : 0)) + " tokens (the 256 bytes" + (withEnd ? " and the end token" : "")
                    + "), not " + vocabSize);
        }
        // Count distinct pieces; each becomes a word of byte ids with a frequency.
        Map<String, Integer> pieceCounts = new HashMap<>();
        for (String t : texts) {
            Matcher m = PIECES.matcher(t);
            while (m.find()) {
                pieceCounts.merge(m.group(), 1, Integer::sum);
            }
        }
        List<String> pieces = new ArrayList<>(pieceCounts.keySet());
        pieces.sort(null); // a fixed order makes training deterministic
        int n = pieces.size();
        int[][] words = new int[n][];
        long[] freq = new long[n];
        for (int w = 0; w < n; w++) {
            byte[] b = pieces.get(w).getBytes(StandardCharsets.UTF_8);
            words[w] = new int[b.length];
            for (int i = 0; i < b.length; i++) {
                words[w][i] = b[i] & 0xFF;
            }
            freq[w] = pieceCounts.get(pieces.get(w));
        }
        Map<Long, Long> pairCount = new HashMap<>();
        Map<Long, List<Integer>> pairWords = new HashMap<>();
        for (int w = 0; w < n; w++) {
            addPairs(words[w], w, freq[w], pairCount, pairWords);
        }
        // Max-heap on (count desc, pair asc); stale entries are skipped when popped.
        PriorityQueue<long[]> heap = new PriorityQueue<>((x, y) -> x[0] != y[0] ? Long.compare(y[0], x[0])
                : Long.compare(x[1], y[1]));
        pairCount.forEach((p, c) -> heap.add(new long[] {c, p}));
        List<int[]> learned = new ArrayList<>();
        while (learned.size() < wantedMerges && !heap.isEmpty()) {
            long[] top = heap.poll();
            long pair = top[1];
            Long current = pairCount.get(pair);
            if (current == null || current != top[0]) {
                continue; // stale
            }
            if (current < 2) {
                break; // no pair occurs twice: merging further would only memorise
            }
            int a = (int) (pair >>> 32);
            int b = (int) pair;
            int id = 256 + learned.size();
            learned.add(new int[] {a, b});
            Map<Long, Long> before = new HashMap<>(); // pair counts touched, to re-queue
            for (int w : new ArrayList<>(pairWords.get(pair))) {
                int[] word = words[w];
                if (!contains(word, a, b)) {
                    continue;
                }
                removePairs(word, freq[w], pairCount, before);
                words[w] = replace(word, a, b, id);
                addPairs(words[w], w, freq[w], pairCount, pairWords);
                for (int i = 0; i + 1 < words[w].length; i++) {
                    before.putIfAbsent(pack(words[w][i], words[w][i + 1]), 0L);
                }
            }
            pairCount.remove(pair);
            for (Long p : before.keySet()) {
                Long c = pairCount.get(p);
                if (c != null && c > 0) {
                    heap.add(new long[] {c, p});
                }
            }
        }
        return new ByteBpeTokenizer(learned.toArray(new int[0][]), withEnd);
    }

    private static boolean contains(int[] word, int a, int b) {
        for (int i = 0; i + 1 < word.length; i++) {
            if (word[i] == a && word[i + 1] == b) {
                return true;
            }
        }
        return false;
    }

    private static int[] replace(int[] word, int a, int b, int id) {
        int[] out = new int[word.length];
        int n = 0;
        for (int i = 0; i < word.length; i++) {
            if (i + 1 < word.length && word[i] == a && word[i + 1] == b) {
                out[n++] = id;
                i++;
            } else {
                out[n++] = word[i];
            }
        }
        return Arrays.copyOf(out, n);
    }

    private static void addPairs(int[] word, int w, long f, Map<Long, Long> counts, Map<Long, List<Integer>> where) {
        for (int i = 0; i + 1 < word.length; i++) {
            long p = pack(word[i], word[i + 1]);
            counts.merge(p, f, Long::sum);
            List<Integer> list = where.computeIfAbsent(p, k -> new ArrayList<>());
            if (list.isEmpty() || list.get(list.size() - 1) != w) {
                list.add(w);
            }
        }
    }

    private static void removePairs(int[] word, long f, Map<Long, Long> counts, Map<Long, Long> touched) {
        for (int i = 0; i + 1 < word.length; i++) {
            long p = pack(word[i], word[i + 1]);
            long c = counts.merge(p, -f, Long::sum);
            if (c <= 0) {
                counts.remove(p);
            }
            touched.putIfAbsent(p, 0L);
        }
    }

    @Override
    public String kind() {
        return "bpe";
    }

    @Override
    public int vocabSize() {
        return 256 + merges.length + (hasEnd ? 1 : 0);
    }

    @Override
    public int endToken() {
        return hasEnd ? 256 + merges.length : -1;
    }

    /** @return merges learned */
    public int mergeCount() {
        return merges.length;
    }

    @Override
    public int[] encode(String text) {
        int[] out = new int[Math.max(16, text.length())];
        int n = 0;
        Matcher m = PIECES.matcher(text);
        int last = 0;
        while (m.find()) {
            if (m.start() != last) {
                throw new IllegalStateException("pre-tokenisation skipped text at " + last);
            }
            last = m.end();
            int[] ids = encodePiece(m.group());
            if (n + ids.length > out.length) {
                out = Arrays.copyOf(out, Math.max(out.length * 2, n + ids.length));
            }
            System.arraycopy(ids, 0, out, n, ids.length);
            n += ids.length;
        }
        if (last != text.length()) {
            throw new IllegalStateException("pre-tokenisation skipped text at " + last);
        }
        return Arrays.copyOf(out, n);
    }

    private int[] encodePiece(String piece) {
        int[] cached = cache.get(piece);
        if (cached != null) {
            return cached;
        }
        byte[] b = piece.getBytes(StandardCharsets.UTF_8);
        int[] ids = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            ids[i] = b[i] & 0xFF;
        }
        int len = ids.length;
        while (len > 1) {
            int best = -1;
            int bestRank = Integer.MAX_VALUE;
            for (int i = 0; i + 1 < len; i++) {
                Integer r = rank.get(pack(ids[i], ids[i + 1]));
                if (r != null && r < bestRank) {
                    bestRank = r;
                    best = i;
                }
            }
            if (best < 0) {
                break;
            }
            int a = merges[bestRank][0];
            int c = merges[bestRank][1];
            int w = 0;
            for (int i = 0; i < len; i++) {
                if (i + 1 < len && ids[i] == a && ids[i + 1] == c) {
                    ids[w++] = 256 + bestRank;
                    i++;
                } else {
                    ids[w++] = ids[i];
                }
            }
            len = w;
        }
        int[] result = Arrays.copyOf(ids, len);
        if (cache.size() < 1_000_000) {
            cache.put(piece, result);
        }
        return result;
    }

    @Override
    public String decode(int[] tokens) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(tokens.length * 3);
        for (int t : tokens) {
            if (t >= 0 && t < bytesOf.length) {
                bytes.writeBytes(bytesOf[t]);
            } else if (t != endToken()) {
                throw new IllegalArgumentException("token " + t + " is outside the vocabulary of " + vocabSize());
            }
        }
        return decodeLenient(bytes.toByteArray());
    }

    /**
     * UTF-8 with invalid bytes as U+FFFD and an incomplete character at the very end left out (it
     * may be completed by the next token).
     */
    static String decodeLenient(byte[] bytes) {
        int end = bytes.length;
        int back = 0;
        while (back < 3 && end - back - 1 >= 0 && (bytes[end - back - 1] & 0xC0) == 0x80) {
            back++;
        }
        if (end - back - 1 >= 0) {
            int lead = bytes[end - back - 1] & 0xFF;
            int need = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0;
            if (need > back && lead >= 0xC0) {
                end = end - back - 1;
            }
        }
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        try {
            CharBuffer cb = d.decode(ByteBuffer.wrap(bytes, 0, end));
            return cb.toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("kind", kind());
        JsonArray arr = new JsonArray();
        for (int[] m : merges) {
            JsonArray p = new JsonArray();
            p.add(m[0]);
            p.add(m[1]);
            arr.add(p);
        }
        o.add("merges", arr);
        o.addProperty("end_token", hasEnd);
        return o;
    }

    static ByteBpeTokenizer fromJson(JsonObject o) {
        JsonArray arr = o.getAsJsonArray("merges");
        int[][] merges = new int[arr.size()][];
        int i = 0;
        for (JsonElement e : arr) {
            JsonArray p = e.getAsJsonArray();
            merges[i++] = new int[] {p.get(0).getAsInt(), p.get(1).getAsInt()};
        }
        return new ByteBpeTokenizer(merges, o.get("end_token").getAsBoolean());
    }
}
