/**
 * Agents and containers: objects that live in a container, are reachable by address, and call
 * each other's exposed methods; plus a manager for containers in child processes.
 *
 * <p>A container is the root service of its connections; its agents are {@code agents/<id>}. It
 * keeps one outgoing connection per remote container, shared by all agents. Agents run on their
 * container's loop, one task at a time, so their state needs no locks.
 *
 * <p>Unless otherwise specified, passing {@code null} to a method of this package throws
 * {@link java.lang.NullPointerException}. All public types are thread-safe.
 */
package io.loomas.agent;
