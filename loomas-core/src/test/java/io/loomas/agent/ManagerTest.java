package io.loomas.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomas.channel.RemoteException;
import io.loomas.rpc.Expose;
import io.loomas.rpc.Remote;
import io.loomas.runtime.Loop;
import io.loomas.testing.TransportCase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The manager's spawn takes positional and keyword arguments, as aiomas' spawn(qualname, *args, **kwargs). */
class ManagerTest {

    public static class Tuned extends Agent {
        private final String name;
        private final int speed;

        public Tuned(Container c, String name, int speed) {
            super(c);
            this.name = name;
            this.speed = speed;
        }

        @Expose
        String describe() {
            return name + "@" + speed;
        }
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void spawnPassesPositionalThenKeywordArgumentsToTheConstructor(TransportCase t) {
        Loop.run(() -> {
            ContainerOptions options = ContainerOptions.DEFAULT.withChannelOptions(t.options());
            try (Container child = Container.create(t.freshAddress(), options);
                    Container parent = Container.create(t.freshAddress(), options)) {
                Manager manager = new Manager(child);
                Remote remote = parent.connect(manager.address());
                String tuned = Tuned.class.getName();
                assertThat(((Remote) ((List<?>) remote.call("spawn", tuned, "a", 3)).get(0)).call("describe"))
                        .isEqualTo("a@3");
                assertThat(((Remote) ((List<?>) remote.callWithKwargs("spawn", List.of(tuned, "b"), Map.of("speed", 5)))
                        .get(0)).call("describe")).isEqualTo("b@5");
                assertThat(((Remote) ((List<?>) remote.callWithKwargs("spawn", List.of(tuned),
                        Map.of("speed", 7, "name", "c"))).get(0)).call("describe")).isEqualTo("c@7");
                assertThatThrownBy(() -> remote.callWithKwargs("spawn", List.of(tuned, "d"), Map.of("pace", 1)))
                        .isInstanceOf(RemoteException.class)
                        .hasMessageContaining("no constructor Tuned(Container, ?, pace)");
            }
            return null;
        });
    }
}
