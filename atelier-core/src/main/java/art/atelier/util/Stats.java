package art.atelier.util;

import java.util.Arrays;

/** Small statistics for reports. */
public final class Stats {

    private Stats() {}

    /**
     * @param values samples, not changed
     * @return their median, NaN for none
     */
    public static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] s = values.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
