package io.loomas.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.loomas.agent.Container;
import io.loomas.transport.Address;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;

/** Servers bound by tests running at the same time never get the same address. */
class FreeAddressTest {

    /** Two tests, run concurrently 200 times each, each holding an address while the other binds. */
    @Tag("leaky") // not leaky, but run only through EngineTestKit, with parallel execution switched on
    @LoomasTest
    static class BindingAtTheSameTime {
        static final Set<Address> inUse = ConcurrentHashMap.newKeySet();

        static void hold(Address address) {
            assertThat(inUse.add(address)).as("%s is bound by another test", address).isTrue();
        }

        @RepeatedTest(200)
        void startsAServer(TransportContext ctx) throws Exception {
            Address a = ctx.startServer(channel -> {}).address();
            hold(a);
            assertThat(ctx.connect().isOpen()).isTrue();
            inUse.remove(a);
        }

        @RepeatedTest(200)
        void createsAContainer(Container container) {
            hold(container.address());
            inUse.remove(container.address());
        }
    }

    @Test
    void twoTestsBindingServersAtTheSameTimeNeverCollide() {
        EngineTestKit.engine("junit-jupiter")
                .configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
                .configurationParameter("junit.jupiter.execution.parallel.mode.default", "concurrent")
                .configurationParameter("junit.jupiter.execution.parallel.mode.classes.default", "concurrent")
                .selectors(selectClass(BindingAtTheSameTime.class))
                .execute()
                .testEvents()
                .assertStatistics(stats -> stats.started(400).succeeded(400).failed(0));
    }
}
