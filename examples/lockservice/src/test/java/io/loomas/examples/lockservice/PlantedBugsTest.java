package io.loomas.examples.lockservice;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomas.sim.Nemesis;
import io.loomas.sim.Simulation;
import io.loomas.sim.SimulationException;
import io.loomas.sim.check.Linearizability;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each classic Raft mistake, switched on, is found by the nemesis with the lock model and the
 * election-safety check within {@link #LIMIT} seeds, and the failing seed replays the same failure.
 * Today: committing on the leader alone at seed 4, granting votes without the log check at seed 18,
 * answering a vote before storing it at seed 44 (crashes and partitions every 150 ms).
 */
class PlantedBugsTest {
    static final int LIMIT = 400;

    /** {@return the failure of {@code seed}, or null if it passed} */
    static String failure(long seed, RaftNode.Bugs bug) {
        try (Simulation sim = Simulation.withSeed(seed)) {
            // Crashes and partitions, often: elections, and crashes right after votes.
            Nemesis nemesis = bug == RaftNode.Bugs.VOTE_NOT_PERSISTED
                    ? Nemesis.swarm().only(Nemesis.Fault.CRASH, Nemesis.Fault.PARTITION).allKindsEveryRun()
                            .every(Duration.ofMillis(150)).chaosFor(Duration.ofSeconds(30))
                    : Nemesis.swarm().chaosFor(Duration.ofSeconds(20));
            Linearizability.Result r = sim.run(() -> LockServiceSimulationTest.workload(sim, 3, bug, nemesis));
            return r.linearizable() ? null : r.explanation();
        } catch (SimulationException e) {
            return e.getMessage();
        }
    }

    @ParameterizedTest
    @EnumSource(value = RaftNode.Bugs.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void eachPlantedBugIsFoundAndItsSeedReplaysIt(RaftNode.Bugs bug) {
        long found = -1;
        String why = null;
        for (long seed = 0; seed < LIMIT && found < 0; seed++) {
            why = failure(seed, bug);
            if (why != null) {
                found = seed;
            }
        }
        System.out.println(bug + ": first failing seed " + found + "\n" + (why == null ? "" : why.lines().limit(6)
                .reduce((a, b) -> a + "\n" + b).orElse("")));
        assertThat(found).as(bug + " found within " + LIMIT + " seeds").isNotNegative();
        assertThat(failure(found, bug)).as("the seed replays the same failure").isEqualTo(why);
    }
}
