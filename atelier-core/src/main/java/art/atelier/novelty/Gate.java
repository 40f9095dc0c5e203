package art.atelier.novelty;

import art.atelier.AtelierException;
import art.atelier.catalog.NearHash;
import art.atelier.catalog.StoredFile;
import art.atelier.catalog.Work;
import art.atelier.image.Picture;
import art.atelier.music.Piece;
import art.atelier.train.ModelCard;
import art.atelier.work.Studio;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Decides, for each candidate work, whether it is new enough to keep: scores it against the model's
 * corpus (the index saved with the checkpoint as {@value #INDEX}) and against the catalog (a work
 * nearly identical to one already made is a duplicate), and refuses it when its novelty is below the
 * session's threshold. Generation then samples again with the next seed, up to {@link #MAX_TRIES}
 * candidates per work asked for.
 *
 * <p>Default thresholds ({@link #defaultMinNovelty}): text 0.5 and music 0.5 (at most half of the
 * work may lie in passages it shares with the corpus), pictures 0.2 (the nearest training picture
 * at least a fifth of the corpus's own typical nearest-neighbour distance away, and no
 * perceptual-hash near duplicate). {@code --min-novelty 0} keeps everything (the scores are still
 * recorded).
 */
public final class Gate {

    /** The novelty index's file name in a checkpoint. */
    public static final String INDEX = "novelty.bin";

    /** Candidates drawn per work asked for before generation gives up. */
    public static final int MAX_TRIES = 10;

    /**
     * Hamming distance (of 64 bits) at or below which two works' near-duplicate hashes match, per medium:
     * SimHash for texts and music ({@link SimHash}), the perceptual hash for pictures.
     */
    private static final Map<String, Integer> NEAR = Map.of("text", SimHash.TEXT_NEAR, "music", SimHash.MUSIC_NEAR,
            "image", PictureNovelty.NEAR_DUPLICATE_BITS);

    /**
     * What the gate says of a candidate.
     *
     * @param accepted whether to keep it
     * @param novelty the headline score in [0, 1] (0 a copy, 1 nothing shared), NaN if not measured
     * @param scores every score, for the manifest
     * @param nearHash its 64-bit near-duplicate hash for the catalog, or null
     * @param reason why it was refused, or null
     */
    public record Verdict(boolean accepted, double novelty, Map<String, Object> scores, Long nearHash,
            String reason) {}

    private final Studio studio;
    private final ModelCard card;
    private final Path index;
    private final double min;
    private Object corpusIndex; // loaded on first use: TextNovelty, MusicNovelty or PictureNovelty
    private boolean loaded;

    /**
     * @param studio the open workspace
     * @param card the model whose works are checked
     * @param modelDir its checkpoint
     * @param min the lowest novelty kept
     */
    public Gate(Studio studio, ModelCard card, Path modelDir, double min) {
        this.studio = studio;
        this.card = card;
        this.index = modelDir.resolve(INDEX);
        this.min = min;
    }

    /**
     * @param medium text, image or music
     * @return the novelty a work of that medium must reach unless the artist says otherwise
     */
    public static double defaultMinNovelty(String medium) {
        return switch (medium) {
            case "image" -> 0.2;
            default -> 0.5;
        };
    }

    /** @return the threshold in force */
    public double minNovelty() {
        return min;
    }

    /**
     * Stops a generation that keeps drawing near-copies.
     *
     * @param tries candidates drawn so far
     * @param wanted works asked for
     * @param kept works kept so far
     * @throws AtelierException when the budget is spent
     */
    public void budget(int tries, int wanted, int kept) {
        if (tries >= MAX_TRIES * wanted) {
            throw new AtelierException(String.format(Locale.ROOT, "refused %d of %d candidates as near-copies"
                    + " (novelty below %.2f, or duplicates of catalogued works) and kept %d of the %d asked for;"
                    + " the model may be copying its corpus: lower --min-novelty, raise the temperature, or train"
                    + " on more works", tries - kept, tries, min, kept, wanted));
        }
    }

    /**
     * @param id the candidate's id
     * @param written the text the model wrote (without the artist's prompt)
     * @return the verdict
     */
    public Verdict text(String id, String written) {
        Map<String, Object> s = new LinkedHashMap<>();
        double novelty = Double.NaN;
        if (corpus() instanceof TextNovelty t) {
            TextNovelty.Score sc = t.score(written);
            novelty = sc.novelty();
            s.put("novelty", round(novelty));
            s.put("longest_shared_chars", sc.longestShared());
            if (sc.longestShared() > 0) {
                s.put("longest_shared_passage", sc.passage());
            }
            s.put("shared_coverage", round(sc.coverage()));
            sc.ngramNovelty().forEach((n, v) -> putFinite(s, "new_" + n + "_word_grams", v));
        }
        long near = SimHash.ofText(written);
        return decide(id, "text", novelty, s, near, List.of(), other -> sameText(written, other));
    }

    /**
     * @param id the candidate's id
     * @param piece the notes the model wrote (without the artist's primer)
     * @return the verdict
     */
    public Verdict music(String id, Piece piece) {
        Map<String, Object> s = new LinkedHashMap<>();
        double novelty = Double.NaN;
        if (corpus() instanceof MusicNovelty mn) {
            MusicNovelty.Score sc = mn.score(piece);
            novelty = sc.novelty();
            s.put("novelty", round(novelty));
            s.put("longest_shared_notes", sc.longestShared());
            s.put("shared_coverage", round(sc.coverage()));
            sc.ngramNovelty().forEach((n, v) -> putFinite(s, "new_" + n + "_note_grams", v));
        }
        long near = SimHash.ofMusic(piece);
        return decide(id, "music", novelty, s, near, List.of(), other -> samePiece(piece, other));
    }

    /**
     * @param id the candidate's id
     * @param p the picture
     * @param parents works it was derived from, which it may resemble
     * @return the verdict
     */
    public Verdict picture(String id, Picture p, Collection<String> parents) {
        Map<String, Object> s = new LinkedHashMap<>();
        double novelty = pictureScores(p, s, "");
        return decide(id, "image", novelty, s, PerceptualHash.of(p), parents, other -> samePicture(p, other));
    }

    /**
     * Scores an animation by its least novel frame among up to eight spread through the loop.
     *
     * @param id the candidate's id
     * @param frames its frames
     * @param parents works it morphs between, which its frames may resemble
     * @return the verdict
     */
    public Verdict animation(String id, List<Picture> frames, Collection<String> parents) {
        Map<String, Object> s = new LinkedHashMap<>();
        double worst = Double.NaN;
        int step = Math.max(1, frames.size() / 8);
        int worstFrame = -1;
        Map<String, Object> worstScores = new LinkedHashMap<>();
        for (int f = 0; f < frames.size(); f += step) {
            Map<String, Object> fs = new LinkedHashMap<>();
            double n = pictureScores(frames.get(f), fs, "");
            if (!Double.isNaN(n) && (Double.isNaN(worst) || n < worst)) {
                worst = n;
                worstFrame = f;
                worstScores = fs;
            }
        }
        if (worstFrame >= 0) {
            s.putAll(worstScores);
            s.put("least_novel_frame", worstFrame);
        }
        return decide(id, "image", worst, s, PerceptualHash.of(frames.get(0)), parents,
                other -> samePicture(frames.get(0), other));
    }

    /**
     * A work that is not checked against the corpus or the catalog, with the reason recorded: a grid
     * of works already checked, a reconstruction of the artist's own picture.
     *
     * @param why the reason
     * @param scores any scores measured anyway
     * @return an accepting verdict
     */
    public static Verdict unchecked(String why, Map<String, Object> scores) {
        Map<String, Object> s = new LinkedHashMap<>(scores);
        s.put("not_checked", why);
        Object n = scores.get("novelty");
        return new Verdict(true, n instanceof Number x ? x.doubleValue() : Double.NaN, s, null, null);
    }

    /**
     * Scores a picture against the corpus without deciding (for works that are not gated).
     *
     * @param p the picture
     * @return its scores (empty if the model has no index)
     */
    public Map<String, Object> pictureScores(Picture p) {
        Map<String, Object> s = new LinkedHashMap<>();
        pictureScores(p, s, "");
        return s;
    }

    private double pictureScores(Picture p, Map<String, Object> s, String prefix) {
        if (!(corpus() instanceof PictureNovelty pn)) {
            return Double.NaN;
        }
        PictureNovelty.Score sc = pn.score(p);
        s.put(prefix + "novelty", round(sc.novelty()));
        s.put(prefix + "nearest_training_picture", sc.nearest());
        s.put(prefix + "nearest_distance", round(sc.distance()));
        s.put(prefix + "typical_distance", round(sc.typicalDistance()));
        s.put(prefix + "phash_nearest", sc.hashNearest());
        s.put(prefix + "phash_distance", sc.hashDistance());
        s.put(prefix + "near_duplicate", sc.nearDuplicate());
        return sc.novelty();
    }

    private Verdict decide(String id, String medium, double novelty, Map<String, Object> s, Long near,
            Collection<String> exempt, Predicate<Work> same) {
        if (Double.isNaN(novelty)) {
            s.put("novelty_not_measured", "model '" + card.name() + "' has no novelty index (trained before"
                    + " Atelier kept one); retrain it to measure novelty");
        }
        String reason = null;
        if (!Double.isNaN(novelty) && novelty < min) {
            reason = String.format(Locale.ROOT, "novelty %.3f is below %.2f", novelty, min);
        }
        if (reason == null && near != null && min > 0) {
            int limit = NEAR.get(medium);
            for (NearHash h : studio.catalog().nearHashes(medium)) {
                if (!h.workId().equals(id) && !exempt.contains(h.workId())
                        && Long.bitCount(h.hash() ^ near) <= limit
                        && studio.catalog().find(h.workId()).filter(same).isPresent()) {
                    reason = "a near-duplicate of catalogued work " + h.workId();
                    s.put("duplicate_of", h.workId());
                    break;
                }
            }
        }
        if (reason != null) {
            studio.refused(id + ": " + reason);
        }
        return new Verdict(reason == null, novelty, s, near, reason);
    }

    /**
     * Two texts are the same work when at least {@value #SAME_SHARE} of the candidate lies in passages of
     * {@value TextNovelty#MIN_PASSAGE} or more characters that the other also has (or, for a short
     * text, one shared passage covers that share): the near-duplicate hash only finds the candidates,
     * this decides.
     */
    private static boolean sameText(String candidate, Work other) {
        Path file = other.file("work").map(StoredFile::path).orElse(null);
        if (file == null || !Files.isRegularFile(file)) {
            return false;
        }
        try {
            String text = Files.readString(file, java.nio.charset.StandardCharsets.UTF_8);
            TextNovelty.Score sc = TextNovelty.build(List.of(text)).score(candidate);
            // a text too short for passages of that length is the same when it is (nearly) all shared
            return sc.coverage() >= SAME_SHARE
                    || sc.longestShared() >= SAME_SHARE * candidate.codePointCount(0, candidate.length());
        } catch (java.io.IOException | RuntimeException e) {
            return false; // unreadable: not held against the candidate
        }
    }

    /** Two pieces are the same work when at least {@value #SAME_SHARE} of the candidate's melody is the other's. */
    private static boolean samePiece(Piece candidate, Work other) {
        Path file = other.file("work").map(StoredFile::path).orElse(null);
        if (file == null || !Files.isRegularFile(file)) {
            return false;
        }
        try {
            Piece piece = art.atelier.music.MidiReader.read(file).piece();
            MusicNovelty.Score sc = MusicNovelty.build(List.of(piece)).score(candidate);
            int notes = MusicNovelty.lines(candidate).stream().mapToInt(l -> l.symbols().length).sum();
            // a piece too short for runs of that length is the same when its melody is (nearly) all shared
            return sc.coverage() >= SAME_SHARE || (notes > 0 && sc.longestShared() >= SAME_SHARE * notes);
        } catch (art.atelier.music.MidiException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Two pictures are the same work when, beside their perceptual hashes, their features are closer
     * than a fifth of the corpus's typical distance between its own pictures (without a corpus index,
     * the hashes decide).
     */
    private boolean samePicture(Picture candidate, Work other) {
        if (!(corpus() instanceof PictureNovelty pn)) {
            return true;
        }
        Path file = other.file("work").map(StoredFile::path).orElse(null);
        if (file == null || !Files.isRegularFile(file)) {
            return false;
        }
        try {
            byte[] bytes = Files.readAllBytes(file);
            if (bytes.length < 8 || bytes[1] != 'P') { // an animated GIF: the hashes decide
                return true;
            }
            Picture p = art.atelier.image.PngCodec.decode(bytes, candidate.channels());
            if (p.width() != candidate.width() || p.height() != candidate.height()) {
                return false; // a grid, say: not the same work
            }
            return PictureFeatures.distance(PictureFeatures.views(candidate), PictureFeatures.of(p))
                    <= 0.2 * pn.typicalDistance();
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }

    /** The share of a candidate that must repeat another work for the two to be one work. */
    static final double SAME_SHARE = 0.8;

    private Object corpus() {
        if (!loaded) {
            loaded = true;
            if (Files.isRegularFile(index)) {
                try {
                    corpusIndex = switch (card.medium()) {
                        case "text" -> TextNovelty.load(index);
                        case "music" -> MusicNovelty.load(index);
                        case "image" -> PictureNovelty.load(index);
                        default -> null;
                    };
                } catch (java.io.IOException e) {
                    throw new AtelierException("cannot read the novelty index " + index + ": " + e.getMessage(), e);
                }
            }
        }
        return corpusIndex;
    }

    /** A score undefined for this work (n-grams longer than it) is left out: JSON has no NaN. */
    private static void putFinite(Map<String, Object> s, String key, double v) {
        if (Double.isFinite(v)) {
            s.put(key, round(v));
        }
    }

    private static double round(double x) {
        return Double.isFinite(x) ? Math.round(x * 10_000) / 10_000.0 : x;
    }
}
