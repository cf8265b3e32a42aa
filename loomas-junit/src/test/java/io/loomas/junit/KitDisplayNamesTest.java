package io.loomas.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.loomas.sim.Simulation;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * {@link KitDisplayNames}: methods that run once per case are named without their parameter types,
 * so a report joins them with the invocation's name into {@code echoes[tcp/json]}; other methods
 * keep JUnit's names.
 */
class KitDisplayNamesTest {

    static class Named {
        @TransportTest(transports = TransportKind.LOCAL, codecs = CodecKind.JSON)
        void echoes(TransportContext ctx) {}

        @SimulationTest(seeds = 1, checkDeterminism = 0)
        void sweeps(Simulation sim) {}

        @ParameterizedTest
        @ValueSource(ints = 1)
        void parameterized(int i) {}

        @Test
        void plain() {}
    }

    private static List<String> containerAndTestNames(String generator) {
        var kit = EngineTestKit.engine("junit-jupiter").selectors(selectClass(Named.class));
        if (generator != null) {
            kit = kit.configurationParameter("junit.jupiter.displayname.generator.default", generator);
        }
        EngineExecutionResults results = kit.execute();
        results.testEvents().assertStatistics(s -> s.failed(0));
        return results.allEvents().started().stream().map(e -> e.getTestDescriptor().getDisplayName())
                .filter(n -> !n.equals("JUnit Jupiter") && !n.startsWith("KitDisplayNamesTest")).toList();
    }

    @Test
    void templatesAreNamedWithoutTheirParameterTypes() {
        assertThat(containerAndTestNames(KitDisplayNames.class.getName())).containsExactlyInAnyOrder(
                "echoes", "[local/json]", "sweeps", "[seed=0]", "parameterized", "[1] i=1", "plain()");
    }

    @Test
    void withoutItJunitsStandardNamesCarryTheParameterTypes() {
        assertThat(containerAndTestNames(null)).contains("echoes(TransportContext)", "sweeps(Simulation)", "plain()");
    }
}
