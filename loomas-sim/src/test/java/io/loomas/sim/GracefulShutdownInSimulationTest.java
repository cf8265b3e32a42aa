package io.loomas.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomas.agent.Container;
import io.loomas.channel.RemoteException;
import io.loomas.rpc.Remote;
import io.loomas.runtime.Loop;
import io.loomas.runtime.Task;
import io.loomas.transport.ConnectionClosedException;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A container's graceful shutdown and its interceptors over the simulated network, in virtual
 * time: the call in flight finishes, the one that arrives during the drain is refused, and the
 * same seed gives the same trace.
 */
class GracefulShutdownInSimulationTest {
    /** Calls a 300 ms method, shuts the server's container down 50 ms later, calls again meanwhile. */
    static String drain(Simulation sim, Duration grace) throws Exception {
        // Short fixed links: the slow call has reached the server when the drain begins (a request
        // still on the wire when it begins is not in flight there, and is refused like a late one).
        sim.network().setLatency(Latency.fixed(Duration.ofMillis(5)));
        Container db = sim.container("db",
                o -> o.withInterceptor((path, args, kwargs, caller) -> {
                    if (args.contains("forbidden")) {
                        throw new SecurityException("forbidden is refused");
                    }
                }), c -> {});
        SimulationTest.Echo echo = new SimulationTest.Echo(db);
        Container client = sim.container("client");
        Remote remote = client.connect(echo.address());
        assertThatThrownBy(() -> remote.call("echo", "forbidden"))
                .isInstanceOfSatisfying(RemoteException.class, e -> assertThat(e.remoteMessage()).isEqualTo("forbidden is refused"));
        Task<Object> inFlight = Loop.current().spawn("in flight", () -> remote.call("slowEcho", "slow", 300));
        sim.clock().sleep(Duration.ofMillis(50));
        Task<Boolean> shutdown = Loop.current().spawn("shutdown", () -> db.shutdown(grace));
        sim.clock().sleep(Duration.ofMillis(50));
        assertThatThrownBy(() -> remote.call("echo", "late"))
                .isInstanceOfSatisfying(RemoteException.class, e -> assertThat(e.remoteMessage()).startsWith(
                        "the server is shutting down: this request was not served"));
        boolean drained = shutdown.await();
        try {
            return drained + " " + inFlight.await();
        } catch (ConnectionClosedException e) {
            return drained + " closed";
        }
    }

    @Test
    void theCallInFlightFinishesAndTheLateOneIsRefused() {
        try (Simulation sim = Simulation.withSeed(3)) {
            assertThat(sim.run(() -> drain(sim, Duration.ofSeconds(1)))).isEqualTo("true slow");
        }
        try (Simulation sim = Simulation.withSeed(3)) {
            assertThat(sim.run(() -> drain(sim, Duration.ofMillis(100)))).isEqualTo("false closed");
        }
    }

    @Test
    void theDrainReplaysByteForByte() {
        Consumer<Simulation> scenario = sim -> sim.run(() -> drain(sim, Duration.ofSeconds(1)));
        for (long seed = 1; seed <= 5; seed++) {
            Simulation.checkDeterminism(seed, scenario);
        }
    }
}
