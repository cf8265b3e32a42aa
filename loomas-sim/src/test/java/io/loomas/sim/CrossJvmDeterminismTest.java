package io.loomas.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
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

    static String digest(long seed) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (Simulation sim = Simulation.withSeed(seed)) {
            SimulationTest.busyScenario(sim);
            for (Trace.Event e : sim.trace().events()) {
                sha.update(e.toJson().getBytes(StandardCharsets.UTF_8));
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    @Test
    void aChildJvmProducesTheSameTracesForTheSameSeeds() throws Exception {
        List<String> seeds = List.of("1", "17", "123456789");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CrossJvmDeterminismTest.class.getName(), seeds.get(0), seeds.get(1), seeds.get(2))
                .redirectErrorStream(true).start();
        List<String> lines;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            lines = out.lines().filter(l -> l.matches("[0-9a-f]{64}")).toList();
        }
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(lines).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(lines.get(i)).as("trace digest of seed " + seeds.get(i)).isEqualTo(digest(Long.parseLong(seeds.get(i))));
        }
    }
}
