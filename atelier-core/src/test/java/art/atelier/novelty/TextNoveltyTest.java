package art.atelier.novelty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import art.atelier.AtelierException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextNoveltyTest {

    private static List<String> vocabulary;
    private static List<String> training;
    private static TextNovelty index;

    @TempDir
    Path dir;

    @BeforeAll
    static void buildIndex() {
        vocabulary = Fixtures.vocabulary(400, 1);
        training = new ArrayList<>();
        for (int d = 0; d < 30; d++) {
            training.add(Fixtures.prose(vocabulary, 300, 100 + d));
        }
        index = TextNovelty.build(training);
    }

    @Test
    void wordsAreRunsOfLettersAndDigitsAndEachPunctuationMark() {
        assertThat(TextNovelty.words("Don't stop, 42 times!\n  Café—noëlle"))
                .containsExactly("Don", "'", "t", "stop", ",", "42", "times", "!", "Café", "—", "noëlle");
        assertThat(TextNovelty.words("\u00a0 \t")).isEmpty();
        assertThat(TextNovelty.words("no\u0308el")).containsExactly("no\u0308el"); // a combining diaeresis stays inside
    }

    @Test
    void anExactCopyHasNoveltyZero() {
        String copy = training.get(7);
        TextNovelty.Score s = index.score(copy);
        assertThat(s.novelty()).isEqualTo(0.0);
        assertThat(s.coverage()).isEqualTo(1.0);
        int length = copy.codePointCount(0, copy.length());
        assertThat(s.longestShared()).isEqualTo(length);
        assertThat(s.document()).isEqualTo(7);
        assertThat(s.offset()).isZero();
        assertThat(s.passage()).hasSize(TextNovelty.QUOTED).isEqualTo(copy.substring(0, TextNovelty.QUOTED));
        assertThat(s.ngramNovelty()).containsOnlyKeys(3, 5, 8).allSatisfy((n, v) -> assertThat(v).isZero());
    }

    @Test
    void aWorkHalfMadeOfATrainingPassageIsHalfCovered() {
        String fresh = Fixtures.prose(vocabulary, 60, 999);
        String passage = training.get(3).substring(100, 100 + fresh.length());
        String work = fresh + " " + passage;
        TextNovelty.Score s = index.score(work);
        assertThat(s.longestShared()).isGreaterThanOrEqualTo(passage.length());
        assertThat(s.document()).isEqualTo(3);
        assertThat(s.coverage()).isBetween(0.48, 0.6);
        assertThat(s.novelty()).isEqualTo(1 - s.coverage());
    }

    @Test
    void aFreshWorkHasNoveltyNearOne() {
        String fresh = Fixtures.prose(vocabulary, 300, 12345); // the same words, in a new order
        TextNovelty.Score s = index.score(fresh);
        assertThat(s.novelty()).isGreaterThan(0.95);
        assertThat(s.longestShared()).isLessThan(TextNovelty.MIN_PASSAGE);
        assertThat(s.ngramNovelty().get(3)).isGreaterThan(0.9);
        assertThat(s.ngramNovelty().get(8)).isEqualTo(1.0);
    }

    @Test
    void ngramNoveltyByHand() {
        TextNovelty small = TextNovelty.build(List.of("The cat sat on the mat.", "A dog ran."));
        // words: The cat sat on the mat . → trigrams of "The cat sat on a mat ." :
        // [The cat sat] [cat sat on] [sat on a] [on a mat] [a mat .] → 2 found, 3 new
        TextNovelty.Score s = small.score("The cat sat on a mat.");
        assertThat(s.ngramNovelty().get(3)).isEqualTo(3 / 5.0, offset(1e-12));
        // 5-grams: [The cat sat on a] [cat sat on a mat] [sat on a mat .] → all new
        assertThat(s.ngramNovelty().get(5)).isEqualTo(1.0);
        assertThat(s.ngramNovelty().get(8)).isNaN(); // 7 words: no 8-gram to judge
        // "zebra" is in no training text, so no n-gram containing it matches
        assertThat(small.score("dog ran . zebra").ngramNovelty().get(3)).isEqualTo(1 / 2.0, offset(1e-12));
        // "The cat sat on " is shared (15 characters): below the 32 that count towards coverage
        assertThat(s.longestShared()).isEqualTo("The cat sat on ".length());
        assertThat(s.coverage()).isZero();
        assertThat(s.novelty()).isEqualTo(1.0);
        assertThat(small.score("").novelty()).isEqualTo(1.0);
    }

    @Test
    void saveThenLoadGivesIdenticalScores() throws IOException {
        Path file = dir.resolve("text.novelty");
        index.save(file);
        TextNovelty back = TextNovelty.load(file);
        assertThat(back.documents()).isEqualTo(30);
        assertThat(back.vocabularySize()).isEqualTo(index.vocabularySize());
        for (String work : List.of(training.get(2), Fixtures.prose(vocabulary, 200, 77),
                Fixtures.prose(vocabulary, 50, 5) + training.get(9).substring(0, 400))) {
            assertThat(back.score(work)).isEqualTo(index.score(work));
        }
        Path again = dir.resolve("again.novelty");
        back.save(again);
        assertThat(Files.readAllBytes(again)).isEqualTo(Files.readAllBytes(file));
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("text.novelty", "again.novelty");
        }
    }

    @Test
    void aForeignCorruptOrTruncatedFileIsRefusedByName() throws IOException {
        Path file = dir.resolve("text.novelty");
        TextNovelty.build(List.of("one small text", "and another")).save(file);
        byte[] good = Files.readAllBytes(file);

        Path png = dir.resolve("picture.png");
        Files.write(png, new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0});
        assertThatThrownBy(() -> TextNovelty.load(png)).isInstanceOf(AtelierException.class)
                .hasMessage(png + " is not an Atelier novelty index");

        Path music = dir.resolve("music.novelty");
        MusicNovelty.build(List.of()).save(music);
        assertThatThrownBy(() -> TextNovelty.load(music)).isInstanceOf(AtelierException.class)
                .hasMessage(music + " is a music novelty index, not a text one");

        byte[] newer = good.clone();
        newer[4 + 2 + 4 + 3] = 2; // after the magic and the kind "text": the format
        Path newerFile = dir.resolve("newer.novelty");
        Files.write(newerFile, newer);
        assertThatThrownBy(() -> TextNovelty.load(newerFile)).isInstanceOf(AtelierException.class)
                .hasMessage(newerFile + " is a text novelty index of format 2; this version reads format 1");

        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 0x10;
        Path flippedFile = dir.resolve("flipped.novelty");
        Files.write(flippedFile, flipped);
        assertThatThrownBy(() -> TextNovelty.load(flippedFile)).isInstanceOf(AtelierException.class)
                .hasMessageStartingWith(flippedFile + " is corrupt");

        Path cut = dir.resolve("cut.novelty");
        Files.write(cut, Arrays.copyOf(good, 9));
        assertThatThrownBy(() -> TextNovelty.load(cut)).isInstanceOf(AtelierException.class)
                .hasMessage(cut + " is truncated or corrupt");
        Files.write(cut, Arrays.copyOf(good, good.length - 20));
        assertThatThrownBy(() -> TextNovelty.load(cut)).isInstanceOf(AtelierException.class)
                .hasMessageStartingWith(cut + " is corrupt");

        Path missing = dir.resolve("missing.novelty");
        assertThatThrownBy(() -> TextNovelty.load(missing)).isInstanceOf(AtelierException.class)
                .hasMessage("no text novelty index at " + missing);
    }

    @Test
    void aMegabyteOfTextBuildsInUnderThreeSecondsAndAWorkScoresInUnderFiftyMilliseconds() throws IOException {
        List<String> big = new ArrayList<>();
        List<String> words = Fixtures.vocabulary(5000, 2);
        long chars = 0;
        for (int d = 0; chars < 1_000_000; d++) {
            String text = Fixtures.prose(words, 1000, 5000 + d);
            big.add(text);
            chars += text.length();
        }
        long t0 = System.nanoTime();
        TextNovelty idx = TextNovelty.build(big);
        double build = (System.nanoTime() - t0) / 1e9;

        String work = Fixtures.prose(words, 300, 1).substring(0, 1000) + " " + big.get(40).substring(2000, 2999);
        for (int r = 0; r < 10; r++) {
            idx.score(work); // warm-up: the first calls pay for class loading and compilation
        }
        int reps = 20;
        long t1 = System.nanoTime();
        TextNovelty.Score s = null;
        for (int r = 0; r < reps; r++) {
            s = idx.score(work);
        }
        double scoreMs = (System.nanoTime() - t1) / 1e6 / reps;
        long t2 = System.nanoTime();
        TextNovelty.Score copy = idx.score(big.get(5).substring(0, 2000));
        double copyMs = (System.nanoTime() - t2) / 1e6;
        Path file = dir.resolve("big.novelty");
        idx.save(file);
        long t3 = System.nanoTime();
        TextNovelty loaded = TextNovelty.load(file);
        double load = (System.nanoTime() - t3) / 1e9;
        assertThat(loaded.score(work)).isEqualTo(s);
        System.out.printf("TextNovelty: %,d chars in %d documents built in %.2f s; a 2000-char work scored in %.2f ms"
                + " (an exact copy in %.2f ms); the %,d-byte index loads in %.2f s%n", chars, big.size(), build, scoreMs,
                copyMs, Files.size(file), load);
        assertThat(s.coverage()).isBetween(0.4, 0.6);
        assertThat(copy.novelty()).isZero();
        assertThat(build).isLessThan(3.0);
        assertThat(scoreMs).isLessThan(50.0);
    }
}
