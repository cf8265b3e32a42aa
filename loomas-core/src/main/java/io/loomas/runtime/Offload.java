package io.loomas.runtime;

import java.util.Objects;
import java.util.concurrent.Callable;

/** Blocking work run off a loop, on a virtual thread of its own: behind {@link Loop#offload}. */
final class Offload {
    private Offload() {}

    static <T> Future<T> start(Loop loop, Callable<T> work) {
        Objects.requireNonNull(work, "work");
        if (loop.isDeterministic()) {
            throw new IllegalStateException("loop.offload is refused in a deterministic simulation: the work would"
                    + " end at a moment no seed decides. Wait with clock().sleep(...) (virtual time), and keep"
                    + " computation in the task: in a simulation holding the loop costs no virtual time");
        }
        Promise<T> result = new Promise<>();
        loop.offloads.incrementAndGet();
        Thread.ofVirtual().name(loop.name() + "-offload").start(() -> {
            try {
                result.complete(work.call());
            } catch (Throwable e) {
                result.fail(e);
            } finally {
                loop.offloads.decrementAndGet();
                // While the work ran an idle loop kept its virtual clock still; with the work done,
                // time may move again, or a task sleeping on that clock would wait forever.
                loop.resumeIdleClock();
            }
        });
        return result;
    }
}
