package io.loomas.agent;

import io.loomas.rpc.Service;
import io.loomas.runtime.Clock;
import io.loomas.runtime.Task;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * An agent: an object that lives in a {@link Container}, is reachable at an address, and exposes
 * methods ({@link io.loomas.rpc.Expose}) to other agents.
 *
 * {@snippet class="io.loomas.snippets.AgentSnippets" region="agents"}
 *
 * <p>Creating an agent registers it with its container, which gives it the next id ("0", "1", ...).
 * An agent's code runs on its container's loop, one task at a time, so its state needs no locks.
 * It travels as a reference: passing an agent to another agent gives that one a proxy.
 */
public class Agent implements Service {
    private final Container container;
    private final String id;

    /**
     * Creates the agent and registers it with {@code container}.
     *
     * @throws IllegalStateException if the container is shut down
     */
    protected Agent(Container container) {
        this.container = Objects.requireNonNull(container, "container");
        this.id = container.register(this);
    }

    /** {@return the container the agent lives in} */
    public final Container container() {
        return container;
    }

    /** {@return the agent's id in its container} */
    public final String id() {
        return id;
    }

    /** {@return the agent's address} */
    public final AgentAddress address() {
        return new AgentAddress(container.address(), id);
    }

    /** {@return the container's clock} */
    public final Clock clock() {
        return container.clock();
    }

    /** {@return the container's source of randomness (seeded in a simulation)} */
    public final java.util.random.RandomGenerator random() {
        return container.random();
    }

    /**
     * Starts {@code body} as a task of the container's loop; the container cancels it when it shuts
     * down or the agent is removed.
     */
    protected final <T> Task<T> spawn(String name, Callable<T> body) {
        return container.spawnFor(this, name, body);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "('" + address() + "')";
    }
}
