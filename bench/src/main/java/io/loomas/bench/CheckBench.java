package io.loomas.bench;

import io.loomas.agent.AgentAddress;
import io.loomas.agent.Container;
import io.loomas.rpc.Remote;
import io.loomas.runtime.Future;
import io.loomas.runtime.Loop;
import io.loomas.runtime.Task;
import io.loomas.sim.Latency;
import io.loomas.sim.Simulation;
import io.loomas.sim.check.History;
import io.loomas.sim.check.Linearizability;
import io.loomas.sim.check.Models;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The linearizability check's speed: a register served by one agent in a simulation, 5 clients of
 * 2,000 operations each (a third of them writes), recorded in a {@link History}; the figure is the
 * wall time of checking that history, the median of 5 checks after 2 for warm-up.
 */
final class CheckBench {
    private static final int CLIENTS = 5;
    private static final int OPS_PER_CLIENT = 2_000;

    private CheckBench() {}

    /** The register: an agent whose loop runs one call at a time. */
    public static final class RegisterAgent extends io.loomas.agent.Agent {
        private Object value;

        public RegisterAgent(Container c) {
            super(c);
        }

        @io.loomas.rpc.Expose
        public Object read() {
            return value;
        }

        @io.loomas.rpc.Expose
        public void write(Object v) {
            value = v;
        }
    }

    static void run(PrintStream out) {
        out.println("## Linearizability check");
        out.println();
        History history;
        try (Simulation sim = Simulation.builder().seed(1).latency(Latency.uniform(Duration.ofMillis(1), Duration.ofMillis(5))).build()) {
            history = sim.run(() -> {
                History h = History.on(sim.clock());
                Container server = sim.container("server", RegisterAgent::new);
                List<Task<Object>> clients = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    String name = "client-" + c;
                    Remote register = sim.container(name).connect(new AgentAddress(server.address(), "0"));
                    SplittableRandom random = new SplittableRandom(c);
                    clients.add(Loop.current().spawn(() -> {
                        for (int i = 0; i < OPS_PER_CLIENT; i++) {
                            if (random.nextInt(3) == 0) {
                                int v = random.nextInt(4);
                                History.Call call = h.invoke(name, new Models.Write(v));
                                register.call("write", v);
                                call.ok(null);
                            } else {
                                History.Call call = h.invoke(name, new Models.Read());
                                call.ok(register.call("read"));
                            }
                        }
                        return null;
                    }));
                }
                Future.all(clients).await();
                return h;
            });
        }
        long[] nanos = new long[7];
        Linearizability.Result result = null;
        for (int i = 0; i < nanos.length; i++) {
            long t0 = System.nanoTime();
            result = Linearizability.check(history, Models.register());
            nanos[i] = System.nanoTime() - t0;
        }
        long[] measured = Arrays.copyOfRange(nanos, 2, nanos.length);
        Arrays.sort(measured);
        out.println("| history | operations | clients | result | check, median of 5 |");
        out.println("|---|---|---|---|---|");
        out.println(String.format(Locale.ROOT, "| register, simulated (seed 1, latency 1-5 ms) | %d | %d | %s | %.1f ms |",
                history.operations().size(), CLIENTS, result.linearizable() ? "linearizable" : "NOT linearizable",
                measured[measured.length / 2] / 1e6));
        out.println();
    }
}
