package art.atelier.novelty;

import art.atelier.AtelierException;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * How far a text stands from the texts its model learned from: which passages it shares with them,
 * and how much of it such passages make up.
 *
 * <p>Two indexes over the training documents:
 * <ul>
 *   <li>a {@link SequenceIndex} of code points: the longest passage the work shares with one training
 *       document, and the <i>coverage</i>, the share of the work's code points that lie inside a shared
 *       passage of at least {@link #MIN_PASSAGE} code points;
 *   <li>a {@link SequenceIndex} of words, for word n-gram novelty at n = 3, 5 and 8: the share of the
 *       work's word n-grams that occur in no training document. Words are as {@link #words(String)}
 *       cuts them, matched exactly (case and all); their ids come from a vocabulary of the training
 *       words saved with the index, and a word not in it never matches.
 * </ul>
 * The headline {@code novelty} is 1 − coverage: 1 when nothing of {@value #MIN_PASSAGE} code points
 * or more is shared, 0 when the work is made of training passages.
 */
public final class TextNovelty {

    /** The shortest shared passage that counts towards coverage, in code points. */
    public static final int MIN_PASSAGE = 32;

    /** The word n-gram lengths scored. */
    public static final List<Integer> NGRAMS = List.of(3, 5, 8);

    /** The longest passage a score quotes, in code points. */
    public static final int QUOTED = 200;

    static final String KIND = "text";
    static final int FORMAT = 1;

    private final SequenceIndex chars;
    private final SequenceIndex words;
    private final List<String> vocabulary; // sorted; a word's id is its position
    private final Map<String, Integer> ids;

    private TextNovelty(SequenceIndex chars, SequenceIndex words, List<String> vocabulary) {
        this.chars = chars;
        this.words = words;
        this.vocabulary = vocabulary;
        this.ids = new HashMap<>(vocabulary.size() * 2);
        for (int i = 0; i < vocabulary.size(); i++) {
            ids.put(vocabulary.get(i), i);
        }
    }

    /**
     * Builds the indexes.
     *
     * @param documents the training texts; a passage is never matched across two of them
     * @return the index
     */
    public static TextNovelty build(List<String> documents) {
        List<int[]> points = new ArrayList<>(documents.size());
        List<List<String>> tokens = new ArrayList<>(documents.size());
        TreeSet<String> vocab = new TreeSet<>();
        for (String d : documents) {
            points.add(d.codePoints().toArray());
            List<String> w = words(d);
            tokens.add(w);
            vocab.addAll(w);
        }
        List<String> vocabulary = List.copyOf(vocab);
        Map<String, Integer> ids = new HashMap<>(vocabulary.size() * 2);
        for (int i = 0; i < vocabulary.size(); i++) {
            ids.put(vocabulary.get(i), i);
        }
        List<int[]> wordIds = new ArrayList<>(tokens.size());
        for (List<String> w : tokens) {
            wordIds.add(w.stream().mapToInt(ids::get).toArray());
        }
        return new TextNovelty(SequenceIndex.build(points), SequenceIndex.build(wordIds), vocabulary);
    }

    /**
     * Cuts a text into words: maximal runs of letters and digits (with the combining marks among
     * them, so that a decomposed accent stays in its word); every other character that is not
     * white space is a word of its own; white space only separates.
     *
     * @param text any text
     * @return its words, in order
     */
    public static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            int cp = text.codePointAt(i);
            int next = i + Character.charCount(cp);
            if (isWordChar(cp)) {
                int j = next;
                while (j < n && isWordChar(text.codePointAt(j))) {
                    j += Character.charCount(text.codePointAt(j));
                }
                out.add(text.substring(i, j));
                next = j;
            } else if (!Character.isWhitespace(cp) && !Character.isSpaceChar(cp)) {
                out.add(text.substring(i, next));
            }
            i = next;
        }
        return out;
    }

    private static boolean isWordChar(int cp) {
        if (Character.isLetterOrDigit(cp)) {
            return true;
        }
        int type = Character.getType(cp);
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK;
    }

    /**
     * Scores a work against the training texts.
     *
     * @param work the text
     * @return its score
     */
    public Score score(String work) {
        int[] points = work.codePoints().toArray();
        SequenceIndex.Shared shared = chars.shared(points, MIN_PASSAGE);
        String passage = "";
        if (shared.length() > 0) {
            int shown = Math.min(shared.length(), QUOTED);
            passage = new String(points, shared.workStart(), shown);
        }
        List<String> w = words(work);
        int[] wordIds = new int[w.size()];
        for (int i = 0; i < wordIds.length; i++) {
            wordIds[i] = ids.getOrDefault(w.get(i), -1); // ids are ≥ 0: -1 is in no training text
        }
        SequenceIndex.Matches wm = words.matches(wordIds);
        Map<Integer, Double> ngram = new TreeMap<>();
        for (int n : NGRAMS) {
            ngram.put(n, wm.ngramNovelty(n));
        }
        return new Score(shared.length(), passage, shared.document(), shared.offset(), shared.coverage(),
                Collections.unmodifiableMap(ngram), 1.0 - shared.coverage());
    }

    /** @return how many training documents the index holds */
    public int documents() {
        return chars.documents();
    }

    /** @return how many distinct words the training documents hold */
    public int vocabularySize() {
        return vocabulary.size();
    }

    /**
     * Saves the index (atomically).
     *
     * @param file where
     * @throws IOException on failure
     */
    public void save(Path file) throws IOException {
        IndexFile.write(file, KIND, FORMAT, out -> {
            chars.write(out);
            out.writeInt(vocabulary.size());
            for (String v : vocabulary) {
                byte[] b = v.getBytes(StandardCharsets.UTF_8);
                out.writeInt(b.length);
                out.write(b);
            }
            words.write(out);
        });
    }

    /**
     * Loads an index saved by {@link #save}.
     *
     * @param file where
     * @return the index
     * @throws AtelierException naming the file if it is missing, not a text novelty index,
     *     of another format, truncated or corrupt
     * @throws IOException on failure to read
     */
    public static TextNovelty load(Path file) throws IOException {
        return IndexFile.read(file, KIND, FORMAT, TextNovelty::read);
    }

    private static TextNovelty read(DataInputStream in, String source) throws IOException {
        SequenceIndex chars = SequenceIndex.read(in, source);
        int size = in.readInt();
        if (size < 0 || size > in.available() / 4) {
            throw new AtelierException(source + " is corrupt: a vocabulary of " + size + " words");
        }
        String[] vocab = new String[size];
        for (int i = 0; i < size; i++) {
            int len = in.readInt();
            if (len < 0 || len > in.available()) {
                throw new AtelierException(source + " is corrupt: a word of " + len + " bytes");
            }
            byte[] b = new byte[len];
            in.readFully(b);
            vocab[i] = new String(b, StandardCharsets.UTF_8);
        }
        SequenceIndex words = SequenceIndex.read(in, source);
        List<String> vocabulary = Arrays.asList(vocab);
        if (words.documents() != chars.documents()) {
            throw new AtelierException(source + " is corrupt: " + chars.documents()
                    + " documents of characters but " + words.documents() + " of words");
        }
        return new TextNovelty(chars, words, List.copyOf(vocabulary));
    }

    /**
     * A text's novelty against the training texts.
     *
     * @param longestShared the longest passage of the work found in one training document, in code points
     * @param passage that passage, its first {@value TextNovelty#QUOTED} code points ("" if none)
     * @param document the training document it was found in (its position in the list built from), -1 if none
     * @param offset where it starts in that document, in code points, -1 if none
     * @param coverage the share of the work's code points inside a shared passage of at least
     *     {@value TextNovelty#MIN_PASSAGE} code points, 0 to 1 (0 for an empty work)
     * @param ngramNovelty for n = 3, 5, 8: the share of the work's word n-grams found in no training
     *     document, 0 to 1; NaN for a work of fewer than n words
     * @param novelty 1 − coverage: 1 = nothing of {@value TextNovelty#MIN_PASSAGE} code points shared,
     *     0 = made of training passages
     */
    public record Score(int longestShared, String passage, int document, int offset, double coverage,
            Map<Integer, Double> ngramNovelty, double novelty) {}
}
