package io.loomas.testing;

import io.loomas.runtime.CancelledException;
import io.loomas.runtime.Task;
import io.loomas.runtime.TimeoutException;
import io.loomas.transport.ConnectionClosedException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletionException;

/** How the calls of a stress test ended, counted by kind: on real transports and in the simulator. */
public final class CallOutcomes {
    private CallOutcomes() {}

    /**
     * Awaits {@code call} and counts how it ended in {@code outcomes}: "result", "timeout",
     * "cancelled", "closed" (its connection closed under it) or "refused" (its connect failed).
     *
     * @throws RuntimeException any other failure of the call, which a stress test must not see
     */
    public static void count(Task<?> call, Map<String, Integer> outcomes) {
        String outcome;
        try {
            call.await();
            outcome = "result";
        } catch (TimeoutException e) {
            outcome = "timeout";
        } catch (CancelledException e) {
            outcome = "cancelled";
        } catch (ConnectionClosedException e) {
            outcome = "closed";
        } catch (CompletionException e) {
            if (!(e.getCause() instanceof IOException)) {
                throw e;
            }
            outcome = "refused";
        }
        outcomes.merge(outcome, 1, Integer::sum);
    }
}
