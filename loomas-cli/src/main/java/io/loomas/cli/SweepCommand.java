package io.loomas.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code loomas sweep}: runs many seeds of a simulation test on forked JVMs. */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs seeds of a simulation test on forked JVMs, one per core by default, and sums up what failed.",
                "TARGET is a @SimulationTest method (pkg.Class#method), a class (all its @SimulationTest methods) or a"
                        + " scenario class (implements Consumer<Simulation>; a fresh instance per seed).",
                "Writes results.json and results.xml (JUnit XML) to --out; the traces of failed seeds to --out/traces."},
        footer = {"", "Examples:",
                "  loomas sweep com.acme.LockTest#staysSafe --seeds 10000 --random-start",
                "  loomas sweep com.acme.LockTest --seeds 1000000 --from 0 --shard 3/16 -o results"})
final class SweepCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "TARGET", description = "pkg.Class#method, pkg.Class, or a scenario class")
    String target;

    @Option(names = "--seeds", paramLabel = "N", defaultValue = "100", description = "how many seeds (default: ${DEFAULT-VALUE})")
    long seeds;

    @ArgGroup(exclusive = true)
    Start start = new Start();

    /** Where the seeds start: given, or picked at random and printed. */
    static final class Start {
        @Option(names = "--from", paramLabel = "S", description = "the first seed (default: 0)")
        Long from;

        @Option(names = "--random-start", description = "start at a random seed, printed first, so every sweep covers new seeds and still replays")
        boolean random;
    }

    @Option(names = {"-j", "--jobs"}, paramLabel = "K", description = "worker JVMs (default: one per core)")
    Integer jobs;

    @Option(names = "--shard", paramLabel = "I/N", description = "run only slice I (from 0) of N of the seeds; in a Kubernetes"
            + " Indexed Job, I defaults to JOB_COMPLETION_INDEX and N to LOOMAS_SHARDS")
    String shard;

    @Option(names = "--fail-fast", description = "stop at the first failed seed")
    boolean failFast;

    @Mixin
    WorkerOptions worker = new WorkerOptions();

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", description = "where results and traces go (default: target/loomas-sweep"
            + " if there is a target directory, else loomas-sweep)")
    Path out;

    @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto",
            description = "auto (a bar on a terminal, else lines), bar, lines or none (default: ${DEFAULT-VALUE})")
    Progress.Mode progress;

    @Option(names = "--progress-every", paramLabel = "SECONDS", defaultValue = "10",
            description = "how often a progress line prints off a terminal (default: ${DEFAULT-VALUE})")
    long progressEvery;

    @Option(names = "--chunk", paramLabel = "SEEDS", description = "seeds per chunk handed to a worker (default: by range and jobs, at most 50)")
    Integer chunk;

    @Option(names = "--jvm-option", paramLabel = "OPTION", description = "an option for the worker JVMs (repeatable), e.g. --jvm-option=-Xmx2g")
    List<String> jvmOptions = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        PrintStream stdout = System.out;
        Shard slice = Shard.resolve(shard, System.getenv());
        long from;
        if (start.random) {
            if (slice != null) {
                throw new SetupException("--random-start with --shard: each shard would pick its own start; pick one"
                        + " start for all shards and pass it as --from");
            }
            from = ThreadLocalRandom.current().nextLong(1_000_000_000L, 1_000_000_000_000L);
        } else {
            from = start.from == null ? 0 : start.from;
        }
        SeedRange whole;
        try {
            whole = SeedRange.of(from, seeds);
        } catch (IllegalArgumentException e) {
            throw new SetupException(e.getMessage());
        }
        SeedRange range = slice == null ? whole : slice.of(whole);
        int k = jobs != null ? jobs : Runtime.getRuntime().availableProcessors();
        if (k < 1) {
            throw new SetupException("--jobs " + k + ": at least one worker JVM (expected: >= 1)");
        }
        Path dir = out != null ? out : Files.isDirectory(Path.of("target")) ? Path.of("target", "loomas-sweep") : Path.of("loomas-sweep");
        String suffix = slice == null ? "" : "-shard-" + slice.index();
        if (start.random) {
            stdout.println("start seed " + from + " (random; run these seeds again with --from " + from + ")");
        }
        stdout.println("loomas sweep " + target + ": " + range + (slice == null ? "" : " (shard " + slice + " of " + whole + ")")
                + " on " + Math.min(k, Math.max(1, range.size())) + " JVM" + (k == 1 ? "" : "s"));
        if (range.isEmpty()) {
            stdout.println("this shard has no seeds: there are more shards than seeds");
        }
        int chunkSize = chunk != null ? chunk : (int) Math.max(1, Math.min(50, range.size() / (k * 8L)));
        WorkerProcess.Launch launch = new WorkerProcess.Launch(WorkerProcess.Launch.currentJava(),
                WorkerOptions.jvmOptions(dir.resolve("traces"), jvmOptions), worker.classPath(), target, dir.resolve("logs"));
        Progress bar = new Progress(stdout, progress, true, Duration.ofSeconds(Math.max(1, progressEvery)));
        SweepResults results;
        Map<String, Map<Long, Long>> millis;
        // Ctrl-C or a SIGTERM: the workers are killed, and what ran so far is still summed up and written.
        java.util.concurrent.CountDownLatch written = new java.util.concurrent.CountDownLatch(1);
        Sweep sweep = range.isEmpty() ? null : new Sweep(new Sweep.Plan(target, range, slice == null ? null : slice.toString(),
                k, failFast, worker.seedTimeout, chunkSize, launch, true, false), bar);
        Thread hook = Thread.ofPlatform().unstarted(() -> {
            if (sweep != null) {
                sweep.interrupt();
            }
            try {
                written.await(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            if (sweep == null) {
                results = new SweepResults(target, List.of(new SweepResults.Range(range.from(), range.to())),
                        slice.toString(), 0, List.of(), 0, 0, 0, 0, 0, true, List.of(), List.of(), List.of());
                millis = Map.of();
            } else {
                results = sweep.run();
                millis = sweep.millis();
                bar.finish();
            }
            Path json = dir.resolve("results" + suffix + ".json");
            Path xml = dir.resolve("results" + suffix + ".xml");
            results.writeJson(json);
            results.writeJUnitXml(xml, millis);
            results.summary((test, seed) -> replayCommand(test, seed, worker.classPath)).forEach(stdout::println);
            stdout.println("results: " + json + ", " + xml);
        } finally {
            written.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook is running, and has just been let go
            }
        }
        return results.passedAll() ? Main.PASSED : Main.FAILED;
    }

    /** {@return how to replay one seed: with this command, and for a JUnit test, in Maven} */
    static String replayCommand(String test, long seed, String classPath) {
        String loomas = "loomas replay " + test + " --seed " + seed + (classPath == null ? "" : " --classpath " + classPath);
        return test.contains("#") ? loomas + "   (in Maven: -Dtest='" + test.substring(test.lastIndexOf('.') + 1)
                + "' -Dloomas.seed=" + seed + ")" : loomas;
    }

    /**
     * One slice of a sweep's range.
     *
     * @param index which slice, from 0
     * @param count how many slices
     */
    record Shard(int index, int count) {
        SeedRange of(SeedRange whole) {
            return whole.shard(index, count);
        }

        /** {@return the shard named by {@code --shard I/N}, else by a Kubernetes Indexed Job's environment, else null} */
        static Shard resolve(String option, Map<String, String> env) throws SetupException {
            if (option != null) {
                return parse("--shard " + option, option);
            }
            String index = env.get("JOB_COMPLETION_INDEX");
            if (index == null) {
                return null;
            }
            String count = env.get("LOOMAS_SHARDS");
            if (count == null) {
                throw new SetupException("JOB_COMPLETION_INDEX is set (" + index + ") but LOOMAS_SHARDS is not: set it to"
                        + " the Job's completions, or pass --shard I/N");
            }
            return parse("JOB_COMPLETION_INDEX=" + index + ", LOOMAS_SHARDS=" + count, index + "/" + count);
        }

        private static Shard parse(String what, String text) throws SetupException {
            String[] parts = text.trim().split("/");
            try {
                if (parts.length == 2) {
                    Shard s = new Shard(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
                    new SeedRange(0, 0).shard(s.index, s.count); // checks the bounds
                    return s;
                }
            } catch (NumberFormatException e) {
                // below
            } catch (IllegalArgumentException e) {
                throw new SetupException(what + ": " + e.getMessage());
            }
            throw new SetupException(what + " is not a shard (expected I/N with whole numbers, 0 <= I < N, e.g. 0/4)");
        }

        @Override
        public String toString() {
            return index + "/" + count;
        }
    }
}
