package art.atelier.novelty;

import art.atelier.AtelierException;
import art.atelier.corpus.ImageCorpus;
import art.atelier.corpus.MusicCorpus;
import art.atelier.corpus.TextCorpus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Builds a corpus's novelty index when a model starts training, as the bytes every checkpoint keeps
 * under {@value Gate#INDEX}. The index covers the whole corpus, held-out works included: a copy of a
 * poem the model never trained on is still a copy of the artist's poem.
 */
public final class Indexes {

    private Indexes() {}

    /**
     * @param corpus a text corpus
     * @return the checkpoint attachment holding its index
     */
    public static Map<String, byte[]> text(TextCorpus corpus) {
        return bytes(TextNovelty.build(corpus.documents().stream().map(TextCorpus.Document::text).toList()));
    }

    /**
     * @param corpus a music corpus
     * @return the checkpoint attachment holding its index
     */
    public static Map<String, byte[]> music(MusicCorpus corpus) {
        return bytes(MusicNovelty.build(corpus.items().stream().map(MusicCorpus.Item::piece).toList()));
    }

    /**
     * @param corpus a picture corpus, read at the model's resolution
     * @return the checkpoint attachment holding its index
     */
    public static Map<String, byte[]> pictures(ImageCorpus corpus) {
        return bytes(PictureNovelty.build(corpus.pictures().stream().map(ImageCorpus.Item::path).toList(),
                corpus.pictures().stream().map(ImageCorpus.Item::picture).toList()));
    }

    private static Map<String, byte[]> bytes(Object index) {
        try {
            Path tmp = Files.createTempFile("atelier-novelty", ".bin");
            try {
                if (index instanceof TextNovelty t) {
                    t.save(tmp);
                } else if (index instanceof MusicNovelty m) {
                    m.save(tmp);
                } else {
                    ((PictureNovelty) index).save(tmp);
                }
                return Map.of(Gate.INDEX, Files.readAllBytes(tmp));
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new AtelierException("could not build the novelty index: " + e.getMessage(), e);
        }
    }
}
