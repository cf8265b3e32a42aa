package io.loomas.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.type.TypeReference;
import io.loomas.sim.Sim;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a range of seeds of a target on forked worker JVMs: hands each worker a chunk of seeds of
 * one test at a time (so a slow chunk never holds the others back), collects what each run
 * reports, starts a fresh JVM after a chunk with a failure (a failed run can leave a task holding
 * a thread, which would starve the runs after it), and kills a worker whose seed runs past the
 * timeout. Used from one thread.
 */
final class Sweep {
    private static final Logger log = LoggerFactory.getLogger(Sweep.class);
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);

    /** What a sweep is asked to do. */
    record Plan(String target, SeedRange seeds, String shard, int jobs, boolean failFast, Duration seedTimeout,
            int chunkSize, WorkerProcess.Launch launch, boolean checkDeterminism, boolean oneTest) {}

    private final Plan plan;
    private final Progress progress;
    private final BlockingQueue<WorkerProcess.Event> events = new LinkedBlockingQueue<>();
    private final Deque<WorkerProcess.Chunk> queue = new ArrayDeque<>();
    private final List<WorkerProcess> workers = new ArrayList<>();
    private final Map<String, Map<Long, Long>> millis = new TreeMap<>(); // test -> seed -> wall ms
    private final List<SweepResults.Failure> failures = new ArrayList<>();
    private final Map<String, TestTally> tallies = new LinkedHashMap<>();
    private final List<String> errors = new ArrayList<>();
    private List<String> tests;
    private long runs;
    private long passed;
    private long aborted;
    private int generation;
    private boolean stopping;

    /** A test's assertions, added up. */
    private static final class TestTally {
        final Map<String, Sim.Assertion> totals = new TreeMap<>();
        List<String> expect = List.of();
        boolean failUnsatisfied = true;
    }

    Sweep(Plan plan, Progress progress) {
        this.plan = plan;
        this.progress = progress;
    }

    /** {@return how each run's wall time went, by test and seed (for the JUnit XML report)} */
    Map<String, Map<Long, Long>> millis() {
        return millis;
    }

    /**
     * Runs the plan to its end (or its first failure with fail-fast).
     *
     * @throws SetupException if the target cannot run: no such class or method, a worker JVM
     *     that does not start
     */
    SweepResults run() throws SetupException, IOException, InterruptedException {
        long t0 = System.nanoTime();
        int jobs = (int) Math.max(1, Math.min(plan.jobs(), plan.seeds().size()));
        try {
            for (int i = 0; i < jobs; i++) {
                workers.add(WorkerProcess.start(i, 0, plan.launch(), events));
            }
            loop();
        } finally {
            for (WorkerProcess w : workers) {
                w.kill("the sweep ended");
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        List<SweepResults.TestAssertions> assertions = new ArrayList<>();
        tallies.forEach((test, t) -> assertions.add(new SweepResults.TestAssertions(test, t.expect, t.failUnsatisfied,
                List.copyOf(t.totals.values()))));
        long expected = plan.seeds().size() * (tests == null ? 1 : tests.size());
        return new SweepResults(plan.target(), List.of(new SweepResults.Range(plan.seeds().from(), plan.seeds().to())),
                plan.shard(), jobs, tests == null ? List.of() : tests, runs, passed, failures.size(), aborted, seconds,
                runs == expected, List.copyOf(failures), assertions, List.copyOf(errors));
    }

    private void loop() throws SetupException, IOException, InterruptedException {
        long readyBy = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!workers.isEmpty()) {
            WorkerProcess.Event e = events.poll(100, TimeUnit.MILLISECONDS);
            progress.update(runs, failures.size());
            if (tests == null && System.nanoTime() > readyBy) {
                throw new SetupException("no worker JVM was ready within " + READY_TIMEOUT.toSeconds() + " s; the log of"
                        + " the first: " + workers.get(0).log + "\n" + workers.get(0).logTail(20));
            }
            killOverdue();
            if (e == null) {
                continue;
            }
            WorkerProcess w = e.worker();
            if (w == null) { // interrupt()
                if (!stopping) {
                    stopping = true;
                    progress.message("interrupted: stopping the workers; the seeds that ended are summed up");
                    workers.forEach(x -> x.kill("interrupted"));
                }
                continue;
            }
            if (e.message() == null) {
                ended(w);
                continue;
            }
            JsonNode m = e.message();
            switch (m.get("event").asText()) {
                case "setup-error" -> throw new SetupException(m.get("message").asText());
                case "ready" -> {
                    if (tests == null) {
                        tests = SweepResults.JSON.convertValue(m.get("tests"), new TypeReference<List<String>>() {});
                        if (plan.oneTest() && tests.size() > 1) {
                            throw new SetupException(plan.target() + " has " + tests.size() + " @SimulationTest methods ("
                                    + String.join(", ", tests) + "); name one as pkg.Class#method");
                        }
                        progress.total(plan.seeds().size() * tests.size());
                        plan();
                    }
                    dispatch(w);
                }
                case "start" -> {
                    w.seed = m.get("seed").asLong();
                    w.seedStarted = System.nanoTime();
                }
                case "seed" -> seed(w, m);
                case "error" -> {
                    String text = m.get("test").asText() + ": " + m.get("message").asText();
                    errors.add(text);
                    w.failedInChunk = true;
                    progress.message("ERROR " + text.lines().findFirst().orElse(text));
                    if (plan.failFast()) {
                        stop();
                    }
                }
                case "chunk-done" -> {
                    w.chunk = null;
                    w.seed = -1;
                    if (w.failedInChunk && !stopping) {
                        replace(w, "a run in its chunk failed: a fresh JVM for the next");
                    } else {
                        dispatch(w);
                    }
                }
                default -> log.warn("worker {}: unknown event {}", w.slot, m);
            }
        }
    }

    /** Stops the sweep from another thread (a shutdown hook): the workers are killed, {@link #run} returns what ended. */
    void interrupt() {
        events.add(new WorkerProcess.Event(null, null));
    }

    /** Cuts the range into chunks per test: small enough to spread over the workers, large enough to pay for JUnit's start. */
    private void plan() {
        for (String test : tests) {
            SeedRange rest = plan.seeds();
            boolean first = true;
            while (!rest.isEmpty()) {
                SeedRange[] cut = rest.split(plan.chunkSize());
                // Only the first seed of the range (or shard) checks determinism (twice the cost), as @SimulationTest does.
                queue.add(new WorkerProcess.Chunk(test, cut[0], first && plan.checkDeterminism()));
                first = false;
                rest = cut[1];
            }
        }
    }

    private void dispatch(WorkerProcess w) throws IOException {
        WorkerProcess.Chunk next = stopping ? null : queue.poll();
        if (next == null) {
            w.finish();
        } else {
            w.send(next);
        }
    }

    private void seed(WorkerProcess w, JsonNode m) {
        String test = m.get("test").asText();
        long seed = m.get("seed").asLong();
        String status = m.get("status").asText();
        runs++;
        millis.computeIfAbsent(test, t -> new TreeMap<>()).put(seed, m.get("millis").asLong());
        TestTally tally = tallies.computeIfAbsent(test, t -> new TestTally());
        for (JsonNode a : m.get("assertions")) {
            Sim.Assertion one = SweepResults.JSON.convertValue(a, Sim.Assertion.class);
            tally.totals.merge(one.name(), one, Sim.Assertion::plus);
        }
        tally.expect = SweepResults.JSON.convertValue(m.get("expect"), new TypeReference<List<String>>() {});
        tally.failUnsatisfied = m.get("failUnsatisfied").asBoolean(true);
        w.seed = -1;
        switch (status) {
            case "passed" -> passed++;
            case "aborted" -> aborted++;
            default -> failed(w, new SweepResults.Failure(test, seed, m.path("message").asText("failed"),
                    m.hasNonNull("trace") ? m.get("trace").asText() : null));
        }
    }

    private void failed(WorkerProcess w, SweepResults.Failure f) {
        failures.add(f);
        w.failedInChunk = true;
        progress.message("FAILED seed " + f.seed() + (tests != null && tests.size() > 1 ? " of " + f.test() : "") + ": "
                + f.headline());
        if (plan.failFast()) {
            stop();
        }
    }

    private void stop() {
        if (!stopping) {
            stopping = true;
            progress.message("stopping at the first failure (--fail-fast)");
            for (WorkerProcess w : workers) {
                w.kill("--fail-fast");
            }
        }
    }

    /** Kills a worker whose seed has run longer than the timeout; {@link #ended} records it. */
    private void killOverdue() {
        long now = System.nanoTime();
        for (WorkerProcess w : workers) {
            if (w.seed >= 0 && w.killedBecause == null && now - w.seedStarted > plan.seedTimeout().toNanos()) {
                log.warn("worker {}: seed {} of {} runs past {}; killing it", w.slot, w.seed, w.chunk.test(), plan.seedTimeout());
                w.kill("seed " + w.seed + " ran longer than " + plan.seedTimeout().toSeconds() + " s of wall time"
                        + " (--seed-timeout)");
            }
        }
    }

    /** A worker's output ended: normal if it was asked to finish; else its seed failed with it, and the rest of its chunk runs on. */
    private void ended(WorkerProcess w) throws IOException, SetupException {
        workers.remove(w);
        if (stopping) {
            return;
        }
        WorkerProcess.Chunk chunk = w.chunk;
        if (chunk == null) {
            if (w.killedBecause == null && tests == null) {
                int code = w.exitCode();
                throw new SetupException("a worker JVM exited (code " + code + ") before it was ready; its log, "
                        + w.log + ":\n" + w.logTail(20));
            }
            return; // asked to finish, between chunks
        }
        long seed = w.seed;
        String why = w.killedBecause != null ? w.killedBecause
                : "the worker JVM exited (code " + w.exitCode() + ") while it ran this seed; its log: " + w.log;
        if (seed >= 0) {
            runs++;
            millis.computeIfAbsent(chunk.test(), t -> new TreeMap<>()).put(seed, (System.nanoTime() - w.seedStarted) / 1_000_000);
            failed(w, new SweepResults.Failure(chunk.test(), seed, why + "\n" + w.logTail(10), null));
        } else {
            errors.add(chunk.test() + ": " + why);
        }
        long resume = seed >= 0 ? seed + 1 : chunk.seeds().from();
        if (seed < 0) {
            log.warn("worker {} ended between seeds of its chunk ({}); the chunk is dropped", w.slot, why);
        } else if (resume < chunk.seeds().to()) {
            queue.addFirst(new WorkerProcess.Chunk(chunk.test(), new SeedRange(resume, chunk.seeds().to()), false));
        }
        if (!stopping && !queue.isEmpty()) {
            start(w.slot);
        }
    }

    private void replace(WorkerProcess w, String why) throws IOException {
        log.debug("worker {}: replaced, {}", w.slot, why);
        w.finish();
        workers.remove(w);
        if (!queue.isEmpty()) {
            start(w.slot);
        }
    }

    private void start(int slot) throws IOException {
        workers.add(WorkerProcess.start(slot, ++generation, plan.launch(), events));
    }
}
