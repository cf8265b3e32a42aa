package io.loomas.examples.mayhem;

import io.loomas.agent.Agent;
import io.loomas.agent.Container;
import io.loomas.runtime.Loop;
import io.loomas.runtime.Task;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pulls messages and handles each in its own task, so a slow one never holds up the next. Knows
 * which messages are still being handled, so a shutdown can nack them.
 */
public class ConsumerAgent extends Agent {
    private final Mayhem mayhem;
    private final Map<PubSubMessage, Task<Void>> outstanding = new LinkedHashMap<>();
    private int crashAfter; // 0: never
    private int pulled;

    public ConsumerAgent(Container container, Mayhem mayhem) {
        super(container);
        this.mayhem = mayhem;
    }

    /**
     * Makes the handler of the {@code n}-th message fail outside the handling's own error handling,
     * so the failure escapes its task and reaches the loop's exception handler (the article's
     * "exception in a task" path; {@code Main --crash-after=N}). 0 turns it off.
     */
    public void crashAfter(int n) {
        this.crashAfter = n;
    }

    /**
     * Pulls from {@code source} until it fails or the calling task is cancelled. Each message is
     * handled by a new task owned by the calling task's owner; a failure escaping a handler goes to
     * the loop's exception handler.
     */
    public void consume(MessageSource source) {
        Loop loop = Loop.current();
        Object owner = Task.current().owner();
        while (true) {
            PubSubMessage msg = source.pull();
            mayhem.log().info("Pulled " + msg);
            boolean crash = ++pulled == crashAfter;
            Task<Void> handler = loop.spawn("handle-" + msg.instanceName(), owner, () -> {
                if (crash) {
                    throw new IllegalStateException("injected failure while handling " + msg
                            + " (--crash-after=" + crashAfter + ")");
                }
                mayhem.handleMessage(msg);
                return null;
            });
            outstanding.put(msg, handler);
            handler.onComplete(t -> {
                outstanding.remove(msg);
                if (t.isFailed()) {
                    loop.reportFailure("handling " + msg + " failed", t.exception());
                }
            });
        }
    }

    /** {@return the messages whose handling has not finished, oldest first} */
    public List<PubSubMessage> outstanding() {
        return List.copyOf(outstanding.keySet());
    }

    /** Nacks every message still being handled: the pub/sub system will deliver it again. */
    public void nackOutstanding() {
        for (PubSubMessage msg : outstanding()) {
            if (!msg.acked) {
                mayhem.log().info("Nacked " + msg);
            }
        }
    }
}
