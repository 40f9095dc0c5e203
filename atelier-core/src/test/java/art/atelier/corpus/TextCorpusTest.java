package art.atelier.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

class TextCorpusTest {

    @TempDir
    Path dir;

    private void write(String rel, byte[] bytes) throws IOException {
        Path p = dir.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.write(p, bytes);
    }

    private void write(String rel, String text) throws IOException {
        write(rel, text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void subFoldersAreStylesAndOtherFilesAreIgnored() throws IOException {
        write("sonnets/a.txt", "Shall I compare thee\r\nto a summer's day?\n");
        write("sonnets/b.md", "# b\nmore words\n");
        write("letters/c.txt", "Dear friend,\n");
        write("letters/notes.pdf", "%PDF not text");
        write(".hidden/d.txt", "secret");
        TextCorpus c = TextCorpus.load(dir, BadFilePolicy.STOP);
        assertThat(c.documents()).extracting(TextCorpus.Document::path)
                .containsExactly("letters/c.txt", "sonnets/a.txt", "sonnets/b.md");
        assertThat(c.styles()).containsExactly("letters", "sonnets");
        assertThat(c.documents().get(1).text()).isEqualTo("Shall I compare thee\nto a summer's day?\n");
        assertThat(c.fingerprint()).startsWith("sha256:").hasSize(71);
    }

    @Test
    void fingerprintFollowsContentAndStyleNotFileNames() throws IOException {
        write("a/x.txt", "one");
        write("a/y.txt", "two");
        String first = TextCorpus.load(dir, BadFilePolicy.STOP).fingerprint();
        Files.move(dir.resolve("a/y.txt"), dir.resolve("a/z.txt"));
        assertThat(TextCorpus.load(dir, BadFilePolicy.STOP).fingerprint()).isEqualTo(first);
        write("a/z.txt", "two!");
        assertThat(TextCorpus.load(dir, BadFilePolicy.STOP).fingerprint()).isNotEqualTo(first);
    }

    @Test
    void invalidUtf8IsNamedWithItsByteOffset() throws IOException {
        byte[] latin1 = "caf\u00e9 au lait\nsecond line".getBytes(StandardCharsets.ISO_8859_1);
        write("good.txt", "fine");
        write("bad.txt", latin1);
        assertThatThrownBy(() -> TextCorpus.load(dir, BadFilePolicy.STOP))
                .isInstanceOf(CorpusException.class)
                .hasMessageContaining("bad.txt")
                .hasMessageContaining("byte offset 3")
                .hasMessageContaining("0xE9")
                .hasMessageContaining("--skip-bad");
        TextCorpus c = TextCorpus.load(dir, BadFilePolicy.SKIP);
        assertThat(c.documents()).extracting(TextCorpus.Document::path).containsExactly("good.txt");
        assertThat(c.skipped()).singleElement().satisfies(b -> assertThat(b.reason()).contains("byte offset 3"));
    }

    @Test
    void utf16AndBinaryFilesAreRefusedWithTheReason() throws IOException {
        byte[] bom16 = new byte[] {(byte) 0xFF, (byte) 0xFE, 'h', 0, 'i', 0};
        write("u16.txt", bom16);
        assertThatThrownBy(() -> TextCorpus.load(dir.resolve("u16.txt"), BadFilePolicy.STOP))
                .hasMessageContaining("UTF-16");
        write("nul.txt", new byte[] {'a', 0, 'b'});
        assertThatThrownBy(() -> TextCorpus.load(dir.resolve("nul.txt"), BadFilePolicy.STOP))
                .hasMessageContaining("NUL byte at byte offset 1");
        write("cut.txt", new byte[] {'a', (byte) 0xE2, (byte) 0x82});
        assertThatThrownBy(() -> TextCorpus.load(dir.resolve("cut.txt"), BadFilePolicy.STOP))
                .hasMessageContaining("not valid UTF-8");
    }

    @Test
    void aByteOrderMarkIsDropped() throws IOException {
        write("bom.txt", new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'h', 'i'});
        assertThat(TextCorpus.load(dir.resolve("bom.txt"), BadFilePolicy.STOP).documents().get(0).text()).isEqualTo("hi");
    }

    @Test
    void emptyOrMissingCorporaAreRefused() throws IOException {
        assertThatThrownBy(() -> TextCorpus.load(dir.resolve("nope"), BadFilePolicy.STOP))
                .hasMessageContaining("no such file or folder");
        assertThatThrownBy(() -> TextCorpus.load(dir, BadFilePolicy.STOP)).hasMessageContaining("no .txt or .md files");
        write("empty.txt", "  \n");
        assertThatThrownBy(() -> TextCorpus.load(dir, BadFilePolicy.STOP)).hasMessageContaining("all empty");
    }

    @Test
    void splitIsNanoGptsFirstNinetyPercentPerDocument() throws IOException {
        write("one.txt", "0123456789".repeat(10));
        TextCorpus c = TextCorpus.load(dir.resolve("one.txt"), BadFilePolicy.STOP);
        String[] parts = c.split(0.9).get(0);
        assertThat(parts[0]).hasSize(90);
        assertThat(parts[1]).hasSize(10);
        assertThat(parts[0] + parts[1]).isEqualTo(c.documents().get(0).text());
        write("emoji.txt", "\uD83C\uDFA8".repeat(10)); // never split inside a surrogate pair
        String[] e = TextCorpus.load(dir.resolve("emoji.txt"), BadFilePolicy.STOP).split(0.9).get(0);
        assertThat(e[0].codePointCount(0, e[0].length())).isEqualTo(9);
    }
}
