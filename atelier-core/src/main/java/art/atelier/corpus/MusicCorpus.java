package art.atelier.corpus;

import art.atelier.UsageException;
import art.atelier.music.MidiException;
import art.atelier.music.MidiFile;
import art.atelier.music.MidiReader;
import art.atelier.music.Piece;
import art.atelier.util.Hashing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * An artist's music: one Standard MIDI File, or a folder of {@code .mid}/{@code .midi} files (any
 * case, searched recursively, hidden files and folders left out), each read with the strict
 * {@link MidiReader}. The first folder level under the root names a piece's style ("bach/",
 * "ragtime/"); pieces at the root have no style. A file that cannot be read is named with the
 * reader's reason ("track 2 is truncated: ..."); a file that reads but holds no notes is bad too
 * ("no notes"): nothing can be learned from it.
 */
public final class MusicCorpus {

    /** Style label of pieces directly under the root. */
    public static final String NO_STYLE = TextCorpus.NO_STYLE;

    /**
     * One piece of the corpus.
     *
     * @param path relative to the corpus root, '/'-separated (the file name for a single-file corpus)
     * @param style its style label, or {@link #NO_STYLE}
     * @param piece its notes
     * @param sha256 hash of the file's bytes
     * @param durationMicros the file's length, microseconds (see {@link MidiFile#durationMicros()})
     */
    public record Item(String path, String style, Piece piece, String sha256, long durationMicros) {}

    /**
     * A corpus cut in two.
     *
     * @param train pieces to learn from, sorted by path
     * @param validation pieces held out to measure progress, sorted by path
     */
    public record Split(List<Item> train, List<Item> validation) {}

    private final Path root; // the file or folder given
    private final List<Item> items; // sorted by path
    private final List<String> styles; // sorted, distinct; empty when no piece has a style
    private final List<BadFile> skipped; // files left out, with reasons
    private final String fingerprint;

    private MusicCorpus(Path root, List<Item> items, List<BadFile> skipped) {
        this.root = root;
        this.items = List.copyOf(items);
        this.skipped = List.copyOf(skipped);
        TreeSet<String> s = new TreeSet<>();
        List<String[]> entries = new ArrayList<>();
        for (Item it : items) {
            s.add(it.style());
            entries.add(new String[] {it.style(), it.sha256()});
        }
        // one label, "no style", is an unstyled corpus: the model then learns no style embedding
        this.styles = s.equals(Set.of(NO_STYLE)) ? List.of() : List.copyOf(s);
        this.fingerprint = Fingerprint.of(entries);
    }

    /**
     * Reads and checks a corpus.
     *
     * @param root a MIDI file, or a folder of .mid/.midi files (sub-folders are styles)
     * @param policy what to do with a file that cannot be used
     * @return the corpus
     * @throws CorpusException if it is missing, has no MIDI files, no usable ones, or (under STOP) a bad file
     */
    public static MusicCorpus load(Path root, BadFilePolicy policy) {
        Objects.requireNonNull(policy, "policy");
        if (!Files.exists(root)) {
            throw new CorpusException("no such file or folder: " + root);
        }
        boolean single = Files.isRegularFile(root);
        List<String> files = single ? List.of(root.getFileName().toString()) : list(root);
        if (files.isEmpty()) {
            throw new CorpusException("no MIDI files (.mid or .midi) in " + root);
        }
        List<Item> items = new ArrayList<>();
        List<BadFile> bad = new ArrayList<>();
        for (String rel : files) {
            String style = single || !rel.contains("/") ? NO_STYLE : rel.substring(0, rel.indexOf('/'));
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(single ? root : root.resolve(rel));
            } catch (IOException e) {
                bad.add(new BadFile(rel, "cannot be read (" + e.getMessage() + ")"));
                continue;
            }
            MidiFile midi;
            try {
                midi = MidiReader.read(bytes);
            } catch (MidiException e) {
                bad.add(new BadFile(rel, e.reason()));
                continue;
            }
            if (midi.piece().notes().isEmpty()) {
                bad.add(new BadFile(rel, "no notes"));
                continue;
            }
            items.add(new Item(rel, style, midi.piece(), Hashing.sha256(bytes), midi.durationMicros()));
        }
        if (!bad.isEmpty() && policy == BadFilePolicy.STOP) {
            BadFile first = bad.get(0);
            String more = bad.size() > 1 ? " (and " + (bad.size() - 1) + " more bad files)" : "";
            throw new CorpusException(root.resolve(single ? "" : first.path()).normalize() + ": " + first.reason()
                    + more + "; fix it, or pass --skip-bad to leave bad files out");
        }
        if (items.isEmpty()) {
            throw new CorpusException("no usable music in " + root + ": all " + files.size()
                    + " MIDI file(s) are bad, e.g. " + bad.get(0));
        }
        return new MusicCorpus(root, items, bad);
    }

    private static List<String> list(Path root) {
        List<String> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(Files::isRegularFile)
                    .map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .filter(rel -> !hidden(rel) && isMidi(rel))
                    .forEach(out::add);
        } catch (IOException | UncheckedIOException e) {
            throw new CorpusException("cannot list " + root + ": " + e.getMessage());
        }
        out.sort(null); // by the '/'-separated path, the order of items() and of "the first bad file"
        return out;
    }

    private static boolean hidden(String relative) {
        for (String part : relative.split("/")) {
            if (part.startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isMidi(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".mid") || n.endsWith(".midi");
    }

    /** @return the file or folder the corpus was read from */
    public Path root() {
        return root;
    }

    /** @return the pieces, sorted by path */
    public List<Item> items() {
        return items;
    }

    /**
     * @return the style labels, sorted; empty if no piece is in a sub-folder. When some pieces are in
     *     sub-folders and some at the root, the root ones form the style {@link #NO_STYLE}, listed first.
     */
    public List<String> styles() {
        return styles;
    }

    /** @return files left out (under SKIP), with reasons, sorted by path */
    public List<BadFile> skipped() {
        return skipped;
    }

    /** @return the corpus fingerprint: of each piece's style and file bytes */
    public String fingerprint() {
        return fingerprint;
    }

    /**
     * Cuts the corpus into training and validation pieces: each style's pieces are shuffled by the
     * seed and cut at the fraction, so every style is represented on both sides when it has two
     * pieces or more. With two pieces or more in all, each side gets at least one.
     *
     * @param trainFraction share for training, strictly between 0 and 1
     * @param seed equal seeds give equal splits
     * @return the two parts, disjoint, together the whole corpus
     * @throws UsageException if the fraction is out of range
     */
    public Split split(double trainFraction, long seed) {
        StyleSplit.Parts<Item> parts = StyleSplit.split(items, Item::style, Item::path, trainFraction, seed);
        return new Split(parts.train(), parts.validation());
    }
}
