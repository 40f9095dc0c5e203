package art.atelier.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporary() throws IOException {
        Path f = dir.resolve("a.txt");
        AtomicFiles.writeString(f, "old");
        assertThatThrownBy(() -> AtomicFiles.write(f, out -> {
            out.write("half".getBytes());
            throw new IOException("disk full");
        })).hasMessage("disk full");
        assertThat(Files.readString(f)).isEqualTo("old");
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("a.txt");
        }
    }

    @Test
    void directoryReplaceIsAllOrNothing() throws IOException {
        Path model = dir.resolve("m");
        AtomicFiles.replaceDirectory(model, d -> Files.writeString(d.resolve("x"), "1"));
        assertThatThrownBy(() -> AtomicFiles.replaceDirectory(model, d -> {
            Files.writeString(d.resolve("x"), "2");
            throw new IOException("killed");
        })).hasMessage("killed");
        assertThat(Files.readString(model.resolve("x"))).isEqualTo("1");
        AtomicFiles.replaceDirectory(model, d -> Files.writeString(d.resolve("x"), "3"));
        assertThat(Files.readString(model.resolve("x"))).isEqualTo("3");
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("m");
        }
    }

    @Test
    void aSwapInterruptedBetweenItsRenamesIsRecovered() throws IOException {
        Path model = dir.resolve("m");
        Path backup = dir.resolve(".m.previous");
        Files.createDirectories(backup);
        Files.writeString(backup.resolve("x"), "kept");
        Files.createDirectories(dir.resolve(".m.staging-123"));
        AtomicFiles.recoverDirectory(model);
        assertThat(Files.readString(model.resolve("x"))).isEqualTo("kept");
        assertThat(dir.resolve(".m.staging-123")).doesNotExist();
    }
}
