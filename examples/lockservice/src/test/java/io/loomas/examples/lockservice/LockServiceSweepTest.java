package io.loomas.examples.lockservice;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomas.sim.Simulation;
import io.loomas.sim.SimulationException;
import io.loomas.sim.check.Linearizability;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A long sweep of the 3-node simulation test, on every core, run on demand:
 * {@code mvn -pl examples/lockservice test -Dtest=LockServiceSweepTest -Dlockservice.sweep=10000}
 * (seeds from {@code -Dlockservice.from}, 1,000,000 by default, past the build's 500).
 */
@EnabledIfSystemProperty(named = "lockservice.sweep", matches = "\\d+")
class LockServiceSweepTest {

    @Test
    @Timeout(value = 6, unit = TimeUnit.HOURS) // far past the build's 60 s default: a sweep is long by design
    void sweep() throws Exception {
        long count = Long.getLong("lockservice.sweep");
        long from = Long.getLong("lockservice.from", 1_000_000);
        // One simulation per core; each lives on its own loop. (A stall seen here once was a check
        // that ran away on a history of many open outcomes, before checks had a step budget: its
        // wedged task kept a carrier thread busy and starved the runs after it.)
        int threads = Integer.getInteger("lockservice.threads", Runtime.getRuntime().availableProcessors());
        AtomicLong next = new AtomicLong(from);
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        long t0 = System.nanoTime();
        List<Thread> workers = new java.util.ArrayList<>();
        for (int i = 0; i < threads; i++) {
            workers.add(Thread.ofPlatform().name("sweep-" + i).start(() -> {
                for (long seed; (seed = next.getAndIncrement()) < from + count; ) {
                    try (Simulation sim = Simulation.builder().seed(seed).traceName("LockServiceSweep").build()) {
                        Linearizability.Result r = sim.run(() -> LockServiceSimulationTest.workload(sim, 3,
                                RaftNode.Bugs.NONE, Duration.ofSeconds(20)));
                        if (!r.linearizable()) {
                            failures.add("seed " + seed + ": " + String.join("\n", r.explanation().lines().limit(14).toList()));
                        }
                    } catch (SimulationException e) {
                        failures.add("seed " + seed + ": " + e.getMessage().lines().findFirst().orElse(""));
                    }
                }
            }));
        }
        for (Thread w : workers) {
            w.join();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("lock service sweep: %d seeds from %d on %d threads in %.0f s (%.1f seeds/s), %d failed%n",
                count, from, threads, seconds, count / seconds, failures.size());
        failures.forEach(System.out::println);
        assertThat(failures).isEmpty();
    }
}
