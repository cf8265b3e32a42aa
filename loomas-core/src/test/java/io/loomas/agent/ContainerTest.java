package io.loomas.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomas.channel.RemoteException;
import io.loomas.rpc.Expose;
import io.loomas.rpc.Remote;
import io.loomas.runtime.Future;
import io.loomas.runtime.Loop;
import io.loomas.runtime.Task;
import io.loomas.testing.TransportCase;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Containers and agents, on every transport with every codec. */
class ContainerTest {

    /** The seed example: run() connects to another agent and calls its exposed service. */
    static class ExampleAgent extends Agent {
        ExampleAgent(Container c) {
            super(c);
        }

        Object run(AgentAddress target, int num) throws Exception {
            Remote remote = container().connect(target);
            return remote.call("service", num);
        }

        @Expose
        int service(int val) {
            clock().sleep(Duration.ofMillis(1));
            return val;
        }
    }

    static class Clock2 extends Agent {
        Clock2(Container c) {
            super(c);
        }

        @Expose
        OffsetDateTime later(OffsetDateTime t) {
            return t.plusHours(1);
        }

        @Expose
        java.time.Instant laterInstant(java.time.Instant t) {
            return t.plusSeconds(3600);
        }
    }

    interface Service {
        int service(int val);
    }

    static class Nested extends Agent {
        @io.loomas.rpc.SubService
        final Inner inner = new Inner();

        Nested(Container c) {
            super(c);
        }
    }

    static class Inner {
        @Expose
        String where() {
            return "inner";
        }
    }

    /** As in aiomas, an address may go on past the agent's id into its services: tcp://h:p/0/inner. */
    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void anAddressMayNameASubServiceOfAnAgent(TransportCase t) {
        Loop.run(() -> {
            try (Container c = Container.create(t.freshAddress(), options(t));
                    Container other = Container.create(t.freshAddress(), options(t))) {
                Nested agent = new Nested(c);
                AgentAddress inner = AgentAddress.parse(agent.address() + "/inner");
                assertThat(other.connect(inner).call("where")).isEqualTo("inner");
                assertThatThrownBy(() -> other.connect(new AgentAddress(c.address(), "9/inner")))
                        .isInstanceOf(AgentNotFoundException.class)
                        .hasMessageContaining("no agent with id \"9\"");
            }
            return null;
        });
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void aContainersInterceptorSeesEachCallToItsAgentsAndMayRefuseIt(TransportCase t) {
        java.util.List<String> seen = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        ContainerOptions guarded = options(t).withInterceptor((path, args, kwargs, caller) -> {
            seen.add(path + " " + args);
            if (args.equals(java.util.List.of(13))) {
                throw new SecurityException("13 is not served here");
            }
        });
        Loop.run(() -> {
            try (Container server = Container.create(t.freshAddress(), guarded);
                    Container client = Container.create(t.freshAddress(), options(t))) {
                ExampleAgent agent = new ExampleAgent(server);
                Remote remote = client.connect(agent.address());
                assertThat(remote.call("service", 7)).isEqualTo(7);
                assertThatThrownBy(() -> remote.call("service", 13))
                        .isInstanceOfSatisfying(io.loomas.channel.RemoteException.class,
                                e -> assertThat(e.remoteMessage()).isEqualTo("13 is not served here"));
                assertThat(remote.call("service", 8)).isEqualTo(8);
            }
            return null;
        });
        // The container's own service (a connecting peer checks the agent exists) passes by it too.
        assertThat(seen).containsExactly("validate_aid [0]", "agents/0/service [7]", "agents/0/service [13]",
                "agents/0/service [8]");
    }

    static ContainerOptions options(TransportCase t) {
        return ContainerOptions.DEFAULT.withChannelOptions(t.options());
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void anAgentCallsAnotherAgentsExposedService(TransportCase t) {
        Object result = Loop.run(() -> {
            try (Container c = Container.create(t.freshAddress(), options(t))) {
                ExampleAgent[] agents = {new ExampleAgent(c), new ExampleAgent(c)};
                assertThat(agents[0].id()).isEqualTo("0");
                assertThat(agents[1].id()).isEqualTo("1");
                return agents[0].run(agents[1].address(), 42);
            }
        });
        assertThat(result).isEqualTo(42);
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void agentsInTwoContainersShareOneConnectionPerContainer(TransportCase t) {
        Loop.run(() -> {
            try (Container c1 = Container.create(t.freshAddress(), options(t));
                    Container c2 = Container.create(t.freshAddress(), options(t))) {
                ExampleAgent caller = new ExampleAgent(c1);
                List<ExampleAgent> targets = List.of(new ExampleAgent(c2), new ExampleAgent(c2), new ExampleAgent(c2));
                // Many tasks connect at once: one connection is opened, and each agent validated once.
                List<Task<Object>> calls = new ArrayList<>();
                for (int i = 0; i < 30; i++) {
                    AgentAddress target = targets.get(i % 3).address();
                    int n = i;
                    calls.add(Loop.current().spawn(() -> caller.run(target, n)));
                }
                List<Object> results = Future.all(calls).await();
                for (int i = 0; i < 30; i++) {
                    assertThat(results.get(i)).isEqualTo(i);
                }
                Remote a = c1.connect(targets.get(0).address());
                Remote b = c1.connect(targets.get(1).address());
                assertThat(a.client()).isSameAs(b.client());
                assertThat(c1.connect(targets.get(0).address())).isEqualTo(a);
                assertThat(c1.connect(targets.get(0).address(), Service.class).service(5)).isEqualTo(5);
            }
            return null;
        });
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void aMissingAgentGivesAClearError(TransportCase t) {
        Loop.run(() -> {
            try (Container c = Container.create(t.freshAddress(), options(t))) {
                new ExampleAgent(c);
                AgentAddress missing = new AgentAddress(c.address(), "7");
                assertThatThrownBy(() -> c.connect(missing))
                        .isInstanceOf(AgentNotFoundException.class)
                        .hasMessageContaining("no agent with id \"7\" in the container at " + AgentAddress.containerText(c.address()));
            }
            return null;
        });
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void aRemovedAgentCanNoLongerBeCalled(TransportCase t) {
        Loop.run(() -> {
            try (Container c = Container.create(t.freshAddress(), options(t))) {
                ExampleAgent gone = new ExampleAgent(c);
                Remote remote = c.connect(gone.address());
                assertThat(remote.call("service", 1)).isEqualTo(1);
                assertThat(c.remove(gone)).isTrue();
                assertThatThrownBy(() -> remote.call("service", 1))
                        .isInstanceOf(RemoteException.class)
                        .hasMessageContaining("Name \"0\" not found in \"agents\"");
                assertThat(c.agents()).isEmpty();
                assertThat(c.remove(gone)).isFalse();
                // A new connect asks again: the agent is gone, whatever an earlier connect found.
                assertThatThrownBy(() -> c.connect(gone.address())).isInstanceOf(AgentNotFoundException.class)
                        .hasMessageContaining("no agent with id \"0\"");
            }
            return null;
        });
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void aDroppedConnectionIsReopenedAfterTheContainerRestarts(TransportCase t) {
        Loop.run(() -> {
            try (Container c1 = Container.create(t.freshAddress(), options(t))) {
                ExampleAgent caller = new ExampleAgent(c1);
                Container c2 = Container.create(t.freshAddress(), options(t));
                ExampleAgent target = new ExampleAgent(c2);
                assertThat(caller.run(target.address(), 1)).isEqualTo(1);
                Remote old = c1.connect(target.address());
                c2.shutdown();
                old.client().closed().await(); // c1 has seen the connection drop
                Container again = Container.create(c2.address(), options(t)); // same address
                try {
                    ExampleAgent reborn = new ExampleAgent(again);
                    assertThat(reborn.address()).isEqualTo(target.address());
                    assertThat(caller.run(reborn.address(), 2)).isEqualTo(2);
                    assertThat(c1.connect(reborn.address()).client()).isNotSameAs(old.client());
                } finally {
                    again.shutdown();
                }
            }
            return null;
        });
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void dateTimesTravelWithTheContainerSerializer(TransportCase t) {
        Loop.run(() -> {
            try (Container c = Container.create(t.freshAddress(), options(t))) {
                Clock2 agent = new Clock2(c);
                OffsetDateTime start = OffsetDateTime.of(2016, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
                Object later = c.connect(agent.address()).call("later", start);
                assertThat(later).isEqualTo(start.plusHours(1));
                // An Instant travels as aiomas' datetime: a parameter declared Instant gets one, and
                // what comes back is an OffsetDateTime (in UTC), as for every date-time.
                Object fromInstant = c.connect(agent.address()).call("laterInstant", start.toInstant());
                assertThat(fromInstant).isEqualTo(start.plusHours(1));
            }
            return null;
        });
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void shutdownReturnsOnceEveryConnectionAndTaskIsGone(TransportCase t) {
        Loop.run(() -> {
            Container c1 = Container.create(t.freshAddress(), options(t));
            Container c2 = Container.create(t.freshAddress(), options(t));
            ExampleAgent caller = new ExampleAgent(c1);
            ExampleAgent target = new ExampleAgent(c2);
            assertThat(caller.run(target.address(), 3)).isEqualTo(3);
            Task<Object> forever = caller.spawn("forever", () -> new io.loomas.runtime.Promise<>().await());
            c1.shutdown();
            c2.shutdown();
            assertThat(forever.isCancelled()).isTrue();
            assertThat(Loop.current().tasks()).containsExactly(Task.current());
            assertThatThrownBy(() -> new ExampleAgent(c1)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("is shut down");
            return null;
        });
    }
}
