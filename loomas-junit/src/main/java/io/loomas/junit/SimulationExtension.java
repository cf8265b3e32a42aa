package io.loomas.junit;

import io.loomas.sim.Nemesis;
import io.loomas.sim.Scheduling;
import io.loomas.sim.Sim;
import io.loomas.sim.Simulation;
import io.loomas.sim.SimulationException;
import io.loomas.sim.internal.Runs;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The extension behind {@link SimulationTest}: one invocation per seed; each runs the test method
 * as the main task of a fresh simulation, which it injects and closes afterwards.
 */
final class SimulationExtension implements TestTemplateInvocationContextProvider {
    static final String SEED_PROPERTY = "loomas.seed";
    static final String SEEDS_PROPERTY = "loomas.seeds";
    static final String FROM_PROPERTY = "loomas.from";
    /**
     * Set by the {@code loomas sweep} command in its worker JVMs: each seed publishes report
     * entries (its seed, its assertions), and the sweep's assertions are judged by the command over
     * all its workers' seeds, not by each worker over its share.
     */
    static final String REPORT_PROPERTY = "loomas.sweep.report";
    static final String CHECK_PROPERTY = "loomas.checkDeterminism";
    static final String SCHEDULING_PROPERTY = "loomas.scheduling";
    static final String FAULTS_PROPERTY = "loomas.faults";

    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return AnnotationSupport.isAnnotated(context.getTestMethod(), SimulationTest.class);
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        Slf4jCheck.warnOnceIfNoProvider();
        Method method = context.getRequiredTestMethod();
        SimulationTest settings = AnnotationSupport.findAnnotation(method, SimulationTest.class).orElseThrow();
        LongStream seeds;
        Optional<Seed> pinned = AnnotationSupport.findAnnotation(method, Seed.class);
        Optional<String> fromCommandLine = context.getConfigurationParameter(SEED_PROPERTY);
        if (pinned.isPresent()) {
            seeds = LongStream.of(pinned.get().value());
        } else if (fromCommandLine.isPresent()) {
            seeds = LongStream.of(parse(SEED_PROPERTY, fromCommandLine.get(), method));
        } else {
            long count = context.getConfigurationParameter(SEEDS_PROPERTY)
                    .map(v -> parse(SEEDS_PROPERTY, v, method)).orElse((long) settings.seeds());
            if (count <= 0) {
                throw new ExtensionConfigurationException(String.format(
                        "Configuration error: @SimulationTest on method [%s] runs %d seeds (expected: > 0)", method, count));
            }
            long first = context.getConfigurationParameter(FROM_PROPERTY)
                    .map(v -> parse(FROM_PROPERTY, v, method)).orElse(settings.firstSeed());
            seeds = LongStream.range(first, first + count);
        }
        String template = settings.name().replace("{method}", method.getName());
        long checked = context.getConfigurationParameter(CHECK_PROPERTY)
                .map(v -> parse(CHECK_PROPERTY, v, method)).orElse((long) settings.checkDeterminism());
        String scheduling = context.getConfigurationParameter(SCHEDULING_PROPERTY).orElse(settings.scheduling());
        Settings run = new Settings(method.getDeclaringClass().getSimpleName() + "." + method.getName(),
                duration("maxVirtualTime", settings.maxVirtualTime(), method), settings.maxEvents(),
                duration("blockingThreshold", settings.blockingThreshold(), method), scheduling(scheduling, method),
                nemesis(context.getConfigurationParameter(FAULTS_PROPERTY).orElse(settings.faults()),
                        duration("chaos", settings.chaos(), method), method));
        long[] sweep = seeds.toArray();
        boolean replay = pinned.isPresent() || fromCommandLine.isPresent();
        boolean reported = context.getConfigurationParameter(REPORT_PROPERTY, Boolean::parseBoolean).orElse(false);
        SweepAssertions tally = new SweepAssertions(run.traceName(), List.of(settings.expect()),
                settings.failUnsatisfied(), !replay && !reported, context);
        Report report = reported ? new Report(List.of(settings.expect()), settings.failUnsatisfied()) : null;
        // Closed by JUnit with the method's context, after its last seed: a failure there fails the method.
        context.getStore(ExtensionContext.Namespace.create(SimulationExtension.class, method)).put("assertions", tally);
        return java.util.stream.IntStream.range(0, sweep.length).mapToObj(i -> new SeedInvocation(sweep[i],
                template.replace("{seed}", Long.toString(sweep[i])), run, i < checked, tally, report));
    }

    /**
     * What a seed tells the sweep command, as report entries: {@code loomas.seed} (with the
     * method's {@code loomas.expect} names, one per line, and {@code loomas.failUnsatisfied}) when
     * it starts, and {@code loomas.assertions} (one line per assertion: kind, evaluations, held,
     * name, tab-separated) when it ends.
     */
    private record Report(List<String> expected, boolean failUnsatisfied) {
        void started(ExtensionContext context, long seed) {
            Map<String, String> entry = new java.util.TreeMap<>(Map.of("loomas.seed", Long.toString(seed),
                    "loomas.failUnsatisfied", Boolean.toString(failUnsatisfied)));
            if (!expected.isEmpty()) {
                entry.put("loomas.expect", String.join("\n", expected)); // JUnit takes no blank value
            }
            context.publishReportEntry(entry);
        }

        void ended(ExtensionContext context, List<Sim.Assertion> assertions) {
            StringBuilder b = new StringBuilder();
            for (Sim.Assertion a : assertions) {
                b.append(a.kind()).append('\t').append(a.evaluations()).append('\t').append(a.held()).append('\t')
                        .append(a.name()).append('\n');
            }
            context.publishReportEntry("loomas.assertions", b.isEmpty() ? "none" : b.toString());
        }
    }

    /** What every seed's simulation of one test method is set up with. */
    private record Settings(String traceName, Duration maxVirtualTime, long maxEvents, Duration blockingThreshold,
            Scheduling scheduling, Nemesis nemesis) {
        Simulation create(long seed) {
            Simulation.Builder b = Simulation.builder().seed(seed).traceName(traceName).scheduling(scheduling);
            if (maxVirtualTime != null || maxEvents > 0) {
                b.budget(maxVirtualTime != null ? maxVirtualTime : Simulation.DEFAULT_MAX_VIRTUAL_TIME,
                        maxEvents > 0 ? maxEvents : Simulation.DEFAULT_MAX_EVENTS);
            }
            if (blockingThreshold != null) {
                b.blockingThreshold(blockingThreshold);
            }
            return b.build();
        }
    }

    private static Nemesis nemesis(String faults, Duration chaos, Method method) {
        if (faults.isBlank()) {
            if (chaos != null) {
                throw new ExtensionConfigurationException(String.format("Configuration error: @SimulationTest(chaos ="
                        + " \"%s\") on method [%s] has no faults to run for that long (expected: faults = \"swarm\")",
                        chaos, method));
            }
            return null;
        }
        try {
            Nemesis n = Nemesis.parse(faults);
            return chaos == null ? n : n.chaosFor(chaos);
        } catch (IllegalArgumentException e) {
            throw new ExtensionConfigurationException(String.format(
                    "Configuration error: faults \"%s\" for method [%s]: %s", faults, method, e.getMessage()), e);
        }
    }

    private static Scheduling scheduling(String value, Method method) {
        try {
            return Scheduling.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ExtensionConfigurationException(String.format(
                    "Configuration error: scheduling \"%s\" for method [%s]: %s", value, method, e.getMessage()), e);
        }
    }

    private static Duration duration(String attribute, String value, Method method) {
        if (value.isEmpty()) {
            return null;
        }
        try {
            return Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw new ExtensionConfigurationException(String.format(
                    "Configuration error: @SimulationTest(%s = \"%s\") on method [%s] is not an ISO-8601 duration"
                            + " (expected e.g. \"PT1H\" or \"PT30S\")", attribute, value, method), e);
        }
    }

    private static long parse(String property, String value, Method method) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new ExtensionConfigurationException(String.format(
                    "Configuration error: -D%s=%s for method [%s] is not a whole number", property, value, method), e);
        }
    }

    /** One seed's invocation: its name, its simulation, and running the test inside it. */
    private record SeedInvocation(long seed, String name, Settings settings, boolean checked, SweepAssertions tally,
            Report report) implements TestTemplateInvocationContext {
        @Override
        public String getDisplayName(int invocationIndex) {
            return name;
        }

        @Override
        public List<Extension> getAdditionalExtensions() {
            return List.of(new SeedRun(seed, settings, checked, tally, report));
        }
    }

    /** Makes the simulation of one seed, injects it, runs the test as its main task, closes it. */
    private static final class SeedRun implements ParameterResolver, InvocationInterceptor {
        private final long seed;
        private final Settings settings;
        private final boolean checked;
        private final SweepAssertions tally;
        private final Report report; // null unless the sweep command runs this seed
        private Simulation sim;

        SeedRun(long seed, Settings settings, boolean checked, SweepAssertions tally, Report report) {
            this.seed = seed;
            this.settings = settings;
            this.checked = checked;
            this.tally = tally;
            this.report = report;
        }

        private Simulation simulation() {
            if (sim == null) {
                sim = settings.create(seed);
            }
            return sim;
        }

        @Override
        public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext context) {
            return parameterContext.getParameter().getType() == Simulation.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameterContext, ExtensionContext context) {
            return simulation();
        }

        @Override
        public void interceptTestTemplateMethod(Invocation<Void> invocation,
                ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context) throws Throwable {
            if (report != null) {
                report.started(context, seed);
            }
            Simulation first = simulation();
            Throwable firstFailure = runAndClose(first, invocation::proceed);
            tally.add(first.assertions());
            if (report != null) {
                report.ended(context, first.assertions());
            }
            if (checked) {
                // The same seed again, on a fresh simulation passed where the first one was.
                Simulation second = settings.create(seed);
                List<Object> arguments = new ArrayList<>(invocationContext.getArguments());
                arguments.replaceAll(a -> a == first ? second : a);
                Method method = invocationContext.getExecutable();
                Object target = invocationContext.getTarget().orElse(null);
                Throwable secondFailure = runAndClose(second, () -> {
                    method.setAccessible(true);
                    try {
                        return method.invoke(target, arguments.toArray());
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
                try {
                    Simulation.compareRuns(first, firstFailure, second, secondFailure);
                } catch (SimulationException e) {
                    throw withReplayLine(e);
                }
            }
            if (firstFailure != null) {
                throw firstFailure instanceof SimulationException e ? withReplayLine(e) : firstFailure;
            }
        }

        private SimulationException withReplayLine(SimulationException e) {
            return new SimulationException(e.getMessage() + "\nReplay just this seed: @Seed(" + seed
                    + ") on the test method, or -D" + SEED_PROPERTY + "=" + seed + " on the command line", seed,
                    e.getCause() != null ? e.getCause() : e);
        }

        /** The test body; may throw anything a test method may. */
        private interface Body {
            Object call() throws Throwable;
        }

        /** Runs {@code body} as the main task of {@code s}, closes {@code s}, and returns how it failed, or null. */
        private Throwable runAndClose(Simulation s, Body body) {
            Nemesis nemesis = settings.nemesis();
            return Runs.closeAfter(s, () -> s.run(() -> {
                try {
                    if (nemesis != null) {
                        s.nemesis(nemesis);
                    }
                    return body.call();
                } catch (Exception | Error e) {
                    throw e;
                } catch (Throwable e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
    }
}
