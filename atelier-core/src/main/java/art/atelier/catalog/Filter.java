package art.atelier.catalog;

import art.atelier.UsageException;

/**
 * Which works {@link Catalog#list} returns: those matching every component that is set (null means
 * "any"). Start from {@link #ALL} and narrow it with the {@code with...} methods.
 *
 * @param medium only works of this medium
 * @param kind only works of this kind ("picture", "piece", ...)
 * @param model only works made by the model of this name
 * @param style only works made in this style
 * @param minNovelty only works whose novelty is known and at least this
 * @param status only works in this state ("new", "kept", "rejected")
 * @param limit at most this many works (the newest); 0 for all
 */
public record Filter(String medium, String kind, String model, String style, Double minNovelty, String status,
        int limit) {

    /** Every work. */
    public static final Filter ALL = new Filter(null, null, null, null, null, null, 0);

    /**
     * Refuses a negative limit or a NaN novelty.
     *
     * @throws UsageException if either is given
     */
    public Filter {
        if (limit < 0) {
            throw new UsageException("a filter's limit is 0 (all) or more, not " + limit);
        }
        if (minNovelty != null && minNovelty.isNaN()) {
            throw new UsageException("a filter's minimum novelty is a number, not NaN");
        }
    }

    /**
     * @param value the medium
     * @return this filter, narrowed to it
     */
    public Filter withMedium(String value) {
        return new Filter(value, kind, model, style, minNovelty, status, limit);
    }

    /**
     * @param value the kind
     * @return this filter, narrowed to it
     */
    public Filter withKind(String value) {
        return new Filter(medium, value, model, style, minNovelty, status, limit);
    }

    /**
     * @param value the model's name
     * @return this filter, narrowed to it
     */
    public Filter withModel(String value) {
        return new Filter(medium, kind, value, style, minNovelty, status, limit);
    }

    /**
     * @param value the style label
     * @return this filter, narrowed to it
     */
    public Filter withStyle(String value) {
        return new Filter(medium, kind, model, value, minNovelty, status, limit);
    }

    /**
     * @param value the lowest novelty accepted
     * @return this filter, narrowed to it
     */
    public Filter withMinNovelty(double value) {
        return new Filter(medium, kind, model, style, value, status, limit);
    }

    /**
     * @param value the state ("new", "kept", "rejected")
     * @return this filter, narrowed to it
     */
    public Filter withStatus(String value) {
        return new Filter(medium, kind, model, style, minNovelty, value, limit);
    }

    /**
     * @param value the most works to return, 0 for all
     * @return this filter, limited so
     */
    public Filter withLimit(int value) {
        return new Filter(medium, kind, model, style, minNovelty, status, value);
    }
}
