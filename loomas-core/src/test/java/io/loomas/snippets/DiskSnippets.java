package io.loomas.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomas.disk.Disk;
import io.loomas.runtime.Loop;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The examples of the disk's Javadoc, compiled and run: the Javadoc shows the marked regions. */
class DiskSnippets {

    /** A tiny durable log: the answer to a write is sent only once the write is synced. */
    static final class Journal {
        private final Disk disk;

        Journal(Disk disk) {
            this.disk = disk;
        }

        // @start region="disk"
        void record(String entry) throws IOException {
            disk.append("journal", (entry + "\n").getBytes(StandardCharsets.UTF_8));
            disk.sync("journal");          // only now may the caller hear "recorded"
        }

        String replay() throws IOException {
            return new String(disk.read("journal"), StandardCharsets.UTF_8);
        }
        // @end
    }

    @Test
    void disk(@TempDir Path dir) throws Exception {
        Loop.run(() -> {
            Journal journal = new Journal(Disk.directory(dir));
            journal.record("a");
            journal.record("b");
            assertThat(new Journal(Disk.directory(dir)).replay()).isEqualTo("a\nb\n");
            return null;
        });
    }
}
