package io.loomas.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomas.agent.Agent;
import io.loomas.agent.AgentAddress;
import io.loomas.agent.Container;
import io.loomas.agent.ContainerOptions;
import io.loomas.agent.Subprocess;
import io.loomas.rpc.Expose;
import io.loomas.rpc.Remote;
import io.loomas.runtime.Loop;
import io.loomas.transport.Address;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The examples of the agent layer's Javadoc, compiled and run: the Javadoc shows the marked regions. */
class AgentSnippets {

    // @start region="agents"
    class Callee extends Agent {
        Callee(Container c) { super(c); }
        @Expose String spam(int times) { return "spam".repeat(times); }
    }
    class Caller extends Agent {
        Caller(Container c) { super(c); }
        String run(AgentAddress target) throws IOException {
            return (String) container().connect(target).call("spam", 2);   // "spamspam"
        }
    }
    // @end

    /** Spawned by class name in the child JVM of {@link #subprocessAndManager()}. */
    public static class Worker extends Agent {
        private final int speed;

        public Worker(Container c, int speed) {
            super(c);
            this.speed = speed;
        }

        @Expose
        int speed() {
            return speed;
        }
    }

    @Test
    void agentsCallEachOther() {
        Object got = Loop.run(() -> {
            try (Container c = Container.create(Address.tcp("127.0.0.1", 0), ContainerOptions.DEFAULT)) {
                Callee callee = new Callee(c);
                return new Caller(c).run(callee.address());
            }
        });
        assertThat(got).isEqualTo("spamspam");
    }

    @Test
    void container() {
        Object got =
        // @start region="container"
        Loop.run(() -> {
            Container c = Container.create(Address.tcp("127.0.0.1", 0), ContainerOptions.DEFAULT);
            try {
                Callee callee = new Callee(c);                    // id "0", address tcp://127.0.0.1:port/0
                Remote remote = c.connect(callee.address());
                return remote.call("spam", 2);                    // "spamspam"
            } finally {
                c.shutdown();
            }
        });
        // @end
        assertThat(got).isEqualTo("spamspam");
    }

    @Test
    void subprocessAndManager() throws Exception {
        List<Object> got = Loop.run(() -> {
            try (Container container = Container.create(Address.tcp("127.0.0.1", 0), ContainerOptions.DEFAULT)) {
                String workerClass = Worker.class.getName();
                // @start region="subprocess"
                Subprocess child = Subprocess.start(Address.tcp("127.0.0.1", 0), "json", Instant.parse("2016-01-01T00:00:00Z"));
                Remote manager = container.connect(child.managerAddress());
                // @end
                // @start region="manager"
                List<?> spawned = (List<?>) manager.call("spawn", workerClass, 42);          // [proxy, address]
                manager.callWithKwargs("spawn", List.of(workerClass), Map.of("speed", 3));  // Worker(c, speed=3)
                manager.call("set_time", 60.0);     // the child's external clock moves to 60 s
                manager.call("stop");               // the child shuts down and exits
                // @end
                // @start region="subprocess-exit"
                int exitCode = child.awaitExit(Duration.ofSeconds(10));
                // @end
                return List.of(exitCode, spawned.get(1).toString().endsWith("/1"), spawned.get(0) instanceof Remote);
            }
        });
        assertThat(got).isEqualTo(List.of(0, true, true));
    }
}
