package io.loomas.bench;

import io.loomas.agent.Agent;
import io.loomas.agent.AgentAddress;
import io.loomas.agent.Container;
import io.loomas.rpc.Expose;
import io.loomas.rpc.Remote;
import io.loomas.runtime.Future;
import io.loomas.runtime.Loop;
import io.loomas.runtime.Promise;
import io.loomas.runtime.Task;
import io.loomas.sim.Latency;
import io.loomas.sim.Simulation;
import io.loomas.transport.Address;
import io.loomas.transport.Connection;
import io.loomas.transport.FrameHandler;
import io.loomas.transport.TransportOptions;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The simulation's figures (issue 5): simulated deliveries per second on one core, wall time for
 * many seeds of a 3-container request/reply scenario, and time compression on an idle-heavy run.
 */
public final class SimBench {
    private SimBench() {}

    /** Answers calls; one per container. */
    public static final class Echo extends Agent {
        public Echo(Container c) {
            super(c);
        }

        @Expose
        public int echo(int x) {
            return x;
        }
    }

    static void run(PrintStream out, Settings settings, Map<String, String> goals) {
        out.println("## Simulation");
        out.println();

        // 1. Deliveries per second, RPC and raw frames, each in a block of its own: unmeasured runs
        // warm the JIT first (at least three, and at least the warm-up time: the first run of a JVM
        // measures C2 compiling, a fifth of the steady rate), then the median of settings.runs runs.
        // Once in this JVM (virtual threads on the default carriers, one per core, as in a test
        // JVM) and once in a JVM with one carrier, as the loomas command's sweep workers run.
        long frames = settings.simCalls * 10L;
        double[] rpcRates = measured(settings, () -> rpcDeliveriesPerSecond(settings.simCalls));
        double[] rawRates = measured(settings, () -> rawDeliveriesPerSecond(frames));
        double[] oneCarrier = inOneCarrierJvm(settings);
        double rpcOneCarrier = oneCarrier[0];
        double rawOneCarrier = oneCarrier[1];
        double perSecond = median(rpcRates);
        double rawPerSecond = median(rawRates);

        // 2. Many seeds of a 3-container scenario: two callers, two servers, random latency.
        int seeds = settings.simSeeds;
        long s0 = System.nanoTime();
        long events = 0;
        for (long seed = 0; seed < seeds; seed++) {
            try (Simulation sim = Simulation.withSeed(seed)) {
                sim.network().setLatency(Latency.exponential(Duration.ofMillis(3)));
                sim.run(() -> {
                    Container a = sim.container("a");
                    Container b = sim.container("b", Echo::new);
                    Container c = sim.container("c", Echo::new);
                    List<Task<Object>> calls = new ArrayList<>();
                    for (Container target : List.of(b, c)) {
                        calls.add(Loop.current().spawn(() -> {
                            Remote r = a.connect(new AgentAddress(target.address(), "0"));
                            for (int i = 0; i < 5; i++) {
                                r.call("echo", i);
                            }
                            return null;
                        }));
                    }
                    Future.all(calls).await();
                    return null;
                });
                events += sim.trace().size();
            }
        }
        double seedSeconds = (System.nanoTime() - s0) / 1e9;

        // 3. Time compression: a day of one call a minute.
        Duration simulated;
        long c0 = System.nanoTime();
        try (Simulation sim = Simulation.withSeed(2)) {
            int minutes = settings.simCalls >= 1000 ? 24 * 60 : 60;
            sim.run(() -> {
                Container a = sim.container("a");
                Container b = sim.container("b", Echo::new);
                Remote echo = a.connect(new AgentAddress(b.address(), "0"));
                for (int m = 0; m < minutes; m++) {
                    sim.clock().sleep(Duration.ofMinutes(1));
                    echo.call("echo", m);
                }
                return null;
            });
            simulated = sim.clock().now();
        }
        double wall = (System.nanoTime() - c0) / 1e9;
        double compression = simulated.toNanos() / 1e9 / wall;

        out.println("| measure | figure | goal |");
        out.println("|---|---:|---:|");
        out.printf(Locale.ROOT, "| simulated frame deliveries per second (32-byte frames on one simulated connection, %,d frames; median of %d runs after warm-up runs until steady), one carrier (a sweep worker) | %,.0f | ≥ 1,000,000 |%n",
                frames, rawRates.length, rawOneCarrier);
        out.printf(Locale.ROOT, "| the same, default carriers (a test JVM) | %,.0f | — |%n", rawPerSecond);
        out.printf(Locale.ROOT, "| simulated RPC deliveries per second (request or reply over the simulated network, 16 callers, %,d calls; median of %d runs after warm-up runs until steady), one carrier (a sweep worker) | %,.0f | ≥ 300,000 |%n",
                settings.simCalls, rpcRates.length, rpcOneCarrier);
        out.printf(Locale.ROOT, "| the same, default carriers (a test JVM) | %,.0f | — |%n", perSecond);
        out.printf(Locale.ROOT, "| wall time for %,d seeds of a 3-container request/reply scenario | %.2f s (%,.0f trace events per seed) | ≤ 10 s for 1000 |%n",
                seeds, seedSeconds, events / (double) seeds);
        out.printf(Locale.ROOT, "| time compression, one call a minute for %s | %,.0fx (%.2f s wall) | ≥ 1000x |%n",
                simulated, compression, wall);
        out.println();
        goals.put("simulated deliveries ≥ 1,000,000 per second (raw frames, a sweep worker)", String.format(Locale.ROOT, "%,.0f/s | %s",
                rawOneCarrier, rawOneCarrier >= 1_000_000 ? "yes" : "**no**"));
        goals.put("simulated RPC deliveries ≥ 300,000 per second (issue 18, a sweep worker)", String.format(Locale.ROOT, "%,.0f/s | %s",
                rpcOneCarrier, rpcOneCarrier >= 300_000 ? "yes" : "**no**"));
        double per1000 = seedSeconds * 1000 / seeds;
        goals.put("1000 seeds of a 3-container scenario ≤ 10 s", String.format(Locale.ROOT, "%.1f s (scaled from %d seeds) | %s",
                per1000, seeds, per1000 <= 10 ? "yes" : "**no**"));
        goals.put("time compression ≥ 1000x", String.format(Locale.ROOT, "%,.0fx | %s", compression,
                compression >= 1000 ? "yes" : "**no**"));
    }

    /** {@return simulated RPC deliveries per second: 16 callers on node a call node b's agent {@code calls} times in all} */
    private static double rpcDeliveriesPerSecond(int calls) {
        try (Simulation sim = Simulation.withSeed(1)) {
            long t0 = System.nanoTime();
            sim.run(() -> {
                Container a = sim.container("a");
                Container b = sim.container("b", Echo::new);
                Remote echo = a.connect(new AgentAddress(b.address(), "0"));
                List<Task<Object>> callers = new ArrayList<>();
                for (int c = 0; c < 16; c++) {
                    callers.add(Loop.current().spawn(() -> {
                        for (int i = 0; i < calls / 16; i++) {
                            echo.call("echo", i);
                        }
                        return null;
                    }));
                }
                Future.all(callers).await();
                return null;
            });
            long nanos = System.nanoTime() - t0;
            long deliveries;
            try (var events = sim.trace().stream()) {
                deliveries = events.filter(e -> e.kind().equals("deliver")).count();
            }
            return deliveries / (nanos / 1e9);
        }
    }

    /** {@return simulated deliveries per second of {@code frames} 32-byte frames sent straight over one simulated connection: no codec, no RPC} */
    private static double rawDeliveriesPerSecond(long frames) {
        try (Simulation sim = Simulation.withSeed(3)) {
            long r0 = System.nanoTime();
            long delivered = sim.run(() -> {
                Promise<Long> all = new Promise<>();
                long[] received = {0};
                sim.network().endpoint("b").listen(Address.local("b"), TransportOptions.DEFAULT, c -> c.start(new FrameHandler() {
                    @Override
                    public void onFrame(byte[] payload) {
                        if (++received[0] == frames) {
                            all.complete(received[0]);
                        }
                    }

                    @Override
                    public void onClose(Throwable cause) {}
                }));
                Connection sender = sim.network().endpoint("a").connect(Address.local("b"), TransportOptions.DEFAULT);
                sender.start(new FrameHandler() {
                    @Override
                    public void onFrame(byte[] payload) {}

                    @Override
                    public void onClose(Throwable cause) {}
                });
                byte[] payload = new byte[32];
                for (long i = 0; i < frames; i++) {
                    sender.send(payload);
                }
                return all.await();
            });
            return delivered / ((System.nanoTime() - r0) / 1e9);
        }
    }

    /**
     * {@return the median RPC and raw-frame delivery rates measured in a child JVM whose virtual
     * threads run on one carrier, as the loomas command's sweep workers do}
     */
    private static double[] inOneCarrierJvm(Settings settings) {
        try {
            Process p = Jvm.start(List.of("-Djdk.virtualThreadScheduler.parallelism=1", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"),
                    SimBench.class, List.of(Integer.toString(settings.simCalls), Integer.toString(settings.runs),
                            Long.toString(settings.warmupMillis)));
            String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("the one-carrier simulation JVM failed (exit " + p.exitValue() + "): " + output);
            }
            String[] rates = output.split("\\s+");
            return new double[] {Double.parseDouble(rates[0]), Double.parseDouble(rates[1])};
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The child JVM of {@link #inOneCarrierJvm}: args calls, runs, warm-up millis; prints the two medians. */
    public static void main(String[] args) {
        Settings settings = new Settings();
        settings.simCalls = Integer.parseInt(args[0]);
        settings.runs = Integer.parseInt(args[1]);
        settings.warmupMillis = Long.parseLong(args[2]);
        long frames = settings.simCalls * 10L;
        double rpc = median(measured(settings, () -> rpcDeliveriesPerSecond(settings.simCalls)));
        double raw = median(measured(settings, () -> rawDeliveriesPerSecond(frames)));
        System.out.println(rpc + " " + raw);
    }

    /**
     * {@return the rates of {@code settings.runs} runs of {@code run} (at least five), after
     * warm-up runs: at least three and the warm-up time, then until two runs in a row agree within
     * 10% (at most twenty): the RPC path takes C2 several seconds on two cores, and a run measured
     * before that is a measure of the compiler}
     */
    private static double[] measured(Settings settings, java.util.function.DoubleSupplier run) {
        long warmEnd = System.nanoTime() + settings.warmupMillis * 1_000_000;
        double previous = run.getAsDouble();
        for (int i = 1; i < 20; i++) {
            double rate = run.getAsDouble();
            boolean steady = Math.abs(rate - previous) <= 0.1 * Math.max(rate, previous);
            if (i >= 3 && System.nanoTime() >= warmEnd && steady) {
                break;
            }
            previous = rate;
        }
        double[] rates = new double[Math.max(5, settings.runs)];
        for (int r = 0; r < rates.length; r++) {
            rates[r] = run.getAsDouble();
        }
        return rates;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
