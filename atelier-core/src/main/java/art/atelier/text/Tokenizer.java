package art.atelier.text;

import art.atelier.AtelierException;

import com.google.gson.JsonObject;

/**
 * Text to token ids and back. Chosen per model, trained on its corpus, and saved in its checkpoint.
 * {@code decode(encode(s))} gives back {@code s} exactly for every string the tokenizer accepts
 * (every string, for byte-level BPE; strings over its alphabet, for characters).
 */
public sealed interface Tokenizer permits CharTokenizer, ByteBpeTokenizer {

    /** @return "char" or "bpe" */
    String kind();

    /** @return number of token ids, end token included */
    int vocabSize();

    /**
     * @param text any text
     * @return its token ids
     * @throws UnknownCharacterException if the text holds a character the tokenizer cannot say
     */
    int[] encode(String text);

    /**
     * @param tokens token ids
     * @return their text; an incomplete UTF-8 sequence at the end is dropped, invalid bytes become U+FFFD
     */
    String decode(int[] tokens);

    /** @return the id that separates documents in training data, or -1 if there is none */
    int endToken();

    /** @return the tokenizer as JSON, for {@code model.json} */
    JsonObject toJson();

    /**
     * @param json from {@link #toJson()}
     * @return the tokenizer
     */
    static Tokenizer fromJson(JsonObject json) {
        String kind = json.has("kind") ? json.get("kind").getAsString() : "?";
        return switch (kind) {
            case "char" -> CharTokenizer.fromJson(json);
            case "bpe" -> ByteBpeTokenizer.fromJson(json);
            default -> throw new AtelierException("unknown tokenizer kind '" + kind + "'");
        };
    }

    /** Text holding a character outside a character-level tokenizer's alphabet. */
    final class UnknownCharacterException extends AtelierException {
        private static final long serialVersionUID = 1L;

        /**
         * @param codePoint the character
         * @param index its position in the text (UTF-16 index)
         */
        public UnknownCharacterException(int codePoint, int index) {
            super("the text holds '" + new String(Character.toChars(codePoint)) + "' (U+"
                    + String.format("%04X", codePoint) + ") at position " + index
                    + ", which never occurs in the model's corpus; a character-level model cannot write it"
                    + " (train with --tokenizer bpe to allow any text)");
        }
    }
}
