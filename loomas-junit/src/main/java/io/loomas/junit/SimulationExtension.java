package io.loomas.junit;

import io.loomas.sim.Simulation;
import io.loomas.sim.SimulationException;
import java.lang.reflect.Method;
import java.util.List;
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

    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return AnnotationSupport.isAnnotated(context.getTestMethod(), SimulationTest.class);
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
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
            seeds = LongStream.range(settings.firstSeed(), settings.firstSeed() + count);
        }
        String template = settings.name().replace("{method}", method.getName());
        return seeds.mapToObj(seed -> new SeedInvocation(seed, template.replace("{seed}", Long.toString(seed))));
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
    private record SeedInvocation(long seed, String name) implements TestTemplateInvocationContext {
        @Override
        public String getDisplayName(int invocationIndex) {
            return name;
        }

        @Override
        public List<Extension> getAdditionalExtensions() {
            return List.of(new SeedRun(seed));
        }
    }

    /** Makes the simulation of one seed, injects it, runs the test as its main task, closes it. */
    private static final class SeedRun implements ParameterResolver, InvocationInterceptor {
        private final long seed;
        private Simulation sim;

        SeedRun(long seed) {
            this.seed = seed;
        }

        private Simulation simulation() {
            if (sim == null) {
                sim = Simulation.withSeed(seed);
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
            Simulation s = simulation();
            try {
                s.run(() -> {
                    try {
                        return invocation.proceed();
                    } catch (Exception | Error e) {
                        throw e;
                    } catch (Throwable e) {
                        throw new IllegalStateException(e);
                    }
                });
            } catch (SimulationException e) {
                throw new SimulationException(e.getMessage() + "\nReplay just this seed: @Seed(" + seed
                        + ") on the test method, or -D" + SEED_PROPERTY + "=" + seed + " on the command line", seed,
                        e.getCause() != null ? e.getCause() : e);
            } finally {
                s.close();
            }
        }
    }
}
