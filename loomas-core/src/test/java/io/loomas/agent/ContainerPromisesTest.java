package io.loomas.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomas.rpc.Expose;
import io.loomas.rpc.Remote;
import io.loomas.runtime.CancelledException;
import io.loomas.runtime.Loop;
import io.loomas.runtime.LoopOptions;
import io.loomas.runtime.Task;
import io.loomas.runtime.UncaughtFailure;
import io.loomas.testing.TransportCase;
import io.loomas.transport.Address;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What containers promise when tasks fail, connects are shared or cancelled, and peers close first. */
@Timeout(30)
class ContainerPromisesTest {

    static class Worker extends Agent {
        Worker(Container c) {
            super(c);
        }

        Task<Void> startFailing() {
            return spawn("doomed", () -> {
                throw new IllegalStateException("the agent's task broke");
            });
        }

        @Expose
        int echo(int value) {
            return value;
        }
    }

    @Test
    void aFailedAgentTaskNobodyAwaitsReachesTheExceptionHandlerNamingTheTask() {
        List<UncaughtFailure> reported = Collections.synchronizedList(new ArrayList<>());
        Loop.run(LoopOptions.DEFAULT.withDebug(true).withExceptionHandler((loop, f) -> reported.add(f)), () -> {
            try (Container c = Container.create(Address.local("promises-failing"), ContainerOptions.DEFAULT)) {
                new Worker(c).startFailing();
                Loop.runUntilIdle();
            }
            return null;
        });
        assertThat(reported).hasSize(1);
        UncaughtFailure f = reported.get(0);
        assertThat(f.taskName()).contains("doomed");
        assertThat(f.message()).contains("doomed").contains("nobody retrieved its failure");
        assertThat(f.error()).hasMessage("the agent's task broke");
        assertThat(f.creationSite().getStackTrace())
                .anySatisfy(e -> assertThat(e.getMethodName()).isEqualTo("startFailing"));
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void aTaskThatJoinsAnotherTasksConnectGetsTheIOException(TransportCase tc) {
        Loop.run(() -> {
            Address nowhere;
            try (Container gone = Container.create(tc.freshAddress(), options(tc))) {
                nowhere = gone.address(); // free again once it is shut down
            }
            try (Container c = Container.create(tc.freshAddress(), options(tc))) {
                AgentAddress target = new AgentAddress(nowhere, "0");
                Task<Remote> opener = Loop.current().spawn(() -> c.connect(target, Duration.ofMillis(200)));
                Task<Remote> joiner = Loop.current().spawn(() -> c.connect(target, Duration.ofMillis(200)));
                assertThatThrownBy(opener::await).hasCauseInstanceOf(IOException.class);
                assertThatThrownBy(joiner::await)
                        .as("the joiner gets what connect() documents, not a CompletionException of the opener's")
                        .hasCauseInstanceOf(IOException.class);
                assertThat(joiner.exception()).isInstanceOf(IOException.class);
            }
            return null;
        });
    }

    @Test
    void cancellingTheTaskThatOpensASharedConnectDoesNotCancelTheTasksThatJoinedIt() {
        Loop.run(() -> {
            Address address = Address.local("promises-later");
            try (Container c = Container.create(Address.local("promises-client"), ContainerOptions.DEFAULT)) {
                AgentAddress target = new AgentAddress(address, "0");
                // Nobody listens yet: both connects retry until the timeout.
                Task<Remote> opener = Loop.current().spawn("opener", () -> c.connect(target, Duration.ofSeconds(20)));
                Loop.runUntilIdle();
                Task<Object> joiner = Loop.current().spawn("joiner",
                        () -> c.connect(target, Duration.ofSeconds(20)).call("echo", 7));
                Loop.runUntilIdle();
                opener.cancel();
                assertThatThrownBy(opener::await).isInstanceOf(CancelledException.class);
                try (Container later = Container.create(address, ContainerOptions.DEFAULT)) {
                    new Worker(later);
                    assertThat(joiner.await()).as("the joiner connects by itself").isEqualTo(7);
                }
            }
            return null;
        });
    }

    /**
     * The cause of a flake in the kit: a connection the peer closed left the container's cache
     * before the task serving it had ended, so {@code shutdown()} returned while that task still ran.
     */
    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void shutdownWaitsForTheServingTaskOfAConnectionThePeerClosedFirst(TransportCase tc) {
        for (int round = 0; round < 10; round++) {
            Loop.run(() -> {
                Container a = Container.create(tc.freshAddress(), options(tc));
                Container b = Container.create(tc.freshAddress(), options(tc));
                Remote remote = a.connect(new Worker(b).address());
                assertThat(remote.call("echo", 1)).isEqualTo(1);
                b.shutdown();
                remote.client().closed().await(); // a has seen the close: the entry left its cache
                a.shutdown();
                assertThat(Loop.current().tasks()).as("tasks left after both shutdowns")
                        .containsExactly(Task.current());
                return null;
            });
        }
    }

    private static ContainerOptions options(TransportCase tc) {
        return ContainerOptions.DEFAULT.withChannelOptions(tc.options());
    }
}
