package art.atelier.nn;

import art.atelier.UsageException;

/**
 * The shape of a GPT decoder. Immutable; saved in every checkpoint's {@code model.json}.
 *
 * @param vocabSize tokens in the vocabulary (the rows of the tied embedding)
 * @param contextLength the most tokens the model attends over at once (nanoGPT's block_size)
 * @param layers transformer blocks stacked
 * @param heads attention heads per block; must divide {@code width}
 * @param width the model (embedding) width, d_model
 * @param dropout probability of dropping an activation while training, 0 for none
 * @param bias whether Linear and LayerNorm layers carry biases (GPT-2 style) or not (a bit faster)
 * @param styles style labels the model is conditioned on, 0 for an unconditioned model
 */
public record GptConfig(
        int vocabSize,
        int contextLength,
        int layers,
        int heads,
        int width,
        float dropout,
        boolean bias,
        int styles) {

    /** Checks every field; a bad value is a usage error naming the field. */
    public GptConfig {
        if (vocabSize < 2) {
            throw new UsageException("vocabulary size must be at least 2, was " + vocabSize);
        }
        if (contextLength < 2) {
            throw new UsageException("context length must be at least 2, was " + contextLength);
        }
        if (layers < 1 || heads < 1 || width < 1) {
            throw new UsageException("layers, heads and width must be positive");
        }
        if (width % heads != 0) {
            throw new UsageException("width " + width + " is not divisible by " + heads + " heads");
        }
        if (dropout < 0 || dropout >= 1) {
            throw new UsageException("dropout must be in [0, 1), was " + dropout);
        }
        if (styles < 0) {
            throw new UsageException("styles must not be negative");
        }
    }

    /** @return the width of one attention head */
    public int headSize() {
        return width / heads;
    }

    /**
     * @param vocab a new vocabulary size
     * @param styleCount a new number of styles
     * @return this shape for that vocabulary and those styles
     */
    public GptConfig withVocabulary(int vocab, int styleCount) {
        return new GptConfig(vocab, contextLength, layers, heads, width, dropout, bias, styleCount);
    }

    /**
     * @param p a new dropout probability
     * @return this shape with that dropout
     */
    public GptConfig withDropout(float p) {
        return new GptConfig(vocabSize, contextLength, layers, heads, width, p, bias, styles);
    }

    /**
     * Parameters, counting the tied embedding once (nanoGPT's count, position embedding included).
     *
     * @return the number of trainable scalars
     */
    public long parameterCount() {
        long c = width;
        long perLayer = 12 * c * c + (bias ? 13 * c : 2 * c); // 9c linear biases + 2·2c norms, or 2c norm gains
        long embeddings = (long) vocabSize * c + (long) contextLength * c + (long) styles * c;
        long finalNorm = bias ? 2 * c : c;
        return layers * perLayer + embeddings + finalNorm;
    }

    /**
     * Floating-point operations for one training token, forward and backward, by the PaLM/nanoGPT
     * rule: 6 per non-position-embedding parameter plus 12·L·H·Q·T for attention.
     *
     * @return FLOPs per token
     */
    public double trainingFlopsPerToken() {
        double n = parameterCount() - (double) contextLength * width;
        return 6 * n + 12.0 * layers * heads * headSize() * contextLength;
    }
}
