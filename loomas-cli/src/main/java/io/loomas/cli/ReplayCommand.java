package io.loomas.cli;

import io.loomas.sim.Simulation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code loomas replay}: one seed again, with its whole trace and the viewer page. */
@Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs one seed of a simulation test again, in a fresh JVM, and writes its whole trace (JSON lines)",
                "and the trace viewer page, whether the seed fails or passes. The same seed gives the same trace, byte for byte."},
        footer = {"", "Example:", "  loomas replay com.acme.LockTest#staysSafe --seed 17 --html seed-17.html"})
final class ReplayCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "TARGET", description = "pkg.Class#method, or a class with one @SimulationTest method, or a scenario class")
    String target;

    @Option(names = "--seed", required = true, paramLabel = "S", description = "the seed to run")
    long seed;

    @Option(names = "--trace", paramLabel = "FILE", description = "where the trace goes (default: target/loomas-replay/<test>-seed-<S>.jsonl)")
    Path trace;

    @Option(names = "--html", paramLabel = "FILE", description = "where the viewer page goes (default: the trace's name, .html)")
    Path html;

    @Option(names = "--open", description = "open the page in the desktop's browser")
    boolean open;

    @Mixin
    WorkerOptions worker = new WorkerOptions();

    @Override
    public Integer call() throws Exception {
        Path base = Files.isDirectory(Path.of("target")) ? Path.of("target", "loomas-replay") : Path.of("loomas-replay");
        Path scratch = Files.createTempDirectory("loomas-replay-");
        List<String> options = WorkerOptions.jvmOptions(scratch, List.of("-D" + Simulation.TRACE_ALWAYS_PROPERTY + "=true"));
        WorkerProcess.Launch launch = new WorkerProcess.Launch(WorkerProcess.Launch.currentJava(), options,
                worker.classPath(), target, scratch.resolve("logs"));
        Progress quiet = new Progress(System.out, Progress.Mode.NONE, false, Duration.ofHours(1));
        SweepResults r = new Sweep(new Sweep.Plan(target, SeedRange.of(seed, 1), null, 1, false, worker.seedTimeout, 1, launch,
                false, true), quiet).run();
        Path written;
        try (Stream<Path> files = Files.list(scratch)) {
            written = files.filter(f -> f.getFileName().toString().endsWith("-seed-" + seed + ".jsonl")).findFirst().orElse(null);
        }
        String test = r.tests().isEmpty() ? target : r.tests().get(0);
        boolean failed = !r.passedAll();
        System.out.println("seed " + seed + " of " + test + (failed ? " failed: " + (r.failures().isEmpty()
                ? String.join("; ", r.errors()) : r.failures().get(0).headline()) : " passed"));
        if (written == null) {
            System.out.println("no trace was written (the run did not start a simulation?); the worker's log: " + scratch.resolve("logs"));
            return failed ? Main.FAILED : Main.SETUP;
        }
        Path traceFile = trace != null ? trace : base.resolve(written.getFileName());
        createParent(traceFile);
        Files.copy(written, traceFile, StandardCopyOption.REPLACE_EXISTING);
        Path page = html != null ? html : Path.of(traceFile.toString().replaceFirst("\\.jsonl$", "") + ".html");
        createParent(page);
        int events = TraceViewer.write(traceFile, page, new TraceViewer.Meta(test, seed,
                "loomas replay " + test + " --seed " + seed));
        System.out.println("trace:  " + traceFile + " (" + events + " events)");
        System.out.println("viewer: " + page);
        if (open) {
            ViewCommand.open(page);
        }
        deleteQuietly(scratch);
        return failed ? Main.FAILED : Main.PASSED;
    }

    static void createParent(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind
        }
    }
}
