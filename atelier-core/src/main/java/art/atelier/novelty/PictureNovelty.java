package art.atelier.novelty;

import art.atelier.AtelierException;
import art.atelier.image.Picture;
import art.atelier.util.Stats;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How far a picture stands from the pictures its model learned from.
 *
 * <p>Two measures, over an index of the training pictures' {@link PictureFeatures features},
 * {@link PerceptualHash perceptual hashes} and names:
 * <ul>
 *   <li><b>Nearest distance</b>: the feature distance from the work to the nearest training picture,
 *       the work seen up to a small move or rescaling ({@link PictureFeatures#distance(double[][], double[])}),
 *       against the <i>typical distance</i>: the median, over training pictures, of the same distance
 *       from each to its nearest other training picture (computed at build time, over at most
 *       {@value #TYPICAL_SAMPLE} training pictures evenly spaced in the list, each against all). The
 *       headline {@code novelty} = min(1, nearest / typical): a work as far from the training set as
 *       training pictures typically are from each other scores 1; a copy scores 0.
 *   <li><b>Near duplicate</b>: the smallest Hamming distance between the work's perceptual hash and a
 *       training picture's; at most {@value #NEAR_DUPLICATE_BITS} bits, with the work nearer that picture
 *       in features than the typical distance, makes the work a near duplicate, and its novelty 0. (The
 *       second condition because on small, smooth pictures the hash alone is coarse: an untrained
 *       GAN's round yellow blob came within 8 bits of an emoji it was more than twice the typical
 *       distance from.) Tuned on the tests' constructed paintings (60 of
 *       one style, 32 to 128 pixels): a training picture resized, re-tinted or recompressed lands within
 *       0–4 bits, different paintings 12 bits or more apart; 8 sits between. The hash is not the
 *       measure for moves — a move of 2 pixels in 64 already costs up to 18 bits — which is what the
 *       views of the feature distance are for.
 * </ul>
 * When the typical distance is 0 (most training pictures have an exact duplicate), a work at
 * distance 0 scores 0 and any other work 1.
 */
public final class PictureNovelty {

    /** The largest hash distance, in bits, at which a work is a near duplicate of a training picture. */
    public static final int NEAR_DUPLICATE_BITS = 8;

    /** The typical distance is the median over at most this many training pictures. */
    public static final int TYPICAL_SAMPLE = 500;

    /** Rounding allowance for the triangle-inequality pruning: far above double rounding, far below any real difference. */
    private static final double SLACK = 1e-9;

    static final String KIND = "picture";
    static final int FORMAT = 1;

    private final List<String> names;
    private final double[][] features; // (pictures, LENGTH)
    private final long[] hashes; // (pictures)
    private final double typical;

    private PictureNovelty(List<String> names, double[][] features, long[] hashes, double typical) {
        this.names = names;
        this.features = features;
        this.hashes = hashes;
        this.typical = typical;
    }

    /**
     * Builds the index.
     *
     * @param names a name for each picture (its path in the corpus, say), reported by scores
     * @param pictures the training pictures, at least two
     * @return the index
     * @throws AtelierException if there are fewer than two pictures
     * @throws IllegalArgumentException if there are not as many names as pictures
     */
    public static PictureNovelty build(List<String> names, List<Picture> pictures) {
        if (names.size() != pictures.size()) {
            throw new IllegalArgumentException(names.size() + " names for " + pictures.size() + " pictures");
        }
        if (pictures.size() < 2) {
            throw new AtelierException("a picture novelty index needs at least two training pictures, got "
                    + pictures.size());
        }
        int n = pictures.size();
        double[][] features = new double[n][];
        long[] hashes = new long[n];
        for (int i = 0; i < n; i++) {
            features[i] = PictureFeatures.of(pictures.get(i));
            hashes[i] = PerceptualHash.of(pictures.get(i));
        }
        int sample = Math.min(n, TYPICAL_SAMPLE);
        double[] nearest = new double[sample];
        for (int s = 0; s < sample; s++) {
            int i = (int) ((long) s * n / sample);
            double[][] views = PictureFeatures.views(pictures.get(i));
            nearest[s] = Math.sqrt(nearest(views, features, i)[1]);
        }
        return new PictureNovelty(List.copyOf(names), features, hashes, Stats.median(nearest));
    }

    /**
     * The training picture nearest to a work's views. Candidates are tried in order of their plain
     * distance p to the central view, and a view v at distance r from the central view is only
     * measured against a candidate if p − r is below the best distance so far (by the triangle
     * inequality, it cannot come nearer otherwise); once p − max r reaches it, no later candidate can
     * either. Of equally near pictures, the first in that order (the lower index among equal plain
     * distances) is kept.
     *
     * @param views the work's views
     * @param features the training features
     * @param skip a training picture to leave out (the work itself, for the typical distance), or -1
     * @return {index, squared distance}
     */
    private static double[] nearest(double[][] views, double[][] features, int skip) {
        int n = features.length;
        double[] plain = new double[n];
        Integer[] order = new Integer[n];
        for (int j = 0; j < n; j++) {
            plain[j] = Math.sqrt(PictureFeatures.squaredDistanceBelow(views[0], features[j], Double.POSITIVE_INFINITY));
            order[j] = j;
        }
        Arrays.sort(order, (a, b) -> plain[a] != plain[b] ? Double.compare(plain[a], plain[b]) : Integer.compare(a, b));
        double[] radius = new double[views.length];
        double maxRadius = 0;
        for (int v = 1; v < views.length; v++) {
            radius[v] = PictureFeatures.distance(views[v], views[0]);
            maxRadius = Math.max(maxRadius, radius[v]);
        }
        int best = -1;
        double bestSq = Double.POSITIVE_INFINITY;
        for (int j : order) {
            if (j == skip) {
                continue;
            }
            double bestDistance = Math.sqrt(bestSq);
            if (plain[j] - maxRadius > bestDistance + SLACK) {
                break;
            }
            for (int v = 0; v < views.length; v++) {
                if (plain[j] - radius[v] > bestDistance + SLACK) {
                    continue;
                }
                double d = PictureFeatures.squaredDistanceBelow(views[v], features[j], bestSq);
                if (d < bestSq) {
                    bestSq = d;
                    best = j;
                    bestDistance = Math.sqrt(bestSq);
                }
            }
        }
        return new double[] {best, bestSq};
    }

    /**
     * Scores a work against the training pictures.
     *
     * @param work the picture, any size
     * @return its score
     */
    public Score score(Picture work) {
        double[][] views = PictureFeatures.views(work);
        double[] near = nearest(views, features, -1);
        int nearest = (int) near[0];
        double distance = Math.sqrt(near[1]);
        long h = PerceptualHash.of(work);
        int hashNearest = 0;
        int bits = Integer.MAX_VALUE;
        for (int j = 0; j < hashes.length; j++) {
            int b = PerceptualHash.hamming(h, hashes[j]);
            if (b < bits) {
                bits = b;
                hashNearest = j;
            }
        }
        // the hash alone is coarse on small, smooth pictures (a blurred blob and a round emoji can share it):
        // the features must agree that the work is nearer that picture than training pictures are to each other
        boolean duplicate = bits <= NEAR_DUPLICATE_BITS
                && (typical == 0 || PictureFeatures.distance(views, features[hashNearest]) < typical);
        double novelty;
        if (duplicate || distance == 0) {
            novelty = 0;
        } else if (typical == 0) {
            novelty = 1;
        } else {
            novelty = Math.min(1.0, distance / typical);
        }
        return new Score(names.get(nearest), distance, typical, novelty, names.get(hashNearest), bits, duplicate);
    }

    /** @return the median distance from a training picture to its nearest other training picture */
    public double typicalDistance() {
        return typical;
    }

    /** @return how many training pictures the index holds */
    public int size() {
        return names.size();
    }

    /**
     * Saves the index (atomically).
     *
     * @param file where
     * @throws IOException on failure
     */
    public void save(Path file) throws IOException {
        IndexFile.write(file, KIND, FORMAT, out -> {
            out.writeInt(names.size());
            out.writeInt(PictureFeatures.LENGTH);
            out.writeDouble(typical);
            for (int i = 0; i < names.size(); i++) {
                byte[] b = names.get(i).getBytes(StandardCharsets.UTF_8);
                out.writeInt(b.length);
                out.write(b);
                out.writeLong(hashes[i]);
                for (double v : features[i]) {
                    out.writeDouble(v);
                }
            }
        });
    }

    /**
     * Loads an index saved by {@link #save}.
     *
     * @param file where
     * @return the index
     * @throws AtelierException naming the file if it is missing, not a picture novelty index, of another
     *     format, truncated or corrupt
     * @throws IOException on failure to read
     */
    public static PictureNovelty load(Path file) throws IOException {
        return IndexFile.read(file, KIND, FORMAT, PictureNovelty::read);
    }

    private static PictureNovelty read(DataInputStream in, String source) throws IOException {
        int n = in.readInt();
        int length = in.readInt();
        if (n < 2 || length != PictureFeatures.LENGTH || (long) n * (length * 8L + 12) > in.available()) {
            throw new AtelierException(source + " is corrupt: " + n + " pictures of " + length + " features");
        }
        double typical = in.readDouble();
        List<String> names = new ArrayList<>(n);
        double[][] features = new double[n][length];
        long[] hashes = new long[n];
        for (int i = 0; i < n; i++) {
            int len = in.readInt();
            if (len < 0 || len > in.available()) {
                throw new AtelierException(source + " is corrupt: a name of " + len + " bytes");
            }
            byte[] b = new byte[len];
            in.readFully(b);
            names.add(new String(b, StandardCharsets.UTF_8));
            hashes[i] = in.readLong();
            for (int k = 0; k < length; k++) {
                features[i][k] = in.readDouble();
            }
        }
        return new PictureNovelty(List.copyOf(names), features, hashes, typical);
    }

    /**
     * A picture's novelty against the training pictures.
     *
     * @param nearest the name of the training picture nearest in feature space
     * @param distance the feature distance to it, the work seen up to a small move (0 to √192)
     * @param typicalDistance the typical distance between training pictures, which {@code distance} is judged by
     * @param novelty min(1, distance / typicalDistance), or 0 for a near duplicate: 0 = a copy, 1 = as
     *     far from the training set as its pictures are from each other
     * @param hashNearest the name of the training picture whose perceptual hash is nearest
     * @param hashDistance the Hamming distance to that hash, in bits (0 to 64)
     * @param nearDuplicate whether hashDistance ≤ {@value PictureNovelty#NEAR_DUPLICATE_BITS}
     */
    public record Score(String nearest, double distance, double typicalDistance, double novelty, String hashNearest,
            int hashDistance, boolean nearDuplicate) {}
}
