package io.loomas.runtime;

/**
 * A failure that no code handled, as handed to a loop's {@link ExceptionHandler}.
 *
 * @param message what went wrong, in one line, naming the task
 * @param error the failure
 * @param taskName the name of the task it happened in, or {@code null} if none
 * @param creationSite where that task was created (a throwable whose stack trace is the site), or
 *     {@code null} unless the loop runs in debug mode
 */
public record UncaughtFailure(String message, Throwable error, String taskName, Throwable creationSite) {}
