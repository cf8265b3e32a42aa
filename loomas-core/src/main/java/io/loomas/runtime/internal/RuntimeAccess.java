package io.loomas.runtime.internal;

import io.loomas.runtime.Clock;
import io.loomas.runtime.Loop;
import io.loomas.runtime.Task;
import java.lang.invoke.MethodHandles;

/**
 * The runtime's package-private parts that loomas' other packages and modules need: set once by
 * the runtime package when {@link Loop} is initialized, as the JDK shares its own internals
 * between packages. Keeps these parts out of the public API.
 */
public abstract class RuntimeAccess {
    private static volatile RuntimeAccess instance;

    /** Installs the runtime's implementation; called once, by the runtime package. */
    protected static void install(RuntimeAccess access) {
        if (instance != null) {
            throw new IllegalStateException("runtime access installed twice");
        }
        instance = access;
    }

    static RuntimeAccess get() {
        RuntimeAccess a = instance;
        if (a == null) {
            try {
                MethodHandles.lookup().ensureInitialized(Loop.class);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
            a = instance;
        }
        return a;
    }

    /** {@return the time source behind one of the runtime's public clocks} */
    protected abstract TimeSource timeSource(Clock clock);

    /** {@return the registry of what the tasks of {@code loop} opened} */
    protected abstract OpenResources openResources(Loop loop);

    /** Attaches {@code value} to {@code loop}; see {@link LoopAttachment}. */
    protected abstract void attach(Loop loop, Object value);

    /** {@return what is attached to {@code loop}, or null} */
    protected abstract Object attachment(Loop loop);

    /** See {@link TurnBatching#deferWhileOthersReady}. */
    protected abstract boolean deferWhileOthersReady(Task<?> task, Runnable action);

    /**
     * Sets what {@code task} does inline and the hook of {@link InlineWork}; {@return false,
     * changing nothing, if it does inline work already}
     */
    protected abstract boolean beginInlineWork(Task<?> task, String activity, Runnable hook);

    /** Ends what {@link #beginInlineWork} began. */
    protected abstract void endInlineWork(Task<?> task);

    /** See {@link TurnBatching#workAhead}. */
    protected abstract void workAhead(Task<?> task, boolean ahead, boolean flush);
}
