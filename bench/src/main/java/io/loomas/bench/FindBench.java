package io.loomas.bench;

import io.loomas.sim.Scheduling;
import io.loomas.sim.Simulation;
import io.loomas.sim.SimulationException;
import io.loomas.sim.examples.FailureDetector;
import io.loomas.sim.examples.QuorumRegister;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * How fast the simulator finds planted bugs by itself: seeds to the first failure of a scheduling
 * bug under each scheduling strategy, and of a protocol bug under the nemesis and the
 * linearizability checker, with the false alarms of the correct protocol and the seeds per second
 * of those sweeps.
 */
final class FindBench {
    private static final int PATIENCE = 16;

    private FindBench() {}

    static void run(PrintStream out, int seeds) {
        out.println("## Finding bugs");
        out.println();
        out.printf(Locale.ROOT, "Failure detector (a scheduling bug: the heartbeat starved for %d of the detector's checks),"
                + " seeds 0 to %d under each strategy:%n%n", PATIENCE, seeds - 1);
        out.println("| strategy | first failing seed | failing seeds | seeds/s |");
        out.println("|---|---|---|---|");
        for (Scheduling s : List.of(Scheduling.random(), Scheduling.pct(2), Scheduling.pct(3), Scheduling.pct(3, 150),
                Scheduling.delayBounded(1), Scheduling.delayBounded(2), Scheduling.portfolio())) {
            int first = -1;
            int failing = 0;
            long t0 = System.nanoTime();
            for (int seed = 0; seed < seeds; seed++) {
                try (Simulation sim = Simulation.builder().seed(seed).scheduling(s).build()) {
                    FailureDetector.run(sim, PATIENCE);
                } catch (SimulationException e) {
                    failing++;
                    if (first < 0) {
                        first = seed;
                    }
                }
            }
            double rate = seeds / ((System.nanoTime() - t0) / 1e9);
            out.printf(Locale.ROOT, "| %s | %s | %d of %d | %.0f |%n", s, first < 0 ? "none" : first, failing, seeds, rate);
        }
        out.println();
        out.printf(Locale.ROOT, "Quorum register (3 clients of 15 reads and writes each, swarm nemesis of partitions,"
                + " slow links, pauses and clogs for 10 s, every history checked), seeds 0 to %d:%n%n", seeds - 1);
        out.println("| replicas | read write-back | first non-linearizable seed | failing seeds | seeds/s |");
        out.println("|---|---|---|---|---|");
        for (int replicas : new int[] {3, 5}) {
            for (boolean writeBack : new boolean[] {false, true}) {
                int first = -1;
                int failing = 0;
                long t0 = System.nanoTime();
                for (int seed = 0; seed < seeds; seed++) {
                    try (Simulation sim = Simulation.withSeed(seed)) {
                        if (!QuorumRegister.run(sim, replicas, writeBack, 15).linearizable()) {
                            failing++;
                            if (first < 0) {
                                first = seed;
                            }
                        }
                    }
                }
                double rate = seeds / ((System.nanoTime() - t0) / 1e9);
                out.printf(Locale.ROOT, "| %d | %s | %s | %d of %d%s | %.0f |%n", replicas, writeBack ? "yes (correct)"
                        : "no (planted bug)", first < 0 ? "none" : first, failing, seeds,
                        writeBack ? " (false alarms)" : "", rate);
            }
        }
        out.println();
    }
}
