package io.loomas.rpc;

/**
 * Marks a class as an RPC service even if it exposes nothing itself, so that its objects travel
 * as references (their path) rather than as values.
 *
 * <p>Classes with {@link Expose} methods or {@link SubService} fields, and {@link ServiceMap}s, are
 * services already; agents are services through their base class.
 */
public interface Service {}
