package io.loomas.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * The resources a loop's tasks opened and have not closed yet, in opening order, for a test kit
 * to name what a test left open. Thread-safe.
 */
final class OpenResources {
    // A list, not a set: resources are few and compared by identity (a Channel is not a value).
    private final List<Loop.OpenResource> open = new ArrayList<>(); // guarded by this

    synchronized void add(Loop.OpenResource r) {
        open.add(r);
    }

    synchronized void remove(Loop.OpenResource r) {
        open.remove(r);
    }

    synchronized List<Loop.OpenResource> list() {
        return List.copyOf(open);
    }
}
