package io.loomas.runtime.internal;

import io.loomas.runtime.Loop;
import io.loomas.runtime.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The resources a loop's tasks opened and have not closed yet (servers, client channels), in
 * opening order, for a test kit to name what a test left open. Recording changes nothing else: the
 * loop never closes these resources itself. Thread-safe.
 */
public final class OpenResources {
    // A list, not a set: resources are few and compared by identity (a Channel is not a value).
    private final List<OpenResource> open = new ArrayList<>(); // guarded by this

    /** {@return what the tasks of {@code loop} opened and have not closed yet, in opening order} */
    public static List<OpenResource> of(Loop loop) {
        return RuntimeAccess.get().openResources(loop).list();
    }

    /**
     * Records that the calling task opened {@code resource}, until {@link OpenResource#release()}
     * is called on the returned record. In debug mode the record keeps where it was opened.
     *
     * <p>Called from a thread that is not a task, it records nothing and returns a record whose
     * {@code release()} does nothing: such resources belong to no loop.
     *
     * @param resource the server, channel or other resource; compared by identity
     * @return the record; never {@code null}
     */
    public static OpenResource track(Object resource) {
        Objects.requireNonNull(resource, "resource");
        Task<?> t = CurrentTask.get();
        if (t == null) {
            return new OpenResource(null, resource, null, null);
        }
        Loop loop = t.loop();
        OpenResources registry = RuntimeAccess.get().openResources(loop);
        OpenResource r = new OpenResource(registry, resource, t.name(),
                loop.isDebug() ? new Throwable(resource + " opened here") : null);
        registry.add(r);
        return r;
    }

    synchronized void add(OpenResource r) {
        open.add(r);
    }

    synchronized void remove(OpenResource r) {
        open.remove(r);
    }

    synchronized List<OpenResource> list() {
        return List.copyOf(open);
    }
}
