package io.loomas.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomas.rpc.Expose;
import io.loomas.rpc.Rpc;
import io.loomas.rpc.RpcConnection;
import io.loomas.rpc.RpcOptions;
import io.loomas.rpc.RpcServer;
import io.loomas.transport.Address;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real Flight Recorder recording of a loomas service: calls, connections, a slow task, a lost failure. */
class JfrEventsTest {
    static class Service {
        @Expose
        int add(int a, int b) {
            return a + b;
        }
    }

    @Test
    void aRecordingShowsCallsConnectionsSlowTasksAndUnretrievedFailures(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("loomas.jfr");
        try (Recording recording = new Recording()) {
            for (String name : List.of("io.loomas.RpcCall", "io.loomas.Connection", "io.loomas.SlowTask",
                    "io.loomas.UnretrievedFailure")) {
                recording.enable(name).withThreshold(Duration.ZERO);
            }
            recording.start();
            RpcOptions refusing = RpcOptions.DEFAULT.withInterceptor((path, args, kwargs, caller) -> {
                if (args.contains(13)) {
                    throw new SecurityException("13 is refused");
                }
            });
            Loop.run(LoopOptions.DEFAULT.withDebug(true).withSlowTaskThreshold(Duration.ofMillis(20)), () -> {
                RpcServer server = Rpc.startServer(Address.tcp("127.0.0.1", 0), new Service(), refusing);
                try (RpcConnection client = Rpc.connect(server.address(), RpcOptions.DEFAULT)) {
                    assertThat(client.remote().call("add", 1, 2)).isEqualTo(3);
                    try {
                        client.remote().call("add", 13, 2);
                    } catch (RuntimeException expected) {
                        // refused by the interceptor
                    }
                } finally {
                    server.close();
                    server.awaitClosed();
                }
                // On purpose: a task that holds the loop for 100 ms (computing, not waiting), for the watchdog to see.
                Loop.current().spawn("hog", () -> {
                    long end = System.nanoTime() + Duration.ofMillis(100).toNanos();
                    while (System.nanoTime() < end) {
                        Thread.onSpinWait();
                    }
                    return null;
                }).await();
                Loop.current().spawn("careless", () -> {
                    throw new IllegalStateException("nobody looks at this");
                });
                Loop.current().spawn("after", () -> null).await();
                Loop.current().reportUnretrievedFailures();
                return null;
            });
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        List<RecordedEvent> calls = of(events, "io.loomas.RpcCall");
        assertThat(calls).extracting(e -> e.getString("path") + " " + e.getString("outcome"))
                .contains("add ok", "add java.lang.SecurityException");
        assertThat(calls).allSatisfy(e -> assertThat(e.getString("peer")).startsWith("tcp://127.0.0.1:"));
        List<RecordedEvent> connections = of(events, "io.loomas.Connection");
        assertThat(connections).hasSizeGreaterThanOrEqualTo(2); // both ends of the one connection
        assertThat(connections).allSatisfy(e -> {
            assertThat(e.getString("local")).startsWith("tcp://127.0.0.1:");
            assertThat(e.getString("reason")).isNotBlank();
            assertThat(e.getDuration().isNegative()).isFalse();
        });
        // The watchdog's own reports, as events (which task it names is the watchdog's business).
        assertThat(of(events, "io.loomas.SlowTask")).isNotEmpty().allSatisfy(e -> {
            assertThat(e.getString("task")).isNotBlank();
            assertThat(e.getDuration("held")).isGreaterThanOrEqualTo(Duration.ofMillis(20));
        });
        assertThat(of(events, "io.loomas.UnretrievedFailure")).anySatisfy(e -> {
            assertThat(e.getString("task")).isEqualTo("careless");
            assertThat(e.getString("failure")).isEqualTo("java.lang.IllegalStateException: nobody looks at this");
        });
    }

    private static List<RecordedEvent> of(List<RecordedEvent> events, String name) {
        return events.stream().filter(e -> e.getEventType().getName().equals(name)).toList();
    }
}
