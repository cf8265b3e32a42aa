/**
 * The runtime: loops that run virtual-thread tasks one at a time, futures, clocks, and the
 * synchronizers whose waits are scheduling points.
 *
 * <p><b>Scheduling points.</b> A task gives its loop to another task only where it waits: awaiting
 * a {@link io.loomas.runtime.Future}, a {@link io.loomas.runtime.Clock} sleep,
 * {@link io.loomas.runtime.Queue#take()}, {@link io.loomas.runtime.Event#await()},
 * {@link io.loomas.runtime.Lock#lock()}, {@link io.loomas.runtime.Semaphore#acquire()},
 * {@link io.loomas.runtime.Loop#yieldNow()}, and the channel and RPC calls built on them. Code
 * between two scheduling points runs without interleaving with the loop's other tasks.
 *
 * <p><b>Time.</b> Every wait with a time limit measures it on the waiting task's loop clock: the
 * system clock, an {@link io.loomas.runtime.ExternalClock}, or a simulation's virtual clock.
 *
 * <p><b>Threads outside loops.</b> The blocking methods also work on plain threads (a {@code main}
 * method, a test, a socket reader); there they block the thread instead of yielding.
 *
 * <p>Unless otherwise specified, passing {@code null} to a method of this package throws
 * {@link java.lang.NullPointerException}. All public types are thread-safe. Actions before
 * completing a future or setting an event <i>happen-before</i> actions after a wait on it returns.
 */
package io.loomas.runtime;
