/**
 * Deterministic simulation: many containers in one process, on virtual time, over a simulated
 * network with faults, all driven by one seed that replays a run exactly.
 *
 * <p>Everything in a simulation runs on one loop, one task at a time; the next task, every
 * latency and every fault come from the seed. Unless otherwise specified, passing {@code null} to
 * a method of this package throws {@link java.lang.NullPointerException}. The types are not
 * thread-safe: use them from the simulation's tasks and the thread that runs it.
 */
package io.loomas.sim;
