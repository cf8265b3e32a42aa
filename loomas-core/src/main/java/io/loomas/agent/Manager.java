package io.loomas.agent;

import io.loomas.codec.internal.ValueConverter;
import io.loomas.rpc.Expose;
import io.loomas.rpc.Kwargs;
import io.loomas.runtime.ExternalClock;
import io.loomas.runtime.Future;
import io.loomas.runtime.Promise;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Parameter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The agent that manages a container for a parent process (aiomas' subprocess manager): it spawns
 * agents of a given class in its container, sets the container's external clock, and stops the
 * container. It is agent {@code "0"} of a container started by {@link Subprocess}.
 *
 * {@snippet class="io.loomas.snippets.AgentSnippets" region="manager"}
 */
public final class Manager extends Agent {
    private final Promise<Void> stopped = new Promise<>();

    /** Creates the manager of {@code container}. */
    public Manager(Container container) {
        super(container);
    }

    /**
     * Creates an agent of class {@code className} in this container, passing the container, then
     * {@code args} and then {@code kwargs} (by the constructor's parameter names, as aiomas'
     * {@code spawn(qualname, *args, **kwargs)} does) to its constructor, each converted to the
     * parameter's type. Keyword arguments need the agent class compiled with {@code -parameters}.
     *
     * @return a list of two: the new agent (arriving as a proxy) and its address as text
     * @throws IllegalArgumentException if the class is not an agent class or no constructor fits
     */
    @Expose
    public List<Object> spawn(String className, @Kwargs Map<String, Object> kwargs, Object... args) throws Exception {
        Class<?> type;
        try {
            type = Class.forName(className);
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("agent class not found: " + className
                    + " (expected: a fully qualified class name on the container's class path)", e);
        }
        if (!Agent.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException("not an agent class: " + className + " (expected: a subclass of "
                    + Agent.class.getName() + ")");
        }
        int n = args.length + kwargs.size();
        Constructor<?> match = null;
        for (Constructor<?> c : type.getDeclaredConstructors()) {
            if (c.getParameterCount() == n + 1 && c.getParameterTypes()[0] == Container.class
                    && namesFit(c, args.length, kwargs)) {
                match = c;
                break;
            }
        }
        if (match == null) {
            throw new IllegalArgumentException("no constructor " + type.getSimpleName() + "(Container"
                    + ", ?".repeat(args.length) + kwargs.keySet().stream().map(k -> ", " + k).collect(Collectors.joining())
                    + ") in " + className + " (expected: the container, then " + args.length + " argument"
                    + (args.length == 1 ? "" : "s") + (kwargs.isEmpty() ? "" : " and the parameters " + kwargs.keySet()
                    + " by name, compiled with -parameters") + ")");
        }
        Parameter[] parameters = match.getParameters();
        Object[] values = new Object[n + 1];
        values[0] = container();
        for (int i = 1; i <= n; i++) {
            Object raw = i <= args.length ? args[i - 1] : kwargs.get(parameters[i].getName());
            values[i] = ValueConverter.convert(raw, parameters[i].getParameterizedType());
        }
        match.setAccessible(true);
        Agent agent;
        try {
            agent = (Agent) match.newInstance(values);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
        List<Object> result = new ArrayList<>(2);
        result.add(agent);
        result.add(agent.address().toString());
        return result;
    }

    /** {@return whether the parameters after the container and the {@code positional} ones are named as {@code kwargs}} */
    private static boolean namesFit(Constructor<?> c, int positional, Map<String, Object> kwargs) {
        if (kwargs.isEmpty()) {
            return true;
        }
        Parameter[] parameters = c.getParameters();
        Set<String> names = new HashSet<>();
        for (int i = 1 + positional; i < parameters.length; i++) {
            if (!parameters[i].isNamePresent()) {
                return false;
            }
            names.add(parameters[i].getName());
        }
        return names.equals(kwargs.keySet());
    }

    /**
     * Sets the container's external clock to {@code seconds} since its start.
     *
     * @throws IllegalStateException if the container's clock is not an {@link ExternalClock}
     * @throws IllegalArgumentException if the time does not increase
     */
    @Expose("set_time")
    public void setTime(double seconds) {
        if (!(clock() instanceof ExternalClock external)) {
            throw new IllegalStateException("the container's clock is not an ExternalClock but " + clock()
                    + "; start the container with an external clock to set its time");
        }
        external.setTime(Duration.ofNanos(Math.round(seconds * 1e9)));
    }

    /** Asks the container to shut down (after this call has been answered). */
    @Expose
    public void stop() {
        stopped.complete(null);
    }

    /** {@return a future that completes when {@link #stop()} was called} */
    public Future<Void> stopped() {
        return stopped;
    }
}
