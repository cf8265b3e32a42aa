package io.loomas.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomas.agent.Agent;
import io.loomas.agent.AgentAddress;
import io.loomas.agent.Container;
import io.loomas.disk.Disk;
import io.loomas.rpc.Expose;
import io.loomas.runtime.Loop;
import io.loomas.runtime.Task;
import io.loomas.runtime.TimeoutException;
import io.loomas.sim.Buggify;
import io.loomas.sim.Latency;
import io.loomas.sim.Nemesis;
import io.loomas.sim.Scheduling;
import io.loomas.sim.Sim;
import io.loomas.sim.Simulation;
import io.loomas.sim.TracedLogger;
import io.loomas.transport.Address;
import io.loomas.transport.ConnectionClosedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/** The examples of the simulation's Javadoc, compiled and run: the Javadoc shows the marked regions. */
class SimSnippets {

    static final class Echo extends Agent {
        Echo(Container c) {
            super(c);
        }

        @Expose
        Object echo(Object value) {
            return value;
        }
    }

    /** A consumer whose log lines also go to the simulation's trace. */
    static final class Consumer {
        // @start region="traced-logger"
        private static final Logger log = TracedLogger.getLogger(Consumer.class);
        // @end

        void consume(String message) {
            log.info("consumed {}", message);
        }
    }

    @Test
    void simulation() {
        // @start region="simulation"
        try (Simulation sim = Simulation.withSeed(42)) {
            sim.network().setLatency(Latency.uniform(Duration.ofMillis(1), Duration.ofMillis(20)));
            Object reply = sim.run(() -> {
                Container a = sim.container("a");
                Container b = sim.container("b");
                Echo echo = new Echo(b);
                return a.connect(echo.address()).call("echo", "hi");
            });
            assertThat(reply).isEqualTo("hi");
        }
        // @end
    }

    @Test
    void builder() {
        // @start region="builder"
        try (Simulation sim = Simulation.builder().seed(42)
                .buggify(0.5, 0.2)
                .budget(Duration.ofHours(1), 1_000_000)
                .build()) {
            Duration end = sim.run(() -> {
                sim.clock().sleep(Duration.ofMinutes(5));
                return sim.clock().now();
            });
            assertThat(end).isEqualTo(Duration.ofMinutes(5));
        }
        // @end
    }

    @Test
    void scheduling() {
        // @start region="scheduling"
        try (Simulation sim = Simulation.builder().seed(42).scheduling(Scheduling.pct(3)).build()) {
            int[] shared = {0};
            sim.run(() -> {
                Task<Object> writer = Loop.current().spawn("writer", () -> {
                    shared[0] = 1;
                    Loop.yieldNow();                // a scheduling point: PCT may lower the writer here
                    shared[0] = 2;
                    return null;
                });
                writer.await();
                return null;
            });
            assertThat(shared[0]).isEqualTo(2);
        }
        // @end
    }

    /** A bank account whose code states its properties. */
    static final class Account {
        private long balance;

        // @start region="assertions"
        void withdraw(long amount) {
            if (amount > balance) {
                Sim.reachable("a withdrawal is refused");   // a sweep must show this path is tested
                return;
            }
            balance -= amount;
            Sim.always(balance >= 0, "the balance is never negative");
            Sim.sometimes(balance == 0, "an account is emptied");
        }
        // @end

        void deposit(long amount) {
            balance += amount;
        }
    }

    @Test
    void assertions() {
        try (Simulation sim = Simulation.withSeed(4)) {
            sim.run(() -> {
                Account account = new Account();
                account.deposit(5);
                account.withdraw(5);
                account.withdraw(1);
                return null;
            });
            assertThat(sim.assertions()).allMatch(Sim.Assertion::satisfied).hasSize(3);
        }
    }

    @Test
    void nemesis() {
        try (Simulation sim = Simulation.withSeed(9)) {
            sim.run(() -> {
                for (String node : List.of("n1", "n2", "n3")) {
                    sim.container(node, Echo::new);
                }
                AtomicInteger answered = new AtomicInteger();
                Loop.current().spawn("client", () -> {
                    while (true) {
                        try {
                            Container n1 = sim.containerOf("n1");
                            if (n1 != null) {
                                n1.connect(new AgentAddress(Address.local("n2"), "0"), Duration.ofSeconds(1))
                                        .withTimeout(Duration.ofSeconds(1)).call("echo", "hi");
                                answered.incrementAndGet();
                            }
                        } catch (IOException | TimeoutException | ConnectionClosedException e) {
                            // a fault: try again
                        }
                        sim.clock().sleep(Duration.ofMillis(100));
                    }
                });
                // @start region="nemesis"
                sim.nemesis(Nemesis.swarm().crashable("n2", "n3").chaosFor(Duration.ofSeconds(30)));
                int before = answered.get();
                sim.liveness(Duration.ofSeconds(10), "the client is answered after the chaos",
                        () -> answered.get() > before);
                // @end
                return null;
            });
        }
    }

    /** Keeps a term on its node's disk. */
    static final class Voter extends Agent {
        final Disk disk;

        Voter(Container c, Disk disk) {
            super(c);
            this.disk = disk;
        }
    }

    @Test
    void disk() {
        try (Simulation sim = Simulation.withSeed(5)) {
            sim.run(() -> {
                // @start region="disk"
                sim.container("n1", c -> new Voter(c, sim.disk("n1")));   // in production: Disk.directory(path)
                Disk disk = sim.disk("n1");
                disk.replace("term", "3".getBytes(StandardCharsets.UTF_8));
                sim.crash("n1");
                sim.restart("n1");                                         // the same disk, what was synced on it
                // @end
                assertThat(new String(disk.read("term"), StandardCharsets.UTF_8)).isEqualTo("3");
                return null;
            });
        }
    }

    @Test
    void eventually() {
        try (Simulation sim = Simulation.withSeed(3)) {
            sim.run(() -> {
                Container a = sim.container("a");
                Container b = sim.container("b");
                Echo echo = new Echo(b);
                sim.network().partition("a", "b");
                java.util.concurrent.atomic.AtomicReference<Object> reply = new java.util.concurrent.atomic.AtomicReference<>();
                io.loomas.runtime.Loop.current().spawn(() -> {
                    while (true) {
                        try {
                            return reply.getAndSet(a.connect(echo.address()).call("echo", "hi"));
                        } catch (java.io.IOException e) {
                            sim.clock().sleep(Duration.ofSeconds(1)); // refused while partitioned: try again
                        }
                    }
                });
                sim.clock().sleep(Duration.ofSeconds(10));          // the chaos phase
                // @start region="eventually"
                sim.endFaults();                                    // heal, bring up, resume, restart
                sim.eventually(Duration.ofMinutes(1), "the call is answered", () -> reply.get() != null);
                // @end
                assertThat(reply.get()).isEqualTo("hi");
                return null;
            });
        }
    }

    @Test
    void buggify() {
        Map<String, String> cache = new HashMap<>(Map.of("k", "v"));
        try (Simulation sim = Simulation.builder().seed(1).buggify(1, 1).build()) {
            sim.run(() -> {
                // @start region="buggify"
                if (Buggify.fires("cache-miss")) {
                    cache.clear();          // in a simulation, sometimes; in production, never
                }
                // @end
                new Consumer().consume("m");
                return null;
            });
            assertThat(sim.trace().events()).anyMatch(e -> e.toString().contains("consumed m"));
        }
        assertThat(cache).isEmpty();
    }
}
