package io.loomas.bench;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** What one benchmark run does; parsed from the command line. Not thread-safe; set up before the run. */
final class Settings {
    static final Set<String> ALL = new LinkedHashSet<>(List.of("tcp", "latency", "unix", "local", "lifecycle",
            "agents", "connections", "codec", "sim", "check", "find"));

    static final String USAGE = """
            usage: bench/run [--quick] [--runs N] [--duration MS] [--warmup MS] [--grpc-warmup MS]
                             [--only tcp,latency,unix,local,lifecycle,agents,connections,codec,sim,check,find]
                             [--agents N] [--connections N] [--lifecycles N] [--lifecycle-warmup N]
                             [--jmh-full] [--in-process]
              --quick        a short run (about a minute): fewer, shorter runs; smaller memory figures
              --in-process   run the servers in the benchmark's JVM instead of a JVM of their own
              --jmh-full     also encode and decode alone, not only encode+decode
            """;

    int runs = 3;
    long durationMillis = 800;
    long warmupMillis = 3000;
    long grpcWarmupMillis = 12000;
    List<Integer> callers = List.of(1, 16, 64);
    List<Integer> otherTransportCallers = List.of(1, 64);
    Set<String> sections = ALL;
    boolean serverInProcess;
    /** Enough for the JIT to compile the connect path: the median falls until about 3,000 runs. */
    int lifecycleWarmup = 4000;
    int lifecycleIterations = 500;
    int agents = 1_000_000;
    int connections = 10_000;
    boolean jmhFull;
    /** 0 runs no JMH fork at all (the smoke test calls the benchmark method directly instead). */
    long jmhMillis = 1000;
    int jmhIterations = 3;
    /** Seeds of the 3-container simulation scenario, and calls of the delivery-rate scenario. */
    int simSeeds = 1000;
    int simCalls = 50_000;
    /** Seeds per strategy and per protocol variant in the "finding bugs" section. */
    int findSeeds = 2000;

    static Settings quick() {
        Settings s = new Settings();
        s.runs = 2;
        s.durationMillis = 300;
        s.warmupMillis = 1000;
        s.grpcWarmupMillis = 3000;
        s.lifecycleWarmup = 500;
        s.lifecycleIterations = 100;
        s.agents = 100_000;
        s.connections = 1_000;
        s.jmhMillis = 300;
        s.jmhIterations = 2;
        s.simSeeds = 300;
        s.simCalls = 20_000;
        s.findSeeds = 300;
        return s;
    }

    /** Seconds-long settings for the smoke test: a few hundred calls per scenario. */
    static Settings smoke() {
        Settings s = new Settings();
        s.runs = 1;
        s.durationMillis = 25;
        s.warmupMillis = 25;
        s.grpcWarmupMillis = 25;
        s.callers = List.of(1, 16);
        s.otherTransportCallers = List.of(16);
        s.serverInProcess = true;
        s.lifecycleWarmup = 1;
        s.lifecycleIterations = 3;
        s.agents = 1_000;
        s.connections = 10;
        s.jmhMillis = 0;
        s.simSeeds = 3;
        s.simCalls = 200;
        s.findSeeds = 5;
        return s;
    }

    static Settings parse(String[] args) {
        Settings s = Arrays.asList(args).contains("--quick") ? quick() : new Settings();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--quick" -> {}
                case "--runs" -> s.runs = Integer.parseInt(args[++i]);
                case "--duration" -> s.durationMillis = Long.parseLong(args[++i]);
                case "--warmup" -> s.warmupMillis = Long.parseLong(args[++i]);
                case "--grpc-warmup" -> s.grpcWarmupMillis = Long.parseLong(args[++i]);
                case "--agents" -> s.agents = Integer.parseInt(args[++i]);
                case "--connections" -> s.connections = Integer.parseInt(args[++i]);
                case "--lifecycles" -> s.lifecycleIterations = Integer.parseInt(args[++i]);
                case "--lifecycle-warmup" -> s.lifecycleWarmup = Integer.parseInt(args[++i]);
                case "--jmh-full" -> s.jmhFull = true;
                case "--in-process" -> s.serverInProcess = true;
                case "--only" -> {
                    Set<String> only = new LinkedHashSet<>(Arrays.asList(args[++i].split(",")));
                    if (!ALL.containsAll(only)) {
                        throw new IllegalArgumentException("unknown section in --only: " + only + " (expected: some of " + ALL + ")");
                    }
                    s.sections = only;
                }
                case "-h", "--help" -> {
                    System.out.print(USAGE);
                    System.exit(0);
                }
                default -> throw new IllegalArgumentException("unknown option: " + a + "\n" + USAGE);
            }
        }
        return s;
    }

    @Override
    public String toString() {
        return "runs=" + runs + " duration=" + durationMillis + "ms warmup=" + warmupMillis + "ms grpcWarmup="
                + grpcWarmupMillis + "ms sections=" + sections + " serversInProcess=" + serverInProcess;
    }
}
