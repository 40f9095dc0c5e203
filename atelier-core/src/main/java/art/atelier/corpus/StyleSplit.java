package art.atelier.corpus;

import art.atelier.UsageException;
import art.atelier.util.Rng;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The training/validation split of a corpus of files (pictures, pieces): each style's files are
 * shuffled by the seed and cut at the fraction, so every style is represented on both sides when it
 * has two files or more. With two files or more in all, each side gets at least one.
 */
final class StyleSplit {

    /**
     * The two parts.
     *
     * @param train the training files, sorted by path
     * @param validation the held-out files, sorted by path
     * @param <T> the corpus's item
     */
    record Parts<T>(List<T> train, List<T> validation) {}

    private StyleSplit() {}

    /**
     * @param items the corpus's items
     * @param style an item's style label
     * @param path an item's path
     * @param trainFraction share for training, strictly between 0 and 1
     * @param seed equal seeds give equal splits
     * @param <T> the item type
     * @return the two parts, disjoint, together the whole corpus
     * @throws UsageException if the fraction is out of range
     */
    static <T> Parts<T> split(List<T> items, Function<T, String> style, Function<T, String> path,
            double trainFraction, long seed) {
        if (!(trainFraction > 0 && trainFraction < 1)) {
            throw new UsageException("the training share must be between 0 and 1 (both excluded), was " + trainFraction);
        }
        Map<String, List<T>> groups = new TreeMap<>(); // sorted, so the seed's stream is used in one order
        for (T it : items) {
            groups.computeIfAbsent(style.apply(it), s -> new ArrayList<>()).add(it);
        }
        Rng rng = new Rng(seed);
        List<T> train = new ArrayList<>();
        List<T> validation = new ArrayList<>();
        for (List<T> group : groups.values()) {
            List<T> shuffled = shuffled(group, rng);
            int cut = trainCount(shuffled.size(), trainFraction);
            train.addAll(shuffled.subList(0, cut));
            validation.addAll(shuffled.subList(cut, shuffled.size()));
        }
        if (validation.isEmpty() && train.size() >= 2) {
            // every style has a single file: hold one of them out all the same
            validation.add(train.remove(rng.nextInt(train.size())));
        }
        train.sort(Comparator.comparing(path));
        validation.sort(Comparator.comparing(path));
        return new Parts<>(List.copyOf(train), List.copyOf(validation));
    }

    private static <T> List<T> shuffled(List<T> items, Rng rng) {
        List<T> out = new ArrayList<>(items);
        for (int i = out.size() - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            T t = out.get(i);
            out.set(i, out.get(j));
            out.set(j, t);
        }
        return out;
    }

    private static int trainCount(int n, double fraction) {
        if (n < 2) {
            return n; // a lone file is better learned from than held out
        }
        return (int) Math.max(1, Math.min(n - 1, Math.round(n * fraction)));
    }
}
