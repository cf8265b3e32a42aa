package io.loomas.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.loomas.junit.SimulationTest;
import io.loomas.sim.Sim;
import io.loomas.sim.Simulation;
import io.loomas.sim.SimulationException;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The main class of a sweep's worker JVM: runs the chunks of seeds its parent (the
 * {@code loomas sweep} command) sends, one JSON line each on standard input, and answers with one
 * JSON line per event on standard output. The code under test prints to standard error instead
 * (the worker's log file), so nothing it prints can break the protocol.
 *
 * <p>Lines in: {@code {"test": "pkg.Class#method", "from": 0, "count": 50, "checkDeterminism": true}}.
 * Lines out: {@code ready} (with the target's tests) or {@code setup-error} first; then per seed
 * {@code start} and {@code seed} (status, millis, message, trace, assertions); {@code error} for a
 * failure outside any seed; {@code chunk-done} after each chunk.
 */
final class SweepWorker {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintStream protocol;

    private SweepWorker(PrintStream protocol) {
        this.protocol = protocol;
    }

    public static void main(String[] args) throws IOException {
        PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        new SweepWorker(protocol).serve(args[0]);
    }

    private void serve(String targetName) throws IOException {
        Target target;
        try {
            target = Target.resolve(targetName);
        } catch (SetupException e) {
            ObjectNode m = message("setup-error");
            m.put("message", e.getMessage());
            send(m);
            return;
        }
        ObjectNode ready = message("ready");
        target.tests().forEach(ready.putArray("tests")::add);
        send(ready);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            JsonNode chunk = JSON.readTree(line);
            target.run(chunk.get("test").asText(), chunk.get("from").asLong(), chunk.get("count").asLong(),
                    chunk.get("checkDeterminism").asBoolean(), this);
            send(message("chunk-done"));
        }
    }

    static ObjectNode message(String event) {
        ObjectNode m = JSON.createObjectNode();
        m.put("event", event);
        return m;
    }

    synchronized void send(ObjectNode message) {
        try {
            protocol.println(JSON.writeValueAsString(message));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a protocol line", e);
        }
    }

    void started(String test, long seed) {
        ObjectNode m = message("start");
        m.put("test", test);
        m.put("seed", seed);
        send(m);
    }

    void finished(String test, long seed, String status, long millis, String failure, Path trace,
            List<Sim.Assertion> assertions, List<String> expected, boolean failUnsatisfied) {
        ObjectNode m = message("seed");
        m.put("test", test);
        m.put("seed", seed);
        m.put("status", status);
        m.put("millis", millis);
        if (failure != null) {
            m.put("message", failure);
        }
        if (trace != null) {
            m.put("trace", trace.toString());
        }
        m.set("assertions", JSON.valueToTree(assertions));
        expected.forEach(m.putArray("expect")::add);
        m.put("failUnsatisfied", failUnsatisfied);
        send(m);
    }

    void error(String test, String failure) {
        ObjectNode m = message("error");
        m.put("test", test);
        m.put("message", failure);
        send(m);
    }

    /** {@return a failure in words: a simulation's own message (with its replay line), else the throwable} */
    static String describe(Throwable t) {
        return t instanceof SimulationException && t.getMessage() != null ? t.getMessage() : t.toString();
    }

    /**
     * {@return the trace file a failing run of {@code traceName} and {@code seed} wrote since
     * {@code since} (epoch millis), or null}
     */
    static Path traceOf(String traceName, long seed, long since) {
        String dir = System.getProperty(Simulation.TRACE_DIR_PROPERTY);
        if (dir == null || dir.equals("off")) {
            return null;
        }
        Path file = Path.of(dir, traceName.replaceAll("[^A-Za-z0-9._-]", "_") + "-seed-" + seed + ".jsonl");
        try {
            return Files.isRegularFile(file) && Files.getLastModifiedTime(file).toMillis() >= since - 1000
                    ? file.toAbsolutePath() : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** What a sweep runs: {@code @SimulationTest} methods, or a scenario class. */
    sealed interface Target permits JUnitTarget, ScenarioTarget {
        List<String> tests();

        void run(String test, long from, long count, boolean checkDeterminism, SweepWorker worker);

        /**
         * {@return the target named {@code name}: {@code pkg.Class#method}, a class with
         * {@code @SimulationTest} methods, or a class implementing {@code Consumer<Simulation>}}
         */
        static Target resolve(String name) throws SetupException {
            String className = name.contains("#") ? name.substring(0, name.indexOf('#')) : name;
            String methodName = name.contains("#") ? name.substring(name.indexOf('#') + 1) : null;
            Class<?> type;
            try {
                type = Class.forName(className, false, Thread.currentThread().getContextClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                throw new SetupException("no class " + className + " on the class path (is it compiled, and is its"
                        + " directory or jar on --classpath?)");
            }
            List<Method> tests = Arrays.stream(type.getDeclaredMethods())
                    .filter(m -> AnnotationSupport.isAnnotated(m, SimulationTest.class))
                    .sorted(Comparator.comparing(Method::getName)).toList();
            for (Method m : tests) {
                if (AnnotationSupport.isAnnotated(m, io.loomas.junit.Seed.class)) {
                    throw new SetupException(className + "#" + m.getName() + " is pinned to one seed with @Seed: remove"
                            + " it to sweep the method");
                }
            }
            if (methodName != null) {
                List<Method> named = tests.stream().filter(m -> m.getName().equals(methodName)).toList();
                if (named.isEmpty()) {
                    throw new SetupException(className + " has no @SimulationTest method named " + methodName
                            + (tests.isEmpty() ? "" : " (it has: " + String.join(", ", tests.stream().map(Method::getName).toList()) + ")"));
                }
                return new JUnitTarget(type, named);
            }
            if (!tests.isEmpty()) {
                return new JUnitTarget(type, tests);
            }
            if (Consumer.class.isAssignableFrom(type) && !Modifier.isAbstract(type.getModifiers())) {
                try {
                    type.getDeclaredConstructor();
                } catch (NoSuchMethodException e) {
                    throw new SetupException("scenario " + className + " needs a constructor without parameters");
                }
                return new ScenarioTarget(type);
            }
            throw new SetupException(className + " has no @SimulationTest method and is not a scenario (a class"
                    + " implementing Consumer<Simulation>)");
        }
    }

    /** The {@code @SimulationTest} methods of a class, run through the JUnit Platform Launcher. */
    record JUnitTarget(Class<?> type, List<Method> methods) implements Target {
        private static final Launcher LAUNCHER = LauncherFactory.create();

        @Override
        public List<String> tests() {
            return methods.stream().map(m -> type.getName() + "#" + m.getName()).toList();
        }

        @Override
        public void run(String test, long from, long count, boolean checkDeterminism, SweepWorker worker) {
            Method method = methods.stream().filter(m -> test.equals(type.getName() + "#" + m.getName()))
                    .findFirst().orElseThrow(() -> new IllegalArgumentException("not a test of this target: " + test));
            LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request()
                    .selectors(DiscoverySelectors.selectMethod(type, method))
                    .configurationParameter("loomas.from", Long.toString(from))
                    .configurationParameter("loomas.seeds", Long.toString(count))
                    .configurationParameter("loomas.sweep.report", "true");
            if (!checkDeterminism) {
                request.configurationParameter("loomas.checkDeterminism", "0");
            }
            LauncherDiscoveryRequest built = request.build();
            LAUNCHER.execute(built, new Listener(test, type.getSimpleName() + "." + method.getName(), worker));
        }
    }

    /** Turns the launcher's events for one method into protocol lines. */
    private static final class Listener implements TestExecutionListener {
        private final String test;
        private final String traceName;
        private final SweepWorker worker;
        private final Map<String, Running> running = new HashMap<>(); // by unique id

        /** A seed that started: when, and what it said about itself. */
        private static final class Running {
            final long seed;
            final long startNanos = System.nanoTime();
            final long startMillis = System.currentTimeMillis();
            final List<String> expected;
            final boolean failUnsatisfied;
            List<Sim.Assertion> assertions = List.of();

            Running(long seed, List<String> expected, boolean failUnsatisfied) {
                this.seed = seed;
                this.expected = expected;
                this.failUnsatisfied = failUnsatisfied;
            }
        }

        Listener(String test, String traceName, SweepWorker worker) {
            this.test = test;
            this.traceName = traceName;
            this.worker = worker;
        }

        @Override
        public void reportingEntryPublished(TestIdentifier id, ReportEntry entry) {
            Map<String, String> values = entry.getKeyValuePairs();
            if (values.containsKey("loomas.seed")) {
                long seed = Long.parseLong(values.get("loomas.seed"));
                String expect = values.getOrDefault("loomas.expect", "");
                running.put(id.getUniqueId(), new Running(seed, expect.isEmpty() ? List.of() : List.of(expect.split("\n")),
                        Boolean.parseBoolean(values.getOrDefault("loomas.failUnsatisfied", "true"))));
                worker.started(test, seed);
            } else if (values.containsKey("loomas.assertions")) {
                Running r = running.get(id.getUniqueId());
                if (r != null) {
                    r.assertions = parseAssertions(values.get("loomas.assertions"));
                }
            }
        }

        @Override
        public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            Running r = running.remove(id.getUniqueId());
            String failure = result.getThrowable().map(SweepWorker::describe).orElse(null);
            if (r != null) {
                String status = switch (result.getStatus()) {
                    case SUCCESSFUL -> "passed";
                    case ABORTED -> "aborted";
                    case FAILED -> "failed";
                };
                worker.finished(test, r.seed, status, (System.nanoTime() - r.startNanos) / 1_000_000, failure,
                        result.getStatus() == TestExecutionResult.Status.FAILED ? traceOf(traceName, r.seed, r.startMillis) : null,
                        r.assertions, r.expected, r.failUnsatisfied);
            } else if (result.getStatus() == TestExecutionResult.Status.FAILED) {
                // Outside any seed: the class's set-up, the method's configuration, the engine.
                worker.error(test + " (" + id.getDisplayName() + ")", failure == null ? "failed" : failure);
            }
        }

        private static List<Sim.Assertion> parseAssertions(String lines) {
            List<Sim.Assertion> all = new ArrayList<>();
            for (String line : lines.split("\n")) {
                if (line.isEmpty()) {
                    continue;
                }
                String[] f = line.split("\t", 4);
                all.add(new Sim.Assertion(f[3], Sim.Kind.valueOf(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2])));
            }
            return all;
        }
    }

    /** A class implementing {@code Consumer<Simulation>}: a fresh instance runs in each seed's simulation. */
    record ScenarioTarget(Class<?> type) implements Target {
        @Override
        public List<String> tests() {
            return List.of(type.getName());
        }

        @Override
        public void run(String test, long from, long count, boolean checkDeterminism, SweepWorker worker) {
            for (long seed = from; seed < from + count; seed++) {
                worker.started(test, seed);
                long t0 = System.nanoTime();
                long since = System.currentTimeMillis();
                Simulation first = simulation(seed);
                Throwable failure = runAndClose(first);
                List<Sim.Assertion> assertions = first.assertions();
                if (checkDeterminism && seed == from) {
                    Simulation second = simulation(seed);
                    Throwable again = runAndClose(second);
                    try {
                        Simulation.compareRuns(first, failure, second, again);
                    } catch (SimulationException e) {
                        failure = e;
                    }
                }
                worker.finished(test, seed, failure == null ? "passed" : "failed", (System.nanoTime() - t0) / 1_000_000,
                        failure == null ? null : describe(failure),
                        failure == null ? null : traceOf(type.getSimpleName(), seed, since), assertions, List.of(), true);
            }
        }

        private Simulation simulation(long seed) {
            return Simulation.builder().seed(seed).traceName(type.getSimpleName()).build();
        }

        @SuppressWarnings("unchecked")
        private Throwable runAndClose(Simulation sim) {
            Throwable failure = null;
            try {
                Consumer<Simulation> scenario = (Consumer<Simulation>) type.getDeclaredConstructor().newInstance();
                sim.run(() -> {
                    scenario.accept(sim);
                    return null;
                });
            } catch (ReflectiveOperationException e) {
                failure = e.getCause() != null ? e.getCause() : e;
            } catch (RuntimeException | Error e) {
                failure = e;
            } finally {
                try {
                    sim.close();
                } catch (RuntimeException e) {
                    if (failure == null) {
                        failure = e;
                    }
                }
            }
            return failure;
        }
    }
}
