package io.loomas.sim.examples;

import io.loomas.sim.Scheduling;
import io.loomas.sim.Simulation;
import io.loomas.sim.SimulationException;
import io.loomas.runtime.Future;
import io.loomas.runtime.Loop;
import io.loomas.runtime.Task;
import java.util.List;

/**
 * A scheduling bug for comparing strategies: a failure detector that counts its own checks
 * instead of time, so it suspects a live node when the node's heartbeat task is starved for
 * {@code patience} checks after it started beating. A third task (a client) runs beside them.
 * The bug needs an order of several steps, which PCT finds far sooner than a uniform pick
 * ({@code SchedulingTest}, and the bench's "finding bugs" section).
 */
public final class FailureDetector {
    private FailureDetector() {}

    public static final int STEPS = 40;

    /** Runs the three tasks; fails if the detector suspected the live node. */
    public static void run(Simulation sim, int patience) {
        sim.run(() -> {
            int[] beats = {0};
            boolean[] suspected = {false};
            Task<Object> heartbeat = Loop.current().spawn("heartbeat", () -> {
                for (int i = 0; i < STEPS; i++) {
                    beats[0]++;
                    Loop.yieldNow();
                }
                return null;
            });
            Task<Object> detector = Loop.current().spawn("detector", () -> {
                int lastSeen = 0;
                int quiet = 0;
                for (int i = 0; i < STEPS && !suspected[0]; i++) {
                    if (beats[0] == lastSeen) {
                        quiet++;
                    } else {
                        lastSeen = beats[0];
                        quiet = 0;
                    }
                    if (lastSeen >= 2 && lastSeen < STEPS && quiet >= patience) {
                        suspected[0] = true;
                    }
                    Loop.yieldNow();
                }
                return null;
            });
            Task<Object> client = Loop.current().spawn("client", () -> {
                for (int i = 0; i < STEPS; i++) {
                    Loop.yieldNow();
                }
                return null;
            });
            Future.all(List.of(heartbeat, detector, client)).await();
            if (suspected[0]) {
                throw new AssertionError("the detector suspected a live node after " + beats[0] + " beats");
            }
            return null;
        });
    }

    /** {@return the first seed in [0, limit) whose run fails under {@code scheduling}, or -1} */
    public static int firstFailingSeed(Scheduling scheduling, int patience, int limit) {
        for (int seed = 0; seed < limit; seed++) {
            try (Simulation sim = Simulation.builder().seed(seed).scheduling(scheduling).build()) {
                run(sim, patience);
            } catch (SimulationException e) {
                return seed;
            }
        }
        return -1;
    }
}
