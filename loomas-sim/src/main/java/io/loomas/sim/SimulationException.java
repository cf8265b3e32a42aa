package io.loomas.sim;

/**
 * A simulation run that failed: the scenario threw, deadlocked, or ran differently twice. The
 * message carries one replay line: the seed, the virtual time, and how to run it again.
 */
public class SimulationException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final long seed;

    /** Creates an exception for the run with {@code seed}. */
    public SimulationException(String message, long seed, Throwable cause) {
        super(message, cause);
        this.seed = seed;
    }

    /** {@return the seed of the failed run} */
    public long seed() {
        return seed;
    }
}
