package io.loomas.transport.internal;

import io.loomas.runtime.Task;
import io.loomas.runtime.internal.CurrentTask;
import io.loomas.transport.Address;

/**
 * Keeps real transports out of deterministic simulations: their bytes arrive on threads of their
 * own, at moments no seed decides, so a run that used one could not be replayed.
 */
public final class RealTransports {
    private RealTransports() {}

    /**
     * @throws IllegalStateException if the calling task runs on a deterministic loop
     */
    public static void refuseInSimulation(String what, Address address) {
        Task<?> t = CurrentTask.get();
        if (t == null || !t.loop().isDeterministic()) {
            return;
        }
        throw new IllegalStateException(what + " " + address + " from task '" + t.name() + "' of loop '"
                + t.loop().name() + "': real transports are refused in a deterministic simulation (their bytes"
                + " arrive at moments no seed decides). Use the simulated network: sim.container(node) or"
                + " sim.containerOptions(node) for a container, sim.network().endpoint(node) as a channel's transport");
    }
}
