package art.atelier.corpus;

import static art.atelier.music.Smf.track;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import art.atelier.UsageException;
import art.atelier.music.MidiWriter;
import art.atelier.music.Note;
import art.atelier.music.Piece;
import art.atelier.music.Smf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

class MusicCorpusTest {

    @TempDir
    Path dir;

    private void write(String rel, byte[] bytes) throws IOException {
        Path p = dir.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.write(p, bytes);
    }

    /** @return a file of one note of this pitch, half a second long */
    private static byte[] tune(int pitch) {
        return MidiWriter.write(new Piece(List.of(new Note(0, 500_000, pitch, 100, 0, false))), List.of());
    }

    private static byte[] noNotes() {
        return Smf.file(1, 96, track().tempo(0, 500_000).end(96), track().text(0, 3, "empty").end(0));
    }

    private static byte[] formatTwo() {
        return Smf.file(2, 96, track().end(0), track().end(0));
    }

    @Test
    void subFoldersAreStylesAndOnlyMidiFilesAreRead() throws IOException {
        write("bach/b.mid", tune(60));
        write("bach/deeper/a.MIDI", tune(62));
        write("joplin/c.Mid", tune(64));
        write("joplin/notes.txt", "not music".getBytes(StandardCharsets.UTF_8));
        write(".trash/d.mid", formatTwo());
        write("bach/.e.mid", formatTwo());
        MusicCorpus c = MusicCorpus.load(dir, BadFilePolicy.STOP);
        assertThat(c.items()).extracting(MusicCorpus.Item::path)
                .containsExactly("bach/b.mid", "bach/deeper/a.MIDI", "joplin/c.Mid");
        assertThat(c.items()).extracting(MusicCorpus.Item::style).containsExactly("bach", "bach", "joplin");
        assertThat(c.styles()).containsExactly("bach", "joplin");
        MusicCorpus.Item first = c.items().get(0);
        assertThat(first.piece().notes()).singleElement().extracting(Note::pitch).isEqualTo(60);
        assertThat(first.durationMicros()).isEqualTo(500_000);
        assertThat(first.sha256()).hasSize(64);
        assertThat(c.fingerprint()).startsWith("sha256:").hasSize(71);
        assertThat(c.skipped()).isEmpty();
    }

    @Test
    void filesAtTheRootHaveNoStyle() throws IOException {
        write("a.mid", tune(60));
        write("b.mid", tune(61));
        MusicCorpus c = MusicCorpus.load(dir, BadFilePolicy.STOP);
        assertThat(c.items()).extracting(MusicCorpus.Item::style).containsOnly(MusicCorpus.NO_STYLE);
        assertThat(c.styles()).isEmpty();
        write("x/c.mid", tune(62));
        assertThat(MusicCorpus.load(dir, BadFilePolicy.STOP).styles()).containsExactly(MusicCorpus.NO_STYLE, "x");
        MusicCorpus single = MusicCorpus.load(dir.resolve("x/c.mid"), BadFilePolicy.STOP);
        assertThat(single.items()).extracting(MusicCorpus.Item::path, MusicCorpus.Item::style)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("c.mid", MusicCorpus.NO_STYLE));
    }

    @Test
    void aBrokenFileStopsTheRunOrIsLeftOutByPolicy() throws IOException {
        write("a/good.mid", tune(60));
        write("a/two.mid", formatTwo());
        write("b/cut.mid", java.util.Arrays.copyOf(tune(60), 30));
        assertThatThrownBy(() -> MusicCorpus.load(dir, BadFilePolicy.STOP))
                .isInstanceOf(CorpusException.class)
                .hasMessage(dir.resolve("a/two.mid") + ": format 2 (independent sequences) is not supported"
                        + " (and 1 more bad files); fix it, or pass --skip-bad to leave bad files out");
        MusicCorpus c = MusicCorpus.load(dir, BadFilePolicy.SKIP);
        assertThat(c.items()).extracting(MusicCorpus.Item::path).containsExactly("a/good.mid");
        assertThat(c.skipped()).extracting(BadFile::toString).containsExactly(
                "a/two.mid: format 2 (independent sequences) is not supported",
                "b/cut.mid: track 0 is truncated: it declares 20 bytes, 8 remain");
        assertThat(c.styles()).containsExactly("a");
    }

    @Test
    void aFileWithNoNotesIsRefused() throws IOException {
        write("good.mid", tune(60));
        write("silent.mid", noNotes());
        assertThatThrownBy(() -> MusicCorpus.load(dir, BadFilePolicy.STOP))
                .isInstanceOf(CorpusException.class)
                .hasMessageStartingWith(dir.resolve("silent.mid") + ": no notes;");
        assertThat(MusicCorpus.load(dir, BadFilePolicy.SKIP).skipped())
                .containsExactly(new BadFile("silent.mid", "no notes"));
    }

    @Test
    void emptyMissingOrAllBadCorporaAreRefused() throws IOException {
        assertThatThrownBy(() -> MusicCorpus.load(dir.resolve("nope"), BadFilePolicy.STOP))
                .hasMessage("no such file or folder: " + dir.resolve("nope"));
        write("readme.txt", "no music here".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> MusicCorpus.load(dir, BadFilePolicy.STOP))
                .isInstanceOf(CorpusException.class)
                .hasMessage("no MIDI files (.mid or .midi) in " + dir);
        write("silent.mid", noNotes());
        write("empty.mid", new byte[0]);
        assertThatThrownBy(() -> MusicCorpus.load(dir, BadFilePolicy.SKIP))
                .isInstanceOf(CorpusException.class)
                .hasMessage("no usable music in " + dir + ": all 2 MIDI file(s) are bad, e.g. empty.mid: empty file (0 bytes)");
    }

    @Test
    void theFingerprintFollowsContentAndStyleNotFileNames() throws IOException {
        write("s/a.mid", tune(60));
        write("s/b.mid", tune(62));
        String first = MusicCorpus.load(dir, BadFilePolicy.STOP).fingerprint();
        Files.move(dir.resolve("s/b.mid"), dir.resolve("s/z.mid"));
        assertThat(MusicCorpus.load(dir, BadFilePolicy.STOP).fingerprint()).isEqualTo(first);
        write("s/z.mid", tune(63));
        String changed = MusicCorpus.load(dir, BadFilePolicy.STOP).fingerprint();
        assertThat(changed).isNotEqualTo(first);
        Files.createDirectories(dir.resolve("t"));
        Files.move(dir.resolve("s/z.mid"), dir.resolve("t/z.mid"));
        assertThat(MusicCorpus.load(dir, BadFilePolicy.STOP).fingerprint()).isNotEqualTo(changed);
    }

    @Test
    void theSplitIsDeterministicAndKeepsOneForValidation() throws IOException {
        for (int i = 0; i < 10; i++) {
            write("a/" + i + ".mid", tune(40 + i));
        }
        write("b/lone.mid", tune(80));
        MusicCorpus c = MusicCorpus.load(dir, BadFilePolicy.STOP);
        MusicCorpus.Split s = c.split(0.8, 42);
        assertThat(s).isEqualTo(c.split(0.8, 42));
        assertThat(s.train()).hasSize(9); // 8 of a's 10, and b's lone piece
        assertThat(s.validation()).hasSize(2).allSatisfy(it -> assertThat(it.style()).isEqualTo("a"));
        List<MusicCorpus.Item> all = new ArrayList<>(s.train());
        all.addAll(s.validation());
        assertThat(all).containsExactlyInAnyOrderElementsOf(c.items());
        assertThat(s.train()).isSortedAccordingTo(java.util.Comparator.comparing(MusicCorpus.Item::path));

        Path two = dir.resolve("two");
        Files.createDirectories(two);
        Files.write(two.resolve("x.mid"), tune(60));
        Files.write(two.resolve("y.mid"), tune(61));
        MusicCorpus.Split pair = MusicCorpus.load(two, BadFilePolicy.STOP).split(0.99, 1);
        assertThat(pair.train()).hasSize(1);
        assertThat(pair.validation()).hasSize(1);
        assertThatThrownBy(() -> c.split(1.0, 1)).isInstanceOf(UsageException.class);
    }
}
