package io.loomas.junit;

/** Which clock the loop of a {@link LoomasTest} runs on. */
public enum ClockKind {
    /** Real time ({@link io.loomas.runtime.Clock#system()}). */
    SYSTEM,
    /**
     * A {@link io.loomas.runtime.VirtualClock} starting at zero: when no task of the loop can run,
     * time jumps to the next timer, so {@code clock.sleep(Duration.ofHours(1))} returns at once.
     * Time stops when the test method returns, so that a timer the test left behind stays pending
     * and is reported; {@code @AfterEach} methods therefore must not sleep on the clock.
     *
     * <p>Meant for tests on one loop. Over a real transport time also jumps while a reply is on the
     * wire, so timeouts taken from the clock (a container's connect timeout, {@code send(content,
     * timeout)}) can fire before the reply arrives: test networked code on {@link #SYSTEM}.
     */
    VIRTUAL
}
