package io.loomas.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomas.runtime.Loop;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Disk#directory}: real files, the same contract as a simulated disk, from a task or from any thread. */
class DirectoryDiskTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void writesAreReadBackAndLandInTheDirectory(boolean fromATask, @TempDir Path dir) throws Exception {
        java.util.concurrent.Callable<Void> body = () -> {
            Disk disk = Disk.directory(dir.resolve("node-1"));
            assertThat(disk.read("log")).isEmpty();
            assertThat(disk.exists("log")).isFalse();
            disk.append("log", bytes("one;"));
            disk.append("log", bytes("two;"));
            disk.sync("log");
            assertThat(text(disk.read("log"))).isEqualTo("one;two;");
            disk.truncate("log", 4);
            disk.write("meta", bytes("v1"));
            disk.write("meta", bytes("v2!"));
            disk.replace("state", bytes("term=3"));
            disk.replace("state", bytes("term=4"));
            disk.sync("missing-is-fine");
            assertThat(disk.files()).containsExactly("log", "meta", "state");
            assertThat(text(disk.read("log"))).isEqualTo("one;");
            assertThat(text(disk.read("meta"))).isEqualTo("v2!");
            assertThat(Files.readString(dir.resolve("node-1/state"))).isEqualTo("term=4");
            disk.delete("meta");
            disk.delete("meta");
            assertThat(disk.files()).containsExactly("log", "state");
            // Another process (here: another disk on the same directory) sees what was written.
            assertThat(text(Disk.directory(dir.resolve("node-1")).read("state"))).isEqualTo("term=4");
            return null;
        };
        if (fromATask) {
            Loop.run(body);
        } else {
            body.call();
        }
    }

    @Test
    void aBadFileNameIsRefusedWithWhatIsExpected(@TempDir Path dir) throws IOException {
        Disk disk = Disk.directory(dir);
        for (String bad : new String[] {"", "../escape", "a/b", ".hidden", "x".repeat(256), "caf\u00e9", "a b"}) {
            assertThatThrownBy(() -> disk.append(bad, new byte[1])).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("expected: 1 to 255 of A-Z a-z 0-9 . _ -");
        }
        assertThatThrownBy(() -> disk.truncate("f", -1)).hasMessageContaining("must not be negative");
        assertThat(Files.list(dir)).isEmpty();
    }

    @Test
    void aFileSystemErrorIsTheFileSystemsOwn(@TempDir Path dir) throws Exception {
        Disk disk = Disk.directory(dir);
        Files.createDirectory(dir.resolve("taken")); // a directory where the file would be
        Loop.run(() -> {
            assertThatThrownBy(() -> disk.append("taken", new byte[1])).isInstanceOf(IOException.class);
            return null;
        });
    }
}
