package io.loomas.runtime;

/**
 * The exception a wait throws when its time limit passes first.
 *
 * <p>Unlike {@link java.util.concurrent.TimeoutException} it is unchecked. Time limits are measured
 * on the waiting task's loop clock, so under an {@link ExternalClock} or a virtual clock they pass
 * in that clock's time, not in wall time.
 */
public class TimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception with the given message. */
    public TimeoutException(String message) {
        super(message);
    }
}
