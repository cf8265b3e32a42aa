package io.loomas.runtime.internal;

import io.loomas.runtime.Loop;
import java.util.Objects;

/**
 * One object a layer above attaches to a loop it made, found again from the loop alone: the
 * simulation that drives a loop, for fault points and log lines reached from its tasks. Kept by the
 * loop itself, so nothing global outlives it.
 */
public final class LoopAttachment {
    private LoopAttachment() {}

    /**
     * Attaches {@code value} to {@code loop}.
     *
     * @throws IllegalStateException if the loop has an attachment already
     */
    public static void set(Loop loop, Object value) {
        RuntimeAccess.get().attach(Objects.requireNonNull(loop, "loop"), Objects.requireNonNull(value, "value"));
    }

    /** {@return the loop's attachment if it is a {@code type}, else null} */
    public static <T> T get(Loop loop, Class<T> type) {
        Object value = RuntimeAccess.get().attachment(loop);
        return type.isInstance(value) ? type.cast(value) : null;
    }
}
