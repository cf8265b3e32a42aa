package io.loomas.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The same seed gives the same trace in another JVM launch, not only within one. */
class CrossJvmDeterminismTest {

    /** Runs the busy scenario for the seeds given and prints one trace digest per line. */
    public static void main(String[] args) throws Exception {
        for (String seed : args) {
            System.out.println(digest(Long.parseLong(seed)));
        }
        System.exit(0);
    }

    /** {@return the trace digest of the busy world (several nodes, agents, faults, shutdown) for {@code seed}} */
    static String digest(long seed) {
        Simulation sim = Simulation.withSeed(seed);
        BusyDeterminismTest.busyWorld(sim);
        sim.close(); // the shutdown is part of the run compared
        return sim.trace().digest();
    }

    @Test
    void aChildJvmProducesTheSameTracesForTheSameSeeds() throws Exception {
        List<String> seeds = List.of("1", "17", "123456789", "-5", "4242");
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), CrossJvmDeterminismTest.class.getName()));
        command.addAll(seeds);
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            lines = out.lines().filter(l -> l.matches("[0-9a-f]{64}")).toList();
        }
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(lines).hasSameSizeAs(seeds);
        for (int i = 0; i < seeds.size(); i++) {
            assertThat(lines.get(i)).as("trace digest of seed " + seeds.get(i)).isEqualTo(digest(Long.parseLong(seeds.get(i))));
        }
    }
}
