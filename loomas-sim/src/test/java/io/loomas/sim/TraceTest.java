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

    @Test
    void aLongTraceStreamsToAFileAndReadsBackTheSame(@TempDir Path dir) throws Exception {
        Trace small = new Trace(Integer.MAX_VALUE);
        Trace spilled = new Trace(100);
        for (int i = 0; i < 1_000; i++) {
            String detail = "event " + i + (i % 7 == 0 ? "\nwith a second line" : "");
            small.add(Duration.ofMillis(i), i % 2 == 0 ? "send" : "deliver", detail);
            spilled.add(Duration.ofMillis(i), i % 2 == 0 ? "send" : "deliver", detail);
        }
        assertThat(spilled.size()).isEqualTo(1_000);
        assertThat(spilled.events()).isEqualTo(small.events());
        assertThat(spilled.firstDifference(small)).isEqualTo(-1);
        assertThat(spilled.digest()).isEqualTo(small.digest());
        spilled.add(Duration.ofSeconds(5), "time", "one more");
        assertThat(spilled.firstDifference(small)).isEqualTo(1_000);
        assertThat(spilled.event(1_000).detail()).isEqualTo("one more");
        Path file = dir.resolve("long.jsonl");
        spilled.writeJsonLines(file);
        assertThat(Files.readAllLines(file)).hasSize(1_001).first().isEqualTo(small.events().get(0).toJson());
    }

    /** A runaway run (a livelock up to the event budget) used to write a file of gigabytes. */
    @Test
    void aTraceFileKeepsTheFirstTenthAndTheLastNineTenthsOfItsLimit(@TempDir Path dir) throws Exception {
        Trace trace = new Trace(100);
        for (int i = 0; i < 10_000; i++) {
            trace.add(Duration.ofMillis(i), "run", "task " + i);
        }
        Path file = dir.resolve("capped.jsonl");
        trace.writeJsonLines(file, 1_000);
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(1_001);
        assertThat(lines.get(99)).contains("\"task 99\"");
        assertThat(new ObjectMapper().readTree(lines.get(100)).get("detail").asText())
                .isEqualTo("9000 events left out of this file, from #100 (the run recorded 10000)");
        assertThat(lines.get(101)).contains("\"task 9100\"");
        assertThat(lines.get(1_000)).contains("\"task 9999\"");
    }

    @Test
    void aSimulationLongerThanTheWindowStillReplaysAndComparesEventForEvent() {
        // The busy world records tens of thousands of events, far more than this window.
        Simulation.checkDeterminism(11, sim -> {
            sim.useTraceWindow(500);
            BusyDeterminismTest.busyWorld(sim);
        });
    }
}
