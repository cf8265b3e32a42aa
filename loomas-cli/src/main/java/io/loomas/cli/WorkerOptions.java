package io.loomas.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** What {@code sweep} and {@code replay} share about their worker JVMs: the tests' class path, the seed timeout. */
final class WorkerOptions {
    @Option(names = {"--classpath", "-cp"}, paramLabel = "PATH", description = "the class path of the tests (default: this JVM's)")
    String classPath;

    @Option(names = "--seed-timeout", paramLabel = "DURATION", defaultValue = "PT10M",
            description = "wall time after which a seed's worker JVM is killed and the seed fails (ISO-8601, default: ${DEFAULT-VALUE})")
    Duration seedTimeout;

    /**
     * The worker JVMs run their virtual threads on one carrier thread. A simulation runs one task at
     * a time, so a second carrier adds no work, only cost: with two, every switch of tasks woke the
     * idle carrier (a futex call) to run the next task while the current one parked, which made RPC
     * over the simulated network about 1.4 times slower (BENCHMARKS.md). The sweep runs seeds in
     * parallel in several workers instead. A {@code --jvm-option} of the same property wins (it comes
     * later on the command line).
     */
    static final String ONE_CARRIER = "-Djdk.virtualThreadScheduler.parallelism=1";

    /** {@return the worker JVMs' options: where traces go, quiet logs, one carrier thread, then {@code extra}} */
    static List<String> jvmOptions(Path traces, List<String> extra) {
        List<String> options = new ArrayList<>();
        options.add(ONE_CARRIER);
        options.add("-D" + io.loomas.sim.Simulation.TRACE_DIR_PROPERTY + "=" + traces.toAbsolutePath());
        options.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=" + System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        options.addAll(extra);
        return options;
    }

    /** {@return the tests' class path, then this command's own classes (the worker's main class), if not on it yet} */
    String classPath() throws SetupException {
        String tests = classPath != null ? classPath : System.getProperty("java.class.path");
        String own;
        try {
            own = Path.of(SweepWorker.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException | SecurityException e) {
            throw new SetupException("cannot tell where the loomas command's classes are: " + e.getMessage());
        }
        return tests.isEmpty() ? own : tests + java.io.File.pathSeparator + own;
    }
}
