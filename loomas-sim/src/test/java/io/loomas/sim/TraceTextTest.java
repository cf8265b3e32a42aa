package io.loomas.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomas.agent.Agent;
import io.loomas.agent.AgentAddress;
import io.loomas.agent.Container;
import io.loomas.rpc.Expose;
import io.loomas.runtime.Promise;
import io.loomas.transport.Address;
import io.loomas.transport.Connection;
import io.loomas.transport.FrameHandler;
import io.loomas.transport.TransportOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The simulator's frequent events keep their detail as parts and write it as text only when read
 * or spooled: the text must be exactly what it was when it was built at every step, in memory and
 * read back from the spool file alike (traces of earlier runs, replays and viewers depend on it).
 */
class TraceTextTest {
    /** What the scenario's events said when their text was built at every step, pinned before the change. */
    private static final List<String> EXPECTED = List.of(
            "PT0S listen b",
            "PT0S connect a -> b #1",
            "PT0S send a -> b #1 frame 0 (25 bytes) [0, 1, \"add\", [1, 2], {}]",
            "PT0S send a -> b #1 frame 1 (3 bytes)",
            "PT0.008117081S time jump from PT0S",
            "PT0.008117081S deliver a -> b #1 frame 0",
            "PT0.008117081S deliver a -> b #1 frame 1",
            "PT0.008117081S run main",
            "PT0.008117081S fault partition a -> b",
            "PT0.008117081S fault partition b -> a",
            "PT0.008117081S send a -> b #1 frame 2 (4 bytes) held",
            "PT0.008381215S time jump from PT0.008117081S",
            "PT0.008381215S hold a -> b #1 frame 2",
            "PT0.009117081S time jump from PT0.008381215S",
            "PT0.009117081S timer due at PT0.009117081S",
            "PT0.009117081S run main",
            "PT0.009117081S send a -> b #1 frame 3 (end)",
            "PT0.010117081S time jump from PT0.009117081S",
            "PT0.010117081S timer due at PT0.010117081S",
            "PT0.010117081S run main");

    private static final List<String> EXPECTED_CALL = List.of(
            "PT0S run start a @a",
            "PT0S listen a",
            "PT0S run main",
            "PT0S run start b @b",
            "PT0S listen b",
            "PT0S run main",
            "PT0S connect a -> b #1",
            "PT0S send a -> b #1 frame 0 (35 bytes) [0, 0, [\"validate_aid\", [\"0\"], {}]]",
            "PT0S run rpc-serve local://a#1 -> local://b",
            "PT0S run handler local://a#1 @b",
            "PT0.008117081S time jump from PT0S",
            "PT0.008117081S deliver a -> b #1 frame 0",
            "PT0.008117081S run handler local://a#1 @b",
            "PT0.008117081S run rpc validate_aid from local://a#1 @b",
            "PT0.008117081S send b -> a #1 frame 0 (14 bytes) [1, 0, \"Echo\"]",
            "PT0.008978088S time jump from PT0.008117081S",
            "PT0.008978088S deliver b -> a #1 frame 0",
            "PT0.008978088S run main",
            "PT0.008978088S send a -> b #1 frame 1 (35 bytes) [0, 1, [\"agents/0/echo\", [42], {}]]",
            "PT0.009242222S time jump from PT0.008978088S",
            "PT0.009242222S deliver a -> b #1 frame 1",
            "PT0.009242222S run handler local://a#1 @b",
            "PT0.009242222S run rpc agents/0/echo from local://a#1 @b",
            "PT0.009242222S send b -> a #1 frame 1 (10 bytes) [1, 1, 42]",
            "PT0.019714024S time jump from PT0.009242222S",
            "PT0.019714024S deliver b -> a #1 frame 1",
            "PT0.019714024S run main");

    @Test
    void framesTaskSwitchesAndTimeJumpsReadAsTheyAlwaysDid() {
        assertThat(run(Integer.MAX_VALUE)).isEqualTo(EXPECTED);
    }

    @Test
    void theSameTextComesBackFromTheSpoolFile() {
        assertThat(run(2)).isEqualTo(run(Integer.MAX_VALUE));
        assertThat(call(3)).isEqualTo(call(Integer.MAX_VALUE));
    }

    /** Task switches name the node a task works for; an agent's call on the wire shows its JSON. */
    @Test
    void anAgentsCallReadsAsItAlwaysDid() {
        assertThat(call(Integer.MAX_VALUE)).isEqualTo(EXPECTED_CALL);
    }

    /** Details kept as parts read the same run after run: many callers, held frames, many seeds. */
    @Test
    void theSameSeedGivesTheSameTextWithHoldsAndManyCallers() {
        java.util.function.Consumer<Simulation> scenario = sim -> sim.run(() -> {
            sim.network().setLatency(Latency.exponential(Duration.ofMillis(3)));
            Container a = sim.container("a");
            Container b = sim.container("b", Echo::new);
            var echo = a.connect(new AgentAddress(b.address(), "0"));
            List<io.loomas.runtime.Task<Object>> callers = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                int base = c * 100;
                callers.add(io.loomas.runtime.Loop.current().spawn(() -> {
                    for (int i = 0; i < 5; i++) {
                        echo.call("echo", base + i);
                    }
                    return null;
                }));
            }
            sim.clock().sleep(Duration.ofMillis(4));
            sim.network().partition("a", "b"); // frames in flight are held, then go on
            sim.clock().sleep(Duration.ofMillis(20));
            sim.network().heal("a", "b");
            io.loomas.runtime.Future.all(callers).await();
            return null;
        });
        for (long seed = 1; seed <= 12; seed++) {
            Simulation.checkDeterminism(seed, scenario);
        }
        try (Simulation sim = Simulation.withSeed(1)) {
            scenario.accept(sim);
            assertThat(lines(sim)).anyMatch(l -> l.contains(" hold ")).anyMatch(l -> l.contains(" @b"));
        }
    }

    /** Answers calls. */
    public static final class Echo extends Agent {
        public Echo(Container c) {
            super(c);
        }

        @Expose
        public int echo(int x) {
            return x;
        }
    }

    private static List<String> call(int window) {
        try (Simulation sim = Simulation.withSeed(7)) {
            sim.trace().setWindow(window);
            sim.run(() -> {
                Container a = sim.container("a");
                Container b = sim.container("b", Echo::new);
                a.connect(new AgentAddress(b.address(), "0")).call("echo", 42);
                return null;
            });
            return lines(sim);
        }
    }

    private static List<String> lines(Simulation sim) {
        List<String> lines = new ArrayList<>();
        try (var events = sim.trace().stream()) {
            events.forEach(e -> lines.add(e.time() + " " + e.kind() + " " + e.detail()));
        }
        return lines;
    }

    private static List<String> run(int window) {
        try (Simulation sim = Simulation.withSeed(7)) {
            sim.trace().setWindow(window);
            sim.run(() -> {
                Promise<Void> two = new Promise<>();
                int[] received = {0};
                sim.network().endpoint("b").listen(Address.local("b"), TransportOptions.DEFAULT, c -> c.start(new FrameHandler() {
                    @Override
                    public void onFrame(byte[] payload) {
                        if (++received[0] == 2) {
                            two.complete(null);
                        }
                    }

                    @Override
                    public void onClose(Throwable cause) {}
                }));
                Connection a = sim.network().endpoint("a").connect(Address.local("b"), TransportOptions.DEFAULT);
                a.start(new FrameHandler() {
                    @Override
                    public void onFrame(byte[] payload) {}

                    @Override
                    public void onClose(Throwable cause) {}
                });
                a.send("[0, 1, \"add\", [1, 2], {}]".getBytes(StandardCharsets.US_ASCII));
                a.send(new byte[] {(byte) 0x93, 0, 1});
                two.await();
                sim.network().partition("a", "b");
                a.send("held".getBytes(StandardCharsets.US_ASCII));
                sim.clock().sleep(Duration.ofMillis(1));
                a.close();
                sim.clock().sleep(Duration.ofMillis(1));
                return null;
            });
            return lines(sim);
        }
    }
}
