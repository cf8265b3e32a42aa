package io.loomas.examples.mayhem;

import io.loomas.agent.Agent;
import io.loomas.agent.Container;
import io.loomas.rpc.Expose;
import io.loomas.runtime.Queue;
import java.time.Duration;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Publishes restart requests at random intervals (up to a second of clock time) into its queue.
 * A consumer in the same container pulls from the queue directly; one in another process calls
 * {@link #pull()}.
 */
public class PublisherAgent extends Agent implements MessageSource {
    private final Queue<PubSubMessage> queue = new Queue<>();
    private final RandomGenerator random;
    private final LogSink log;

    public PublisherAgent(Container container, RandomGenerator random, LogSink log) {
        super(container);
        this.random = random;
        this.log = log;
    }

    /** Publishes forever; runs until its task is cancelled. */
    public void publish() {
        while (true) {
            PubSubMessage msg = PubSubMessage.random(random);
            queue.put(msg);
            log.info("Published message " + msg);
            clock().sleep(Duration.ofMillis(random.nextInt(1000)));
        }
    }

    @Override
    public PubSubMessage pull() {
        return queue.take();
    }

    /** {@link #pull()} for a consumer in another process: the message as [id, instance name]. */
    @Expose
    public List<String> next() {
        PubSubMessage msg = pull();
        return List.of(msg.messageId(), msg.instanceName());
    }
}
