package io.loomas.examples.mayhem;

import io.loomas.agent.AgentAddress;
import io.loomas.agent.Container;
import io.loomas.rpc.Remote;
import io.loomas.runtime.Event;
import io.loomas.runtime.Future;
import io.loomas.runtime.Loop;
import io.loomas.runtime.Task;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The Mayhem Mandrill service in one container: a publisher, a consumer, or both. Every task it
 * starts (publishing, consuming, each message's handler and its steps) is owned by the service, so
 * {@link #shutdown} finds exactly those.
 *
 * <p>Create, {@link #start()} and {@link #shutdown} from tasks of the container's loop.
 */
public final class MayhemService {
    private final LogSink log;
    private final PublisherAgent publisher;
    private final ConsumerAgent consumer;
    private final MessageSource source;
    private final Event stopped = new Event();
    private boolean stopping;

    private MayhemService(LogSink log, PublisherAgent publisher, ConsumerAgent consumer, MessageSource source) {
        this.log = Objects.requireNonNull(log, "log");
        this.publisher = publisher;
        this.consumer = consumer;
        this.source = source;
    }

    /** Publisher and consumer in {@code container}, the consumer pulling from the publisher's queue. */
    public static MayhemService inProcess(Container container, RandomGenerator random, LogSink log) {
        PublisherAgent publisher = new PublisherAgent(container, random, log);
        ConsumerAgent consumer = new ConsumerAgent(container, new Mayhem(container.clock(), random, log));
        return new MayhemService(log, publisher, consumer, publisher);
    }

    /** Only the publisher; consumers in other processes pull with its exposed {@code next}. */
    public static MayhemService publisher(Container container, RandomGenerator random, LogSink log) {
        return new MayhemService(log, new PublisherAgent(container, random, log), null, null);
    }

    /** Only the consumer, pulling over the network from the publisher agent at {@code publisherAddress}. */
    public static MayhemService consumer(Container container, RandomGenerator random, LogSink log,
            AgentAddress publisherAddress) throws IOException {
        Remote remote = container.connect(publisherAddress);
        MessageSource source = () -> {
            List<?> wire = (List<?>) remote.call("next");
            return new PubSubMessage((String) wire.get(0), (String) wire.get(1));
        };
        ConsumerAgent consumer = new ConsumerAgent(container, new Mayhem(container.clock(), random, log));
        return new MayhemService(log, null, consumer, source);
    }

    public PublisherAgent publisherAgent() {
        return publisher;
    }

    public ConsumerAgent consumerAgent() {
        return consumer;
    }

    /** Starts publishing and consuming, each in a task of the calling task's loop; returns at once. */
    public void start() {
        Loop loop = Loop.current();
        if (publisher != null) {
            loop.spawn("publish", this, () -> {
                publisher.publish();
                return null;
            });
        }
        if (consumer != null) {
            loop.spawn("consume", this, () -> {
                consumer.consume(source);
                return null;
            });
        }
    }

    /** Waits until {@link #shutdown} has finished. */
    public void awaitStopped() {
        stopped.await();
    }

    /** {@return whether {@link #shutdown} has finished} */
    public boolean isStopped() {
        return stopped.isSet();
    }

    /**
     * Shuts the service down as the article does: closes connections, nacks the messages still
     * being handled, cancels the service's tasks and waits for them, flushes metrics. Calls after
     * the first do nothing.
     *
     * @param signal the signal's name without {@code SIG} ("TERM"), or {@code null} if no signal
     *     asked for it
     */
    public void shutdown(String signal) {
        if (stopping) {
            return;
        }
        stopping = true;
        if (signal != null) {
            log.info("Received exit signal SIG" + signal + "...");
        }
        log.info("Closing database connections");
        log.info("Nacking outstanding messages");
        if (consumer != null) {
            consumer.nackOutstanding();
        }
        Task<?> self = Task.current();
        List<Task<?>> tasks = Loop.current().tasks().stream()
                .filter(t -> t.owner() == this && t != self)
                .toList();
        log.info("Cancelling " + tasks.size() + " outstanding tasks");
        tasks.forEach(Task::cancel);
        Future.allSettled(tasks).await(); // cancelled, as asked
        log.info("Flushing metrics");
        stopped.set();
    }
}
