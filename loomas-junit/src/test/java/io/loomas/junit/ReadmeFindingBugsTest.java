package io.loomas.junit;

// The "Finding bugs" example of README.md, kept here so that it compiles and passes.

import static org.assertj.core.api.Assertions.assertThat;

import io.loomas.agent.Agent;
import io.loomas.agent.AgentAddress;
import io.loomas.agent.Container;
import io.loomas.disk.Disk;
import io.loomas.rpc.Expose;
import io.loomas.rpc.Remote;
import io.loomas.runtime.Loop;
import io.loomas.runtime.TimeoutException;
import io.loomas.sim.Sim;
import io.loomas.sim.Simulation;
import io.loomas.sim.SimulationException;
import io.loomas.sim.check.History;
import io.loomas.sim.check.Linearizability;
import io.loomas.sim.check.Models;
import io.loomas.transport.Address;
import io.loomas.transport.ConnectionClosedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.testkit.engine.EngineTestKit;

class ReadmeFindingBugsTest {

    // README begin
    static final class Register extends Agent {
        private final Disk disk;

        Register(Container c, Disk disk) {
            super(c);
            this.disk = disk;
        }

        @Expose
        void write(String value) throws IOException {
            disk.replace("value", value.getBytes(StandardCharsets.UTF_8)); // durable before the answer
            Sim.reachable("a write is stored");
        }

        @Expose
        String read() throws IOException {
            return disk.exists("value") ? new String(disk.read("value"), StandardCharsets.UTF_8) : null;
        }
    }

    @SimulationTest(seeds = 200, faults = "swarm", chaos = "PT20S", scheduling = "portfolio",
            expect = "a write is stored")
    void theRegisterStaysLinearizableThroughCrashes(Simulation sim) throws Exception {
        sim.container("db", c -> new Register(c, sim.disk("db")));
        History history = History.on(sim.clock());
        AtomicInteger finished = new AtomicInteger();
        for (String client : List.of("c1", "c2", "c3")) {
            sim.container(client);
            RandomGenerator random = sim.random(client);
            Loop.current().spawn(client, () -> {
                for (int i = 0; i < 20; i++) {
                    sim.clock().sleep(Duration.ofMillis(random.nextInt(500)));
                    Container here = sim.containerOf(client);      // null while the nemesis has it down
                    if (here == null) {
                        continue;
                    }
                    boolean write = random.nextBoolean();
                    History.Call call = history.invoke(client, write ? new Models.Write(client + i) : new Models.Read());
                    try {
                        Remote db = here.connect(new AgentAddress(Address.local("db"), "0"), Duration.ofSeconds(1))
                                .withTimeout(Duration.ofSeconds(1));
                        call.ok(write ? db.call("write", client + i) : db.call("read"));
                    } catch (IOException | TimeoutException | ConnectionClosedException e) {
                        call.info();                                    // it may or may not have happened
                    }
                }
                return finished.incrementAndGet();
            });
        }
        sim.liveness(Duration.ofSeconds(30), "every client finishes", () -> finished.get() == 3);
        Linearizability.check(history, Models.register()).assertLinearizable();
    }
    // README end

    /** The same test with a planted bug: a write-behind cache answers before the write is stored. */
    @Tag("leaky") // fails on purpose; run only through EngineTestKit
    static class Planted {
        static final class ForgetfulRegister extends Agent {
            private final Disk disk;
            private String cached;

            ForgetfulRegister(Container c, Disk disk) {
                super(c);
                this.disk = disk;
            }

            @Expose
            void write(String value) {
                cached = value;
                Loop.current().spawn("store later", () -> { // the bug: a write-behind cache answers first
                    clock().sleep(Duration.ofMillis(100));
                    disk.replace("value", value.getBytes(StandardCharsets.UTF_8));
                    return null;
                });
            }

            @Expose
            String read() throws IOException {
                return cached != null ? cached
                        : disk.exists("value") ? new String(disk.read("value"), StandardCharsets.UTF_8) : null;
            }
        }

        @SimulationTest(seeds = 20, faults = "swarm(crash)", chaos = "PT20S")
        void forgets(Simulation sim) throws Exception {
            sim.container("db", c -> new ForgetfulRegister(c, sim.disk("db")));
            History history = History.on(sim.clock());
            for (String client : List.of("c1", "c2")) {
                sim.container(client);
                Loop.current().spawn(client, () -> {
                    for (int i = 0; i < 60; i++) {
                        Container here = sim.containerOf(client);
                        if (here == null) {
                            sim.clock().sleep(Duration.ofMillis(50));
                            continue;
                        }
                        History.Call call = history.invoke(client, i % 2 == 0 ? new Models.Write(client + i)
                                : new Models.Read());
                        try {
                            Remote db = here.connect(new AgentAddress(Address.local("db"), "0"), Duration.ofSeconds(1))
                                    .withTimeout(Duration.ofSeconds(1));
                            call.ok(i % 2 == 0 ? db.call("write", client + i) : db.call("read"));
                        } catch (IOException | TimeoutException | ConnectionClosedException e) {
                            call.info();
                        }
                        sim.clock().sleep(Duration.ofMillis(50));
                    }
                    return null;
                });
            }
            sim.liveness(Duration.ofSeconds(30), "time passes", () -> true);
            sim.clock().sleep(Duration.ofSeconds(1));
            Linearizability.check(history, Models.register()).assertLinearizable();
        }
    }

    @Test
    void theReadmeShowsThisCodeLineForLine() throws IOException {
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("../README.md"));
        int section = readme.indexOf("## Finding bugs");
        int start = readme.indexOf("```java\n", section) + "```java\n".length();
        List<String> shown = readme.substring(start, readme.indexOf("```", start)).lines().map(String::strip).toList();
        String source = java.nio.file.Files.readString(java.nio.file.Path.of(
                "src/test/java/io/loomas/junit/ReadmeFindingBugsTest.java"));
        List<String> code = source.substring(source.indexOf("// README begin\n") + 16, source.indexOf("    // README end"))
                .lines().map(String::strip).toList();
        assertThat(shown).isEqualTo(code);
    }

    @Test
    void thePlantedBugFailsWithAReplayLine() {
        var failed = EngineTestKit.engine("junit-jupiter")
                .selectors(DiscoverySelectors.selectMethod(Planted.class, "forgets", Simulation.class.getName()))
                .execute().testEvents().failed().list();
        assertThat(failed).isNotEmpty();
        Throwable error = failed.get(0).getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow();
        System.out.println(failed.size() + " of 20 seeds failed; the first:\n" + error.getMessage() + "\nEND");
        assertThat(error).isInstanceOf(SimulationException.class).hasMessageStartingWith("not linearizable: the history up to the end of #")
                .hasMessageContaining("nemesis swarm [crash:").hasMessageContaining("Replay just this seed: @Seed(");
    }
}
