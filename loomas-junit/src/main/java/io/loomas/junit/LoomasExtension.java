package io.loomas.junit;

import io.loomas.agent.Container;
import io.loomas.runtime.Clock;
import io.loomas.runtime.Loop;
import io.loomas.runtime.VirtualClock;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The extension behind {@link LoomasTest} and {@link TransportTest}: a fresh loop per test method
 * (kept as a {@link TestRun} in the method's store), lifecycle methods run as its tasks, parameters
 * resolved by type, leak checks after each test.
 */
final class LoomasExtension implements BeforeEachCallback, AfterEachCallback, InvocationInterceptor, ParameterResolver {
    static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LoomasExtension.class);
    private static final List<Class<?>> RESOLVED = List.of(Loop.class, Clock.class, VirtualClock.class, Container.class,
            TransportContext.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        Slf4jCheck.warnOnceIfNoProvider();
        Method method = context.getRequiredTestMethod();
        LoomasTest settings = AnnotationSupport.findAnnotation(method, LoomasTest.class)
                .or(() -> AnnotationSupport.findAnnotation(context.getRequiredTestClass(), LoomasTest.class))
                .orElse(null);
        ClockKind clock = settings != null ? settings.clock() : ClockKind.SYSTEM;
        Duration timeout = settings != null ? Duration.of(settings.timeout(), settings.timeoutUnit().toChronoUnit())
                : Duration.ofSeconds(30);
        if (timeout.isNegative() || timeout.isZero()) {
            throw new ExtensionConfigurationException(String.format(
                    "Configuration error: @LoomasTest for method [%s] has timeout %d %s (expected: > 0)",
                    method, settings.timeout(), settings.timeoutUnit()));
        }
        ExtensionContext.Store root = context.getRoot().getStore(NAMESPACE);
        TestRun run = new TestRun(method.getName(), clock, timeout,
                () -> root.getOrComputeIfAbsent(TestCertificates.class, k -> TestCertificates.create(), TestCertificates.class)
                        .transport());
        context.getStore(NAMESPACE).put(TestRun.class, run);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        Set<Leak> checks = EnumSet.allOf(Leak.class);
        AnnotationSupport.findAnnotation(context.getRequiredTestMethod(), AllowLeaks.class)
                .or(() -> AnnotationSupport.findAnnotation(context.getRequiredTestClass(), AllowLeaks.class))
                .ifPresent(allow -> checks.removeAll(List.of(allow.value())));
        try {
            run(context).finish(checks);
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext context) throws Throwable {
        runAsMainTask(invocation, context);
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context) throws Throwable {
        runAsMainTask(invocation, context);
    }

    private static void runAsMainTask(Invocation<Void> invocation, ExtensionContext context) throws Throwable {
        TestRun run = run(context);
        run.runTask(context.getRequiredTestMethod().getName(), () -> {
            try {
                return invocation.proceed();
            } catch (Exception | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            } finally {
                run.stopTime(); // still inside the task: the loop is not idle yet, no timer has fired
            }
        });
    }

    @Override
    public void interceptBeforeEachMethod(Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context) throws Throwable {
        runAsTask("@BeforeEach " + invocationContext.getExecutable().getName(), invocation, context);
    }

    @Override
    public void interceptAfterEachMethod(Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context) throws Throwable {
        runAsTask("@AfterEach " + invocationContext.getExecutable().getName(), invocation, context);
    }

    private static void runAsTask(String name, Invocation<Void> invocation, ExtensionContext context) throws Throwable {
        run(context).runTask(name, () -> {
            try {
                return invocation.proceed();
            } catch (Exception | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext context) {
        return context.getTestMethod().isPresent() && RESOLVED.contains(parameterContext.getParameter().getType());
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext context) {
        TestRun run = run(context);
        Class<?> type = parameterContext.getParameter().getType();
        if (type == Loop.class) {
            return run.loop();
        }
        if (type == Clock.class) {
            return run.clock();
        }
        if (type == VirtualClock.class) {
            VirtualClock clock = run.virtualClock();
            if (clock == null) {
                throw new ParameterResolutionException(String.format(
                        "Configuration error: parameter [%s] of [%s] is a VirtualClock, but the test runs on the system clock;"
                                + " annotate the class or method with @LoomasTest(clock = ClockKind.VIRTUAL)",
                        parameterContext.getParameter(), parameterContext.getDeclaringExecutable()));
            }
            return clock;
        }
        TransportCase c = context.getStore(NAMESPACE).getOrDefault(TransportCase.class, TransportCase.class, TransportCase.DEFAULT);
        TransportContext transport = run.transportContext(c.transport(), c.codec());
        if (type == TransportContext.class) {
            return transport;
        }
        try {
            return run.runTask("create container for " + parameterContext.getParameter().getName(), transport::createContainer);
        } catch (Throwable e) {
            throw new ParameterResolutionException("cannot create a container on " + transport + " for parameter ["
                    + parameterContext.getParameter() + "] of [" + parameterContext.getDeclaringExecutable() + "]", e);
        }
    }

    private static TestRun run(ExtensionContext context) {
        TestRun run = context.getStore(NAMESPACE).get(TestRun.class, TestRun.class);
        if (run == null) {
            throw new IllegalStateException("no loop for " + context.getUniqueId()
                    + "; @LoomasTest and @TransportTest give one to test methods and their @BeforeEach/@AfterEach methods only");
        }
        return run;
    }
}
