package art.atelier.demo;

import art.atelier.util.AtomicFiles;
import art.atelier.util.Rng;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A small corpus in two styles that the project writes itself (no copied text): short nature poems
 * ("haiku/") and rhyming weather couplets ("couplets/"), made from word lists and patterns with a
 * fixed seed. Enough structure for a tiny model to pick up in a minute: line shapes, stanza breaks,
 * and each style's own words.
 */
public final class SampleTexts {

    private static final List<String> SEASONS = List.of("spring", "summer", "autumn", "winter");
    private static final List<String> THINGS = List.of("river", "heron", "willow", "lantern", "pebble", "meadow",
            "sparrow", "moss", "harbour", "orchard", "comet", "kettle", "fern", "bell", "tide", "thistle");
    private static final List<String> COLOURS = List.of("grey", "green", "amber", "silver", "pale", "dark",
            "golden", "blue");
    private static final List<String> VERBS = List.of("sleeps", "waits", "sings", "drifts", "listens", "wakes",
            "turns", "shines", "folds", "leans");
    private static final List<String> PLACES = List.of("by the gate", "under the bridge", "in the rain",
            "on the hill", "at the window", "along the lane", "in the long grass", "beyond the wall");
    private static final String[][] RHYMES = {
        {"rain", "lane", "again", "pane"}, {"light", "night", "white", "bright"}, {"sea", "tree", "free", "me"},
        {"snow", "slow", "go", "below"}, {"sun", "run", "done", "one"}, {"wind", "thinned", "pinned", "skinned"},
    };
    private static final List<String> OPENERS = List.of("The morning brings", "All afternoon the", "Tonight the",
            "At dawn the", "Beneath the clouds the", "Along the shore the");

    private SampleTexts() {}

    /**
     * Writes the corpus.
     *
     * @param dir the folder to fill (two sub-folders, a few files each)
     * @param seed the seed of the word choices
     * @throws IOException on failure
     */
    public static void write(Path dir, long seed) throws IOException {
        Rng rng = new Rng(seed);
        for (int f = 0; f < 4; f++) {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < 70; i++) {
                s.append(haiku(rng)).append('\n');
            }
            AtomicFiles.writeString(dir.resolve("haiku").resolve("book-" + (f + 1) + ".txt"), s.toString());
        }
        for (int f = 0; f < 4; f++) {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < 60; i++) {
                s.append(couplet(rng)).append('\n');
            }
            AtomicFiles.writeString(dir.resolve("couplets").resolve("book-" + (f + 1) + ".txt"), s.toString());
        }
    }

    private static String pick(List<String> words, Rng rng) {
        return words.get(rng.nextInt(words.size()));
    }

    private static String haiku(Rng rng) {
        String season = pick(SEASONS, rng);
        String thing = pick(THINGS, rng);
        return season + " " + pick(COLOURS, rng) + " " + thing + "\n"
                + "the " + thing + " " + pick(VERBS, rng) + " " + pick(PLACES, rng) + "\n"
                + "a " + pick(THINGS, rng) + " " + pick(VERBS, rng) + "\n";
    }

    private static String couplet(Rng rng) {
        String[] rhyme = RHYMES[rng.nextInt(RHYMES.length)];
        String a = rhyme[rng.nextInt(rhyme.length)];
        String b;
        do {
            b = rhyme[rng.nextInt(rhyme.length)];
        } while (b.equals(a));
        return pick(OPENERS, rng) + " " + pick(THINGS, rng) + " " + pick(VERBS, rng) + " in the " + a + ",\n"
                + "and every " + pick(THINGS, rng) + " " + pick(VERBS, rng) + " " + pick(PLACES, rng) + " " + b + ".\n";
    }
}
