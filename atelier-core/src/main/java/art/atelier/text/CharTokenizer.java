package art.atelier.text;

import com.google.gson.JsonObject;

import java.util.Arrays;
import java.util.Collection;
import java.util.TreeSet;

/**
 * One token per Unicode code point that occurs in the corpus, sorted by code point (nanoGPT's
 * "sorted(set(text))"), plus an end-of-document token when the corpus has several documents.
 */
public final class CharTokenizer implements Tokenizer {

    private final int[] codePoints; // token id -> code point, ascending
    private final boolean hasEnd; // whether the last id is the end token

    private CharTokenizer(int[] codePoints, boolean hasEnd) {
        this.codePoints = codePoints;
        this.hasEnd = hasEnd;
    }

    /**
     * @param texts every text of the corpus
     * @param withEnd whether to add an end-of-document token
     * @return the tokenizer for their alphabet
     */
    public static CharTokenizer build(Collection<String> texts, boolean withEnd) {
        TreeSet<Integer> set = new TreeSet<>();
        for (String t : texts) {
            t.codePoints().forEach(set::add);
        }
        return new CharTokenizer(set.stream().mapToInt(Integer::intValue).toArray(), withEnd);
    }

    @Override
    public String kind() {
        return "char";
    }

    @Override
    public int vocabSize() {
        return codePoints.length + (hasEnd ? 1 : 0);
    }

    @Override
    public int endToken() {
        return hasEnd ? codePoints.length : -1;
    }

    @Override
    public int[] encode(String text) {
        int[] out = new int[text.codePointCount(0, text.length())];
        int n = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int id = Arrays.binarySearch(codePoints, cp);
            if (id < 0) {
                throw new UnknownCharacterException(cp, i);
            }
            out[n++] = id;
            i += Character.charCount(cp);
        }
        return out;
    }

    @Override
    public String decode(int[] tokens) {
        StringBuilder sb = new StringBuilder(tokens.length);
        for (int t : tokens) {
            if (t >= 0 && t < codePoints.length) {
                sb.appendCodePoint(codePoints[t]);
            } else if (t != endToken()) { // the end token marks a boundary and writes nothing
                throw new IllegalArgumentException("token " + t + " is outside the vocabulary of " + vocabSize());
            }
        }
        return sb.toString();
    }

    @Override
    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("kind", kind());
        o.addProperty("alphabet", new String(codePoints, 0, codePoints.length));
        o.addProperty("end_token", hasEnd);
        return o;
    }

    static CharTokenizer fromJson(JsonObject o) {
        String alphabet = o.get("alphabet").getAsString();
        int[] cps = alphabet.codePoints().toArray();
        for (int i = 1; i < cps.length; i++) {
            if (cps[i] <= cps[i - 1]) {
                throw new art.atelier.AtelierException("a character tokenizer's alphabet must be sorted and distinct");
            }
        }
        return new CharTokenizer(cps, o.get("end_token").getAsBoolean());
    }
}
