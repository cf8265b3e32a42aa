package io.loomas.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomas.channel.RemoteException;
import io.loomas.codec.Codec;
import io.loomas.rpc.Expose;
import io.loomas.rpc.Remote;
import io.loomas.runtime.Future;
import io.loomas.runtime.Loop;
import io.loomas.testing.TransportCase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A parent drives a container with a manager in a child JVM: spawn agents, set its clock, stop it. */
class SubprocessTest {

    /** Spawned in the child by class name. */
    public static class Worker extends Agent {
        private final int factor;

        public Worker(Container c, int factor) {
            super(c);
            this.factor = factor;
        }

        @Expose
        int work(int x) {
            return factor * x;
        }

        @Expose
        double now() {
            return clock().now().toNanos() / 1e9;
        }

        @Expose
        double sleepUntil(double seconds) {
            clock().sleepUntil(Duration.ofMillis(Math.round(seconds * 1000)));
            return now();
        }
    }

    static Stream<TransportCase> processCases() {
        // The local transport does not cross processes; the child container speaks plain TCP or Unix.
        return TransportCase.all().filter(t -> t.transport().equals("tcp") || t.transport().equals("unix"));
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("processCases")
    void aParentSpawnsAgentsInAChildAndDrivesItsClock(TransportCase t) throws Exception {
        Subprocess child = Subprocess.start(t.freshAddress(), t.codec().name(), Instant.parse("2016-01-01T00:00:00Z"));
        Loop.run(() -> {
            try (Container parent = Container.create(t.freshAddress(), ContainerOptions.DEFAULT.withCodec(t.codec()))) {
                Remote manager = parent.connect(child.managerAddress());
                List<?> spawned = (List<?>) manager.call("spawn", Worker.class.getName(), 21);
                Remote worker = (Remote) spawned.get(0);
                assertThat(spawned.get(1)).isEqualTo(new AgentAddress(child.address(), "1").toString());
                assertThat(worker.call("work", 2)).isEqualTo(42);
                assertThat(parent.connect(AgentAddress.parse((String) spawned.get(1))).call("work", 1)).isEqualTo(21);

                assertThat(worker.call("now")).isEqualTo(0.0);
                Future<Object> sleeper = worker.callAsync("sleepUntil", 90.0);
                manager.call("set_time", 60.0);
                assertThat(worker.call("now")).isEqualTo(60.0);
                assertThat(sleeper.isDone()).isFalse();
                manager.call("set_time", 90.0);
                assertThat(sleeper.await()).isEqualTo(90.0);

                assertThatThrownBy(() -> manager.call("spawn", "no.such.Agent"))
                        .isInstanceOf(RemoteException.class).hasMessageContaining("agent class not found: no.such.Agent");
                assertThatThrownBy(() -> manager.call("spawn", Worker.class.getName()))
                        .hasMessageContaining("no constructor Worker(Container) in");
                manager.call("stop");
            }
            return null;
        });
        assertThat(child.awaitExit(Duration.ofSeconds(30))).isZero();
    }

    /** As aiomas children started with init_time=-1: the first set_time(0) moves the clock forward. */
    @ParameterizedTest(name = "[{0}]")
    @MethodSource("processCases")
    void aChildsExternalClockMayStartBeforeZero(TransportCase t) throws Exception {
        Subprocess child = Subprocess.start(t.freshAddress(), t.codec().name(), Instant.parse("2016-01-01T00:00:00Z"),
                Duration.ofSeconds(-1));
        Loop.run(() -> {
            try (Container parent = Container.create(t.freshAddress(), ContainerOptions.DEFAULT.withCodec(t.codec()))) {
                Remote manager = parent.connect(child.managerAddress());
                Remote worker = (Remote) ((List<?>) manager.call("spawn", Worker.class.getName(), 1)).get(0);
                assertThat(worker.call("now")).isEqualTo(-1.0);
                manager.call("set_time", 0.0);
                assertThat(worker.call("now")).isEqualTo(0.0);
                manager.call("stop");
            }
            return null;
        });
        assertThat(child.awaitExit(Duration.ofSeconds(30))).isZero();
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("processCases")
    void setTimeNeedsAnExternalClock(TransportCase t) throws Exception {
        Subprocess child = Subprocess.start(t.freshAddress(), t.codec().name(), null);
        Loop.run(() -> {
            try (Container parent = Container.create(t.freshAddress(), ContainerOptions.DEFAULT.withCodec(t.codec()))) {
                Remote manager = parent.connect(child.managerAddress());
                assertThatThrownBy(() -> manager.call("set_time", 1.0))
                        .hasMessageContaining("the container's clock is not an ExternalClock");
                manager.call("stop");
            }
            return null;
        });
        assertThat(child.awaitExit(Duration.ofSeconds(30))).isZero();
    }

    @org.junit.jupiter.api.Test
    void anUnknownCodecFailsInTheParent() {
        assertThatThrownBy(() -> Subprocess.start(TransportCase.freshAddress("tcp"), "xml", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("xml");
        assertThat(Codec.byName("json").name()).isEqualTo("json");
    }
}
