package io.loomas.runtime;

import io.loomas.runtime.internal.OpenResources;
import io.loomas.runtime.internal.RuntimeAccess;
import io.loomas.runtime.internal.TimeSource;

/** The runtime's side of {@link RuntimeAccess}: hands package-private parts to loomas' other layers. */
final class RuntimeHooks extends RuntimeAccess {
    private RuntimeHooks() {}

    static void install() {
        RuntimeAccess.install(new RuntimeHooks());
    }

    @Override
    protected TimeSource timeSource(Clock clock) {
        return switch (clock) {
            case TimeSource source -> source;
            case VirtualClock virtual -> virtual.source();
            case ExternalClock external -> external.source();
        };
    }

    @Override
    protected OpenResources openResources(Loop loop) {
        return loop.openResources;
    }

    @Override
    protected void attach(Loop loop, Object value) {
        loop.attach(value);
    }

    @Override
    protected Object attachment(Loop loop) {
        return loop.attachment;
    }

    @Override
    protected boolean beginInlineWork(Task<?> task, String activity, Runnable hook) {
        if (task.activity != null) {
            return false;
        }
        task.activity = activity;
        task.beforeWaiting = hook;
        return true;
    }

    @Override
    protected void endInlineWork(Task<?> task) {
        task.beforeWaiting = null;
        task.activity = null;
    }

    @Override
    protected void workAhead(Task<?> task, boolean ahead, boolean flush) {
        task.loop().workAhead(task, ahead, flush);
    }

    @Override
    protected boolean deferWhileOthersReady(Task<?> task, Runnable action) {
        return task.loop().deferWhileOthersReady(task, action);
    }
}
