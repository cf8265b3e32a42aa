package io.loomas.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomas.agent.Container;
import io.loomas.channel.Channels;
import io.loomas.rpc.Remote;
import io.loomas.runtime.Loop;
import io.loomas.runtime.Promise;
import io.loomas.runtime.Queue;
import io.loomas.transport.Address;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Mistakes a user will make inside a simulation fail the run loudly, with the cause and what to
 * do instead; none of them hangs or passes silently.
 */
@Timeout(60)
class GuardRailTest {

    @Test
    void aTaskThatBlocksTheThreadFailsTheRunNamingItAndWhereItIs() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (Simulation sim = Simulation.builder().seed(1).blockingThreshold(Duration.ofMillis(300)).build()) {
            assertThatThrownBy(() -> sim.run(() -> {
                Loop.current().spawn("sleeper", () -> {
                    blockTheThread(release); // stands for Thread.sleep or blocking I/O
                    return null;
                });
                sim.clock().sleep(Duration.ofSeconds(1));
                return null;
            })).isInstanceOf(SimulationException.class)
                    .hasMessageContaining("simulation blocked: task 'sleeper' has held the loop for")
                    .hasMessageContaining("without reaching a scheduling point")
                    .hasMessageContaining("Thread.sleep: use clock().sleep")
                    .hasMessageContaining("It is at io.loomas.sim.GuardRailTest.blockTheThread(GuardRailTest.java")
                    .hasMessageContaining("at java.base/java.util.concurrent.CountDownLatch.await")
                    .hasMessageContaining("seed=1");
            assertThatThrownBy(() -> sim.run(() -> null)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("task 'sleeper' still holds the loop");
        } finally {
            release.countDown();
        }
    }

    private static void blockTheThread(CountDownLatch latch) throws InterruptedException {
        latch.await(30, TimeUnit.SECONDS);
    }

    @Test
    void offloadIsRefusedWithWhatToUseInstead() {
        try (Simulation sim = Simulation.withSeed(2)) {
            sim.run(() -> {
                assertThatThrownBy(() -> Loop.current().offload(() -> 1)).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("loop.offload is refused in a deterministic simulation")
                        .hasMessageContaining("clock().sleep");
                return null;
            });
        }
    }

    @Test
    void realTransportsAreRefusedWithWhatToUseInstead() {
        try (Simulation sim = Simulation.withSeed(3)) {
            sim.run(() -> {
                for (Address real : new Address[] {Address.tcp("127.0.0.1", 1), Address.local("elsewhere")}) {
                    assertThatThrownBy(() -> Channels.connect(real, io.loomas.channel.ChannelOptions.DEFAULT)).isInstanceOf(IllegalStateException.class)
                            .hasMessageContaining(real.toString())
                            .hasMessageContaining("real transports are refused in a deterministic simulation")
                            .hasMessageContaining("sim.containerOptions(node)");
                    assertThatThrownBy(() -> Container.create(real, io.loomas.agent.ContainerOptions.DEFAULT)).isInstanceOf(IllegalStateException.class)
                            .hasMessageContaining("listen with");
                }
                return null;
            });
        }
    }

    @Test
    void aThreadStartedByATaskCannotActOnTheSimulationAndFailsTheRun() throws Exception {
        try (Simulation sim = Simulation.withSeed(4)) {
            Promise<Throwable> seenByThread = new Promise<>();
            assertThatThrownBy(() -> sim.run(() -> {
                Queue<String> inbox = new Queue<>();
                CountDownLatch tried = new CountDownLatch(1);
                Loop.current().spawn("taker", () -> inbox.take(Duration.ofSeconds(1)));
                Loop.yieldNow(); // the taker waits
                Thread.ofPlatform().start(() -> {
                    try {
                        inbox.put("from a thread"); // would wake the taker at a moment no seed decides
                    } catch (RuntimeException e) {
                        seenByThread.complete(e);
                    } finally {
                        tried.countDown();
                    }
                });
                tried.await(10, TimeUnit.SECONDS); // holds the loop until the thread has tried
                return null;
            })).isInstanceOf(SimulationException.class)
                    .hasMessageContaining("A thread started by a task called into the simulation")
                    .hasMessageContaining("started by task 'main'")
                    .hasMessageContaining("loop.spawn(...) instead of a thread");
            assertThat(seenByThread.await()).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("in a deterministic simulation, where only the loop's tasks may act");
        }
    }

    @Test
    void aRunOutOfVirtualTimeFailsAsASuspectedLivelockSayingWhatEachTaskWaitsOn() {
        try (Simulation sim = Simulation.builder().seed(5).budget(Duration.ofMinutes(10), 1_000_000).build()) {
            assertThatThrownBy(() -> sim.run(() -> {
                Loop.current().spawn("heartbeat", () -> {
                    while (true) {
                        sim.clock().sleep(Duration.ofSeconds(1)); // keeps time moving: not a deadlock
                    }
                });
                return new Promise<>().await(); // waits for ever
            })).isInstanceOf(SimulationException.class)
                    .hasMessageContaining("suspected livelock: the virtual-time budget of PT10M is spent")
                    .hasMessageContaining("task 'main' waits at io.loomas.sim.GuardRailTest")
                    .hasMessageContaining("(in Future.await)")
                    .hasMessageContaining("task 'heartbeat' waits at io.loomas.sim.GuardRailTest")
                    .hasMessageContaining("(in Clock.sleep)");
            assertThat(sim.clock().now()).isLessThanOrEqualTo(Duration.ofMinutes(10));
        }
    }

    @Test
    void aRunOutOfEventsFailsAsASuspectedLivelock() {
        try (Simulation sim = Simulation.builder().seed(6).budget(Duration.ofHours(1), 5_000).build()) {
            assertThatThrownBy(() -> sim.run(() -> {
                Loop.current().spawn("spinner", () -> {
                    while (true) {
                        Loop.yieldNow(); // a retry loop that never waits for time
                    }
                });
                while (true) {
                    Loop.yieldNow();
                }
            })).isInstanceOf(SimulationException.class)
                    .hasMessageContaining("suspected livelock: the budget of 5000 trace events is spent")
                    .hasMessageContaining("task 'spinner' waits at io.loomas.sim.GuardRailTest");
        }
    }

    @Test
    void theDefaultBudgetEndsAPeriodicTimerThatHidesADeadlock() {
        try (Simulation sim = Simulation.withSeed(7)) {
            assertThatThrownBy(() -> sim.run(() -> {
                Loop.current().spawn("heartbeat", () -> {
                    while (true) {
                        sim.clock().sleep(Duration.ofMinutes(10));
                    }
                });
                return new Promise<>().await();
            })).isInstanceOf(SimulationException.class)
                    .hasMessageContaining("the virtual-time budget of PT168H is spent");
        }
    }

    @Test
    void aDeadlockReportPointsAtTheUsersCallNotAtTheChannel() {
        try (Simulation sim = Simulation.withSeed(8)) {
            assertThatThrownBy(() -> sim.run(() -> {
                Container a = sim.container("a");
                Container b = sim.container("b", c -> new SimulationTest.Echo(c));
                Remote echo = a.connect(b.agents().values().iterator().next().address());
                sim.network().partition("a", "b");
                return echo.call("echo", "lost"); // no call timeout: waits for ever
            })).isInstanceOf(SimulationException.class)
                    .hasMessageContaining("deadlocked")
                    .hasMessageContaining("task 'main' waits at io.loomas.sim.GuardRailTest.lambda$")
                    .hasMessageContaining("(in Remote.call)");
        }
    }

    @Test
    void closingWhileANodeIsPausedEndsItsTasksAtOnce() {
        Simulation sim = Simulation.withSeed(9);
        sim.run(() -> {
            sim.container("a", c -> c.loop().spawn("ticker", () -> {
                while (true) {
                    c.clock().sleep(Duration.ofMillis(10));
                }
            }));
            sim.pause("a", Duration.ofHours(1));
            sim.clock().sleep(Duration.ofSeconds(1));
            return null;
        });
        sim.close();
        assertThat(sim.loop().tasks()).isEmpty();
        assertThat(sim.clock().now()).isLessThan(Duration.ofSeconds(7)); // ended within the grace, not after the pause
        assertThat(sim.trace().events()).anyMatch(e -> e.kind().equals("fault")
                && e.detail().equals("resume a (the simulation closes)"));
    }
}
