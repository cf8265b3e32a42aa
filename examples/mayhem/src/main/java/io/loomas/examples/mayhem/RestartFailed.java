package io.loomas.examples.mayhem;

/** A host could not be restarted; the message is retried rather than dropped. */
public class RestartFailed extends RuntimeException {
    public RestartFailed(String message) {
        super(message);
    }
}
