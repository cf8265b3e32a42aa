package io.loomas.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One forked worker JVM of a sweep ({@link SweepWorker}): its standard output is read line by line
 * into the sweep's queue of events (an event with a null message when it ends), its standard error
 * goes to its log file.
 */
final class WorkerProcess {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerProcess.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A line from a worker, or (message null) the end of its output. */
    record Event(WorkerProcess worker, JsonNode message) {}

    /** How to start a worker JVM: its java, JVM options and class path. */
    record Launch(Path java, List<String> jvmOptions, String classPath, String target, Path logs) {
        List<String> command() {
            List<String> c = new ArrayList<>();
            c.add(java.toString());
            if (Runtime.version().feature() >= 23) {
                c.add("--sun-misc-unsafe-memory-access=allow"); // msgpack-core still uses it (see scripts/java)
            }
            c.addAll(jvmOptions);
            c.add("-cp");
            c.add(classPath);
            c.add(SweepWorker.class.getName());
            c.add(target);
            return c;
        }

        /** {@return the java running this command: the workers run on the same JDK} */
        static Path currentJava() {
            return Path.of(System.getProperty("java.home"), "bin", "java");
        }
    }

    final int slot;
    final Path log;
    private final Process process;
    private final Writer in;
    /** The chunk it is running, the seed in it that started last and when (nanoTime); touched by the sweep's thread only. */
    Chunk chunk;
    long seed = -1;
    long seedStarted;
    boolean failedInChunk;
    String killedBecause;

    private WorkerProcess(int slot, Path log, Process process) {
        this.slot = slot;
        this.log = log;
        this.process = process;
        this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    }

    /** A run of seeds of one test, handed to one worker. */
    record Chunk(String test, SeedRange seeds, boolean checkDeterminism) {}

    static WorkerProcess start(int slot, int generation, Launch launch, BlockingQueue<Event> events) throws IOException {
        Files.createDirectories(launch.logs());
        Path logFile = launch.logs().resolve("worker-" + slot + (generation == 0 ? "" : "-" + generation) + ".log");
        ProcessBuilder pb = new ProcessBuilder(launch.command()).redirectErrorStream(false)
                .redirectError(ProcessBuilder.Redirect.to(logFile.toFile()));
        Process p = pb.start();
        WorkerProcess w = new WorkerProcess(slot, logFile, p);
        LOG.debug("worker {} started: pid {}, log {}", slot, p.pid(), logFile);
        Thread.ofPlatform().daemon().name("loomas-sweep-reader-" + slot).start(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.startsWith("{")) {
                        events.add(new Event(w, JSON.readTree(line)));
                    } else {
                        LOG.warn("worker {}: not a protocol line: {}", slot, line);
                    }
                }
            } catch (IOException e) {
                LOG.debug("worker {}: output ended: {}", slot, e.toString());
            }
            events.add(new Event(w, null));
        });
        return w;
    }

    void send(Chunk c) throws IOException {
        chunk = c;
        failedInChunk = false;
        seed = -1;
        in.write("{\"test\": " + JSON.writeValueAsString(c.test()) + ", \"from\": " + c.seeds().from() + ", \"count\": "
                + c.seeds().size() + ", \"checkDeterminism\": " + c.checkDeterminism() + "}\n");
        in.flush();
    }

    /** Asks the worker to exit once its chunk is done (it exits at the end of its input). */
    void finish() {
        try {
            in.close();
        } catch (IOException e) {
            LOG.debug("worker {}: input already closed: {}", slot, e.toString());
        }
    }

    void kill(String because) {
        killedBecause = because;
        process.destroyForcibly();
    }

    /** {@return its exit code, waiting for it briefly, or -1 if it has not exited} */
    int exitCode() {
        try {
            return process.waitFor(10, TimeUnit.SECONDS) ? process.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** {@return the last lines of its log, for a message about why it ended} */
    String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(log " + log + " unreadable: " + e.getMessage() + ")";
        }
    }
}
