package io.loomas.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a trace file holds for a reader with nothing else (the trace viewer): tasks by node, and the failure. */
class TraceFileTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @BeforeEach
    void traceHere() {
        System.setProperty(Simulation.TRACE_DIR_PROPERTY, dir.toString());
    }

    @AfterEach
    void traceAsBefore() {
        System.clearProperty(Simulation.TRACE_DIR_PROPERTY);
        System.clearProperty(Simulation.TRACE_ALWAYS_PROPERTY);
    }

    private static List<JsonNode> events(Path file) throws Exception {
        List<JsonNode> all = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            all.add(JSON.readTree(line));
        }
        return all;
    }

    private static void failsOnNodeA(Simulation sim) throws Exception {
        sim.container("a");
        sim.spawnOn("a", "worker", () -> {
            sim.clock().sleep(Duration.ofMillis(3));
            return null;
        }).await();
        throw new IllegalStateException("the planted failure");
    }

    @Test
    void aFailedRunsTraceEndsWithTheFailureWhereItHappenedAndHowToReplayIt() throws Exception {
        try (Simulation sim = Simulation.builder().seed(4).traceName("Trace.fails").build()) {
            assertThatThrownBy(() -> sim.run(() -> {
                failsOnNodeA(sim);
                return null;
            })).isInstanceOf(SimulationException.class);
        }
        List<JsonNode> events = events(dir.resolve("Trace.fails-seed-4.jsonl"));
        JsonNode last = events.get(events.size() - 1);
        assertThat(last.get("kind").asText()).isEqualTo("failure");
        assertThat(last.get("t").asText()).isEqualTo("PT0.003S");
        assertThat(last.get("detail").asText()).startsWith("failed\njava.lang.IllegalStateException: the planted failure\n")
                .contains("at io.loomas.sim.TraceFileTest.failsOnNodeA(TraceFileTest.java:")
                .endsWith("replay with Simulation.withSeed(4L)");
        // A task switch names the node whose task runs, so a timeline can draw it on that node's row.
        assertThat(events).anySatisfy(e -> assertThat(e.get("detail").asText()).isEqualTo("worker @a"));
    }

    @Test
    void withTraceAlwaysAPassingRunWritesItsTraceWhenItCloses() throws Exception {
        System.setProperty(Simulation.TRACE_ALWAYS_PROPERTY, "true");
        try (Simulation sim = Simulation.builder().seed(5).traceName("Trace.passes").build()) {
            sim.run(() -> {
                sim.clock().sleep(Duration.ofMillis(1));
                return null;
            });
            assertThat(dir.resolve("Trace.passes-seed-5.jsonl")).doesNotExist();
        }
        assertThat(events(dir.resolve("Trace.passes-seed-5.jsonl"))).isNotEmpty()
                .noneSatisfy(e -> assertThat(e.get("kind").asText()).isEqualTo("failure"));

        // A failed run's file is the trace up to its failure, written once: closing adds nothing.
        try (Simulation sim = Simulation.builder().seed(4).traceName("Trace.fails").build()) {
            assertThatThrownBy(() -> sim.run(() -> {
                failsOnNodeA(sim);
                return null;
            })).isInstanceOf(SimulationException.class);
        }
        List<JsonNode> events = events(dir.resolve("Trace.fails-seed-4.jsonl"));
        assertThat(events.get(events.size() - 1).get("kind").asText()).isEqualTo("failure");
    }

    @Test
    void withoutTraceAlwaysAPassingRunWritesNoFile() throws Exception {
        try (Simulation sim = Simulation.builder().seed(5).traceName("Trace.quiet").build()) {
            sim.run(() -> null);
        }
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }
}
