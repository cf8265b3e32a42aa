package io.loomas.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trace file is valid JSON lines, one event per line, whatever text the events carry. */
class TraceTest {

    /**
     * Regression: only backslash and quote were escaped, so an event with a newline (a log line
     * with a stack trace, say) broke its JSON line in two, and control characters made it invalid.
     */
    @Test
    void everyEventIsOneValidJsonLineWhateverItsText(@TempDir Path dir) throws Exception {
        Trace trace = new Trace();
        String nasty = "line one\nline two\r\t\u0001 \"quoted\" back\\slash \u2028 ü 😀";
        trace.add(Duration.ofMillis(5), "log", nasty);
        trace.add(Duration.ofMillis(6), "send", "plain");
        Path file = dir.resolve("trace.jsonl");
        trace.writeJsonLines(file);
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2);
        JsonNode first = new ObjectMapper().readTree(lines.get(0));
        assertThat(first.get("detail").asText()).isEqualTo(nasty);
        assertThat(first.get("kind").asText()).isEqualTo("log");
        assertThat(first.get("seq").asLong()).isZero();
        assertThat(new ObjectMapper().readTree(lines.get(1)).get("t").asText()).isEqualTo("PT0.006S");
    }
}
