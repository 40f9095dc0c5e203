package art.atelier.novelty;

import art.atelier.image.Picture;
import art.atelier.util.Rng;
import java.util.ArrayList;
import java.util.List;

/** Constructed texts and pictures for the novelty tests: deterministic, made from a seed. */
final class Fixtures {

    private static final String[] SYLLABLES = {"ka", "lo", "mi", "ne", "ru", "sa", "te", "vo", "dan", "bel", "or",
        "it", "sun", "mar", "ly", "en", "gra", "pho", "wi", "zel"};

    private Fixtures() {}

    /** @return a vocabulary of {@code size} distinct made-up words, the first ones short and common */
    static List<String> vocabulary(int size, long seed) {
        Rng rng = new Rng(seed);
        List<String> words = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String w : new String[] {"the", "a", "of", "and", "in", "to", "is", "was", "it", "by"}) {
            words.add(w);
            seen.add(w);
        }
        while (words.size() < size) {
            int syl = 1 + rng.nextInt(3);
            StringBuilder b = new StringBuilder();
            for (int s = 0; s < syl; s++) {
                b.append(SYLLABLES[rng.nextInt(SYLLABLES.length)]);
            }
            if (seen.add(b.toString())) {
                words.add(b.toString());
            }
        }
        return words;
    }

    /**
     * @return prose of about {@code words} words drawn from the vocabulary (common words more often),
     *     in sentences of 4 to 15 words with commas and full stops
     */
    static String prose(List<String> vocabulary, int words, long seed) {
        Rng rng = new Rng(seed);
        StringBuilder b = new StringBuilder();
        int inSentence = 0;
        int sentence = 4 + rng.nextInt(12);
        for (int i = 0; i < words; i++) {
            int k = rng.nextInt(3) == 0 ? rng.nextInt(10) : rng.nextInt(vocabulary.size());
            String w = vocabulary.get(k);
            if (inSentence == 0) {
                w = Character.toUpperCase(w.charAt(0)) + w.substring(1);
            }
            b.append(w);
            inSentence++;
            if (inSentence == sentence || i == words - 1) {
                b.append(". ");
                inSentence = 0;
                sentence = 4 + rng.nextInt(12);
            } else if (rng.nextInt(8) == 0) {
                b.append(", ");
            } else {
                b.append(' ');
            }
        }
        return b.toString().strip();
    }

    /**
     * A "painting": a smooth two-colour gradient with a few soft discs of colour, so that it has
     * structure at every scale a novelty feature looks at.
     *
     * @return an RGB picture of the given size
     */
    static Picture painting(int width, int height, long seed) {
        Rng rng = new Rng(seed);
        double[] c0 = {rng.nextDouble(), rng.nextDouble(), rng.nextDouble()};
        double[] c1 = {rng.nextDouble(), rng.nextDouble(), rng.nextDouble()};
        double angle = rng.nextDouble() * 2 * Math.PI;
        int discs = 3 + rng.nextInt(4);
        double[][] disc = new double[discs][6];
        for (double[] d : disc) {
            d[0] = rng.nextDouble() * width;
            d[1] = rng.nextDouble() * height;
            d[2] = (0.08 + 0.25 * rng.nextDouble()) * Math.min(width, height);
            d[3] = rng.nextDouble();
            d[4] = rng.nextDouble();
            d[5] = rng.nextDouble();
        }
        byte[] px = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double t = 0.5 + 0.5 * ((x / (double) width - 0.5) * Math.cos(angle) + (y / (double) height - 0.5)
                        * Math.sin(angle)) * 1.4;
                t = Math.max(0, Math.min(1, t));
                double[] c = new double[3];
                for (int k = 0; k < 3; k++) {
                    c[k] = c0[k] * (1 - t) + c1[k] * t;
                }
                for (double[] d : disc) {
                    double r = Math.hypot(x - d[0], y - d[1]) / d[2];
                    double a = 1 / (1 + Math.exp((r - 1) * 8)); // a disc with a soft edge
                    for (int k = 0; k < 3; k++) {
                        c[k] = c[k] * (1 - a) + d[3 + k] * a;
                    }
                }
                for (int k = 0; k < 3; k++) {
                    px[(y * width + x) * 3 + k] = (byte) Math.round(255 * Math.max(0, Math.min(1, c[k])));
                }
            }
        }
        return new Picture(width, height, 3, px);
    }

    /** @return the picture's window of the given size at (x0, y0), which must lie inside it */
    static Picture crop(Picture p, int x0, int y0, int w, int h) {
        byte[] px = new byte[w * h * p.channels()];
        for (int y = 0; y < h; y++) {
            System.arraycopy(p.pixels(), ((y0 + y) * p.width() + x0) * p.channels(), px, y * w * p.channels(),
                    w * p.channels());
        }
        return new Picture(w, h, p.channels(), px);
    }

    /**
     * @return the picture moved by (dx, dy) pixels, the uncovered edge filled by repeating the nearest
     *     row or column: the same size, a few pixels shifted
     */
    static Picture shifted(Picture p, int dx, int dy) {
        int w = p.width();
        int h = p.height();
        int ch = p.channels();
        byte[] px = new byte[p.pixels().length];
        for (int y = 0; y < h; y++) {
            int sy = Math.max(0, Math.min(h - 1, y - dy));
            for (int x = 0; x < w; x++) {
                int sx = Math.max(0, Math.min(w - 1, x - dx));
                System.arraycopy(p.pixels(), (sy * w + sx) * ch, px, (y * w + x) * ch, ch);
            }
        }
        return new Picture(w, h, ch, px);
    }
}
