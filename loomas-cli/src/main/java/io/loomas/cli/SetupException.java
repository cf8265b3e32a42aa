package io.loomas.cli;

/** A command cannot start: a target that does not exist, a worker JVM that cannot run it (exit code 2). */
final class SetupException extends Exception {
    private static final long serialVersionUID = 1L;

    SetupException(String message) {
        super(message);
    }
}
