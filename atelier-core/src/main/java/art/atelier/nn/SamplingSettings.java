package art.atelier.nn;

import art.atelier.UsageException;

/**
 * How tokens are drawn from a model's predictions.
 *
 * @param temperature divides the logits; below 1 is more conservative, above 1 wilder; 0 takes the most likely token
 * @param topK keep only the K most likely tokens; 0 for all
 * @param topP keep the smallest set of most likely tokens whose probability reaches P (nucleus sampling); 1 for all
 * @param repetitionPenalty CTRL's penalty for tokens already in the text: positive logits divided by it, negative
 *     multiplied; 1 for none
 * @param maxTokens the most tokens to generate
 * @param kvCache reuse keys and values of earlier positions (fast); false recomputes the window at every step
 */
public record SamplingSettings(float temperature, int topK, float topP, float repetitionPenalty, int maxTokens,
        boolean kvCache) {

    /** Checks every field; a bad value is a usage error naming it. */
    public SamplingSettings {
        if (!(temperature >= 0) || !Float.isFinite(temperature)) {
            throw new UsageException("temperature must be 0 or more, was " + temperature);
        }
        if (topK < 0) {
            throw new UsageException("top-k must be 0 (off) or more, was " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new UsageException("top-p must be in (0, 1], was " + topP);
        }
        if (!(repetitionPenalty >= 1) || !Float.isFinite(repetitionPenalty)) {
            throw new UsageException("the repetition penalty must be 1 (off) or more, was " + repetitionPenalty);
        }
        if (maxTokens < 1) {
            throw new UsageException("length must be at least 1, was " + maxTokens);
        }
    }

    /** @return plain sampling at temperature 1 for 500 tokens with the cache */
    public static SamplingSettings defaults() {
        return new SamplingSettings(1.0f, 0, 1.0f, 1.0f, 500, true);
    }
}
