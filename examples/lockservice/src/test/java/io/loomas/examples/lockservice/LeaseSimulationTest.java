package io.loomas.examples.lockservice;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomas.junit.SimulationTest;
import io.loomas.runtime.Loop;
import io.loomas.sim.Sim;
import io.loomas.sim.Simulation;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Leases across a leader's crash, with the nodes' wall clocks skewed: a lock is never granted again
 * before its lease has ended in real (virtual) time, and it is granted again once it has.
 */
class LeaseSimulationTest {
    static final Duration TTL = Duration.ofSeconds(2);

    @SimulationTest(seeds = 50)
    void anExpiredLeaseIsGrantedAgainButNeverEarly(Simulation sim) throws Exception {
        Cluster cluster = new Cluster(sim, 3, RaftNode.Bugs.NONE);
        for (String n : cluster.nodes) {
            // Wall clocks apart by seconds: the service must not care.
            sim.skewClock(n, Duration.ofMillis(sim.random("skew").nextLong(-5_000, 5_000)), 0.001);
        }
        Cluster.Client alice = cluster.new Client("alice");
        Cluster.Client bob = cluster.new Client("bob");
        sim.eventually(Duration.ofSeconds(10), "a leader is elected", () -> cluster.leader() != null);
        Duration sent = sim.clock().now();
        List<?> first = alice.request(Duration.ofSeconds(10), "acquire", "L", "alice", TTL.toMillis());
        assertThat(first.get(0)).isEqualTo("granted");
        sim.crash(cluster.leader());
        Duration[] grantedAt = {null};
        Loop.current().spawn("bob", () -> {
            while (grantedAt[0] == null) {
                try {
                    if ("granted".equals(bob.request(Duration.ofSeconds(5), "acquire", "L", "bob", TTL.toMillis()).get(0))) {
                        grantedAt[0] = sim.clock().now();
                        Sim.always(grantedAt[0].compareTo(sent.plus(TTL)) >= 0,
                                "a lease is never granted again before it ended");
                    }
                } catch (Cluster.Unknown | IOException e) {
                    // a leader change under the request: ask again
                }
                sim.clock().sleep(Duration.ofMillis(100));
            }
            return null;
        });
        sim.eventually(Duration.ofSeconds(30), "bob is granted the lock once alice's lease has ended",
                () -> grantedAt[0] != null);
    }
}
