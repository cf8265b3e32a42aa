package io.loomas.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Runs every benchmark for a few hundred calls so the bench command cannot rot. It measures
 * nothing worth reading: the real runs are {@code bench/run}, never part of the test suite.
 */
class BenchSmokeTest {

    @Test
    void everyBenchmarkRunsAndPrintsItsTable() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new Bench(Settings.smoke(), new PrintStream(bytes, true, StandardCharsets.UTF_8)).run();
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out)
                .contains("## RPC throughput, loopback TCP", "## RPC latency", "## RPC throughput, Unix domain socket",
                        "## RPC throughput, local (in-JVM) transport", "## Container create", "## Memory per idle agent",
                        "## Memory and threads per open connection", "## Codec micro-benchmarks", "## Simulation", "## Goals")
                .contains("| loomas json |", "| loomas msgpack |", "| gRPC-java |", "| gRPC-java async |", "| raw limit |")
                .doesNotContain("NaN");
    }

    @Test
    void optionsParseAndUnknownOnesAreRejected() {
        Settings s = Settings.parse(new String[] {"--quick", "--runs", "5", "--only", "tcp,codec"});
        assertThat(s.runs).isEqualTo(5);
        assertThat(s.sections).containsExactly("tcp", "codec");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Settings.parse(new String[] {"--only", "nope"}))
                .hasMessageContaining("unknown section in --only: [nope]");
    }
}
