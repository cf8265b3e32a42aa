package io.loomas.runtime.internal;

/** A resource a task opened and has not closed yet, as {@link OpenResources#of} lists it. Thread-safe. */
public final class OpenResource {
    private final OpenResources owner;
    private final Object resource;
    private final String taskName;
    private final Throwable openSite;

    OpenResource(OpenResources owner, Object resource, String taskName, Throwable openSite) {
        this.owner = owner;
        this.resource = resource;
        this.taskName = taskName;
        this.openSite = openSite;
    }

    /** {@return the resource (a {@code Server}, a {@code Channel}, ...)} */
    public Object resource() {
        return resource;
    }

    /** {@return the name of the task that opened it, or {@code null} if no task did} */
    public String taskName() {
        return taskName;
    }

    /**
     * {@return where it was opened: a throwable whose stack trace is the site, or {@code null}
     * unless the loop runs in debug mode}
     */
    public Throwable openSite() {
        return openSite;
    }

    /** Marks the resource closed: it leaves {@link OpenResources#of}. Idempotent. */
    public void release() {
        if (owner != null) {
            owner.remove(this);
        }
    }

    @Override
    public String toString() {
        return resource + " (opened by task '" + taskName + "')";
    }
}
