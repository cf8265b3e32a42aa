package io.loomas.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomas.agent.Agent;
import io.loomas.agent.AgentAddress;
import io.loomas.agent.Container;
import io.loomas.rpc.Expose;
import io.loomas.runtime.CancelledException;
import io.loomas.runtime.Loop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link Nemesis}: a seed expands into a fault profile; faults stay within what the test allows; the liveness phase follows. */
class NemesisTest {

    static final class Echo extends Agent {
        Echo(Container c) {
            super(c);
        }

        @Expose
        int echo(int x) {
            return x;
        }
    }

    /** {@code nodes} echo nodes; a client on each calls the next one until stopped; returns the answers so far. */
    static int[] cluster(Simulation sim, int nodes) throws Exception {
        int[] answered = new int[nodes];
        for (int i = 0; i < nodes; i++) {
            sim.container("n" + i, Echo::new);
        }
        for (int i = 0; i < nodes; i++) {
            int me = i;
            AgentAddress next = new AgentAddress(io.loomas.transport.Address.local("n" + ((i + 1) % nodes)), "0");
            // The clients work for no node: they go on while their node is down, as users of a service would.
            Loop.current().spawn("client-" + i, () -> {
                for (int call = 0; ; call++) {
                    Container here = sim.containerOf("n" + me);
                    if (here == null) { // crashed: wait for the restart
                        sim.clock().sleep(Duration.ofMillis(100));
                        continue;
                    }
                    try {
                        here.connect(next, Duration.ofSeconds(1)).withTimeout(Duration.ofSeconds(2)).call("echo", call);
                        answered[me]++;
                    } catch (CancelledException e) {
                        throw e; // a crash ends the client with its node
                    } catch (Exception e) {
                        sim.clock().sleep(Duration.ofMillis(100)); // refused, reset, timed out: try again
                    }
                    sim.clock().sleep(Duration.ofMillis(50));
                }
            });
        }
        return answered;
    }

    private static List<String> faults(Simulation sim) {
        return sim.trace().events().stream().filter(e -> e.kind().equals("fault")).map(Trace.Event::detail).toList();
    }

    @Test
    void aSeedExpandsIntoAProfileThatIsPrintedWithTheFailureAndTracedWhenTheChaosStarts() {
        Set<String> profiles = new LinkedHashSet<>();
        for (long seed = 0; seed < 12; seed++) {
            try (Simulation sim = Simulation.withSeed(seed)) {
                String profile = sim.run(() -> {
                    sim.nemesis(Nemesis.swarm());
                    return sim.faultProfile();
                });
                assertThat(profile).contains(", nemesis swarm [").contains(" for PT1M");
                assertThat(sim.trace().events()).anyMatch(e -> e.kind().equals("nemesis")
                        && e.detail().startsWith("chaos starts: swarm ["));
                profiles.add(profile.substring(profile.indexOf("nemesis")));
            }
        }
        assertThat(profiles).as("the seed picks the kinds, weights and rate").hasSizeGreaterThan(8);
        try (Simulation sim = Simulation.withSeed(3)) {
            assertThatThrownBy(() -> sim.run(() -> {
                sim.nemesis(Nemesis.swarm());
                cluster(sim, 3);
                sim.clock().sleep(Duration.ofSeconds(5));
                throw new AssertionError("stop here");
            })).hasMessageContaining("faults: latency ").hasMessageContaining(", nemesis swarm [")
                    .hasMessageContaining("replay with Simulation.withSeed(3L)");
        }
    }

    @ParameterizedTest
    @EnumSource(value = Nemesis.Fault.class, names = "BUGGIFY", mode = EnumSource.Mode.EXCLUDE)
    void eachKindIsInjectedAndEndsWithTheChaosPhase(Nemesis.Fault kind) {
        try (Simulation sim = Simulation.withSeed(11)) {
            int[] answered = sim.run(() -> {
                int[] a = cluster(sim, 5);
                sim.nemesis(Nemesis.swarm().only(kind).chaosFor(Duration.ofSeconds(20)).every(Duration.ofMillis(500)));
                sim.liveness(Duration.ofSeconds(30), "the chaos phase ends", () -> true);
                int[] before = a.clone();
                sim.eventually(Duration.ofSeconds(30), "every client is answered after the faults", () -> {
                    for (int i = 0; i < a.length; i++) {
                        if (a[i] <= before[i]) {
                            return false;
                        }
                    }
                    return true;
                });
                assertThat(sim.faultProfile()).doesNotContain("partitioned").doesNotContain("clogged")
                        .doesNotContain("links:");
                for (int i = 0; i < 5; i++) {
                    assertThat(sim.containerOf("n" + i)).as("n" + i + " runs after the chaos").isNotNull();
                }
                return a;
            });
            String word = switch (kind) {
                case PARTITION -> "partition ";
                case RESET -> "reset ";
                case CRASH -> "crash ";
                case PAUSE -> "pause ";
                case CLOCK -> "skew ";
                case LATENCY -> "latency n";
                case CLOG -> "clog ";
                case BUGGIFY -> throw new AssertionError();
            };
            List<String> faults = faults(sim);
            assertThat(faults).anyMatch(f -> f.startsWith(word));
            Set<String> words = faults.stream().map(f -> f.split(" ")[0]).collect(Collectors.toSet());
            Set<String> undoing = Set.of("heal", "up", "resume", "restart", "unclog", "faults", "latency");
            assertThat(words).as("only " + kind + " and its undoing").allMatch(w -> w.equals(word.strip().split(" ")[0])
                    || undoing.contains(w));
            assertThat(java.util.Arrays.stream(answered).min().orElseThrow()).isPositive();
        }
    }

    @Test
    void crashesAndPausesStayWithinTheCrashableNodesAndAMinority() {
        for (long seed = 0; seed < 8; seed++) {
            try (Simulation sim = Simulation.withSeed(seed)) {
                int[] mostDown = {0};
                sim.run(() -> {
                    cluster(sim, 5);
                    sim.nemesis(Nemesis.swarm().only(Nemesis.Fault.CRASH, Nemesis.Fault.PAUSE)
                            .every(Duration.ofMillis(200)).chaosFor(Duration.ofSeconds(30)).allKindsEveryRun());
                    for (int t = 0; t < 30_000; t += 10) {
                        int down = 0;
                        for (int i = 0; i < 5; i++) {
                            down += sim.containerOf("n" + i) == null ? 1 : 0;
                        }
                        mostDown[0] = Math.max(mostDown[0], down);
                        sim.clock().sleep(Duration.ofMillis(10));
                    }
                    return null;
                });
                assertThat(mostDown[0]).isBetween(1, 2);
            }
        }
        try (Simulation sim = Simulation.withSeed(4)) {
            sim.run(() -> {
                cluster(sim, 3);
                sim.nemesis(Nemesis.swarm().only(Nemesis.Fault.CRASH, Nemesis.Fault.PAUSE, Nemesis.Fault.PARTITION)
                        .crashable("n1").nodes("n0", "n1").every(Duration.ofMillis(100)).allKindsEveryRun());
                sim.clock().sleep(Duration.ofSeconds(30));
                return null;
            });
            List<String> faults = faults(sim);
            assertThat(faults).anyMatch(f -> f.equals("crash n1")).anyMatch(f -> f.startsWith("pause n1"))
                    .noneMatch(f -> f.matches("(crash|pause) n[02].*")).noneMatch(f -> f.contains("n2"));
        }
    }

    @Test
    void theChaosPhaseEndsByItselfAndEndFaultsEndsItEarly() {
        try (Simulation sim = Simulation.withSeed(2)) {
            sim.run(() -> {
                cluster(sim, 3);
                sim.nemesis(Nemesis.swarm().chaosFor(Duration.ofSeconds(10)).every(Duration.ofMillis(300)));
                assertThatThrownBy(() -> sim.nemesis(Nemesis.swarm())).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("a nemesis runs already");
                sim.clock().sleep(Duration.ofSeconds(2));
                sim.endFaults();
                Duration ended = sim.clock().now();
                sim.clock().sleep(Duration.ofSeconds(20));
                assertThat(sim.trace().events()).filteredOn(e -> e.kind().equals("fault") && e.time().compareTo(ended) > 0)
                        .as("no fault after endFaults").isEmpty();
                sim.nemesis(Nemesis.swarm().chaosFor(Duration.ofSeconds(3))); // a second phase, now the first is over
                sim.clock().sleep(Duration.ofSeconds(4));
                assertThat(sim.faultProfile()).endsWith("(over)");
                return null;
            });
        }
    }

    @Test
    void aLivenessFailureNamesWhatDidNotHappenAndWhatTheTasksWaitOn() {
        try (Simulation sim = Simulation.withSeed(6)) {
            assertThatThrownBy(() -> sim.run(() -> {
                cluster(sim, 3);
                boolean[] gaveUp = {false};
                sim.spawnOn("n0", "fragile-client", () -> {
                    try {
                        sim.containerOf("n0").connect(new AgentAddress(io.loomas.transport.Address.local("n1"), "0"))
                                .withTimeout(Duration.ofMillis(200)).call("echo", 1);
                    } catch (Exception e) {
                        gaveUp[0] = true;
                        new io.loomas.runtime.Event().await(); // a bug: it never tries again
                    }
                    return null;
                });
                sim.network().partition("n0", "n1");
                sim.nemesis(Nemesis.swarm().only(Nemesis.Fault.LATENCY).chaosFor(Duration.ofSeconds(5)));
                sim.liveness(Duration.ofSeconds(10), "the fragile client is answered", () -> !gaveUp[0]);
                return null;
            })).hasMessageContaining("liveness: the fragile client is answered did not happen within PT10S")
                    .hasMessageContaining("fragile-client");
        }
    }

    @Test
    void aRunUnderTheNemesisReplaysEventForEvent() {
        for (long seed = 0; seed < 12; seed++) {
            int nodes = seed % 2 == 0 ? 3 : 5;
            Simulation.checkDeterminism(seed, sim -> sim.run(() -> {
                cluster(sim, nodes);
                sim.nemesis(Nemesis.swarm().chaosFor(Duration.ofSeconds(20)));
                sim.liveness(Duration.ofSeconds(30), "time passes", () -> true);
                return null;
            }));
        }
    }

    @Test
    void aCrashedNodesTaskThatSwallowsItsCancellationIsNamed() {
        try (Simulation sim = Simulation.withSeed(1)) {
            assertThatThrownBy(() -> sim.run(() -> {
                sim.container("n0");
                sim.spawnOn("n0", "stubborn", () -> {
                    while (true) {
                        try {
                            sim.clock().sleep(Duration.ofSeconds(1));
                        } catch (Exception e) {
                            // swallows the crash's cancellation: the bug the failure must name
                        }
                    }
                });
                sim.clock().sleep(Duration.ofSeconds(1));
                sim.crash("n0");
                return null;
            })).hasMessageContaining("node n0 crashed, but its task(s) 'stubborn' still run PT5S after they were"
                    + " cancelled: a task that catches CancelledException");
        }
    }

    @Test
    void aWrongFormSaysWhichFormsExist() {
        assertThat(Nemesis.parse("swarm(partition, CRASH)")).isEqualTo(
                Nemesis.swarm().only(Nemesis.Fault.PARTITION, Nemesis.Fault.CRASH));
        assertThat(Nemesis.parse(" swarm ")).isEqualTo(Nemesis.swarm());
        assertThatThrownBy(() -> Nemesis.parse("swarm(partition, meteor)"))
                .hasMessageContaining("not a fault kind: \"meteor\"").hasMessageContaining("[partition, reset, crash");
        assertThatThrownBy(() -> Nemesis.parse("chaos")).hasMessageContaining("expected: swarm, or swarm(kind, ...)");
        assertThatThrownBy(() -> Nemesis.swarm().without(EnumSet.allOf(Nemesis.Fault.class).toArray(Nemesis.Fault[]::new)))
                .hasMessageContaining("at least one fault kind");
        assertThat(Nemesis.swarm().only(Nemesis.Fault.CRASH).crashable("a").chaosFor(Duration.ofSeconds(5)))
                .hasToString("Nemesis.swarm().only(Fault.CRASH).crashable(\"a\").chaosFor(Duration.parse(\"PT5S\"))");
    }

    @Test
    void buggifyIsSwitchedOnOrOffPerSeedWhenTheSwarmMayChooseIt() {
        List<String> seen = new ArrayList<>();
        for (long seed = 0; seed < 10; seed++) {
            try (Simulation sim = Simulation.withSeed(seed)) {
                seen.add(sim.run(() -> {
                    sim.nemesis(Nemesis.swarm());
                    return sim.faultProfile().contains("buggify off") ? "off" : "on";
                }));
            }
        }
        assertThat(seen).contains("on", "off");
        Loop.run(() -> null);
    }
}
