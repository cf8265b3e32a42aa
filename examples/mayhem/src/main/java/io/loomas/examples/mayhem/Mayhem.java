package io.loomas.examples.mayhem;

import io.loomas.runtime.CancelledException;
import io.loomas.runtime.Clock;
import io.loomas.runtime.Event;
import io.loomas.runtime.Future;
import io.loomas.runtime.Loop;
import io.loomas.runtime.Task;
import io.loomas.runtime.TimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * What the service does with one message: save it and restart its host at the same time, keep its
 * ack deadline extended meanwhile, then ack it. Time comes from {@code clock} and chance from
 * {@code random}, so under a virtual clock and a fixed seed a run is repeatable.
 *
 * <p>The steps are public, non-final methods so a test can replace any of them (a Mockito spy).
 */
public class Mayhem {
    /** How often {@link #extend} extends the ack deadline, in clock time. */
    public static final Duration EXTEND_EVERY = Duration.ofSeconds(2);

    private final Clock clock;
    private final RandomGenerator random;
    private final LogSink log;

    public Mayhem(Clock clock, RandomGenerator random, LogSink log) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.log = Objects.requireNonNull(log, "log");
    }

    public Clock clock() {
        return clock;
    }

    public LogSink log() {
        return log;
    }

    /** Sleeps up to a second of clock time. */
    void pause() {
        clock.sleep(Duration.ofMillis(random.nextInt(1000)));
    }

    /** Saves the message "into a database"; fails one time in five. */
    public void save(PubSubMessage msg) {
        pause();
        if (random.nextInt(5) == 3) {
            throw new IllegalStateException("Could not save " + msg);
        }
        msg.saved = true;
        log.info("Saved " + msg + " into database");
    }

    /** Restarts the message's host; fails one time in five with {@link RestartFailed}. */
    public void restartHost(PubSubMessage msg) {
        pause();
        if (random.nextInt(5) == 3) {
            throw new RestartFailed("Could not restart " + msg.hostname());
        }
        msg.restarted = true;
        log.info("Restarted " + msg.hostname());
    }

    /** Acks the message once {@code done} is set. */
    public void cleanup(PubSubMessage msg, Event done) {
        done.await();
        pause();
        msg.acked = true;
        log.info("Done. Acked " + msg);
    }

    /** Extends the message's ack deadline every {@link #EXTEND_EVERY} until {@code done} is set. */
    public void extend(PubSubMessage msg, Event done) {
        while (!done.isSet()) {
            msg.extendedCount++;
            log.info("Extended deadline by 3 seconds for " + msg);
            try {
                done.await(EXTEND_EVERY);
            } catch (TimeoutException e) {
                // time to extend again
            }
        }
    }

    /** Logs each failure of save or restart: a failed restart is retried, anything else handled. */
    public void handleResults(List<Throwable> failures, PubSubMessage msg) {
        for (Throwable failure : failures) {
            if (failure instanceof RestartFailed) {
                log.error("Retrying for failure to restart: " + msg.hostname());
            } else {
                log.error("Handling general error: " + failure.getMessage());
            }
        }
    }

    /**
     * Handles one message: {@link #save} and {@link #restartHost} run as concurrent tasks while
     * {@link #extend} runs; when both finished their failures go to {@link #handleResults} and
     * {@link #cleanup} acks the message. If the calling task is cancelled, so are the steps.
     */
    public void handleMessage(PubSubMessage msg) {
        Loop loop = Loop.current();
        Object owner = Task.current().owner();
        String id = msg.instanceName();
        Event done = new Event();
        List<Task<Void>> steps = new ArrayList<>();
        try {
            Task<Void> extend = spawn(loop, steps, "extend-" + id, owner, () -> extend(msg, done));
            Task<Void> cleanup = spawn(loop, steps, "cleanup-" + id, owner, () -> cleanup(msg, done));
            Task<Void> save = spawn(loop, steps, "save-" + id, owner, () -> save(msg));
            Task<Void> restart = spawn(loop, steps, "restart-" + id, owner, () -> restartHost(msg));
            List<Throwable> failures = new ArrayList<>();
            for (Task<Void> step : List.of(save, restart)) {
                try {
                    step.await();
                } catch (CancelledException e) {
                    throw e;
                } catch (RuntimeException e) {
                    failures.add(e);
                }
            }
            handleResults(failures, msg);
            done.set();
            cleanup.await();
            extend.await();
        } finally {
            for (Task<Void> step : steps) {
                step.cancel();
            }
            Future.allSettled(steps).await(); // cancelled or failed: already reported through the results above
        }
    }

    private static Task<Void> spawn(Loop loop, List<Task<Void>> steps, String name, Object owner, Runnable body) {
        Task<Void> t = loop.spawn(name, owner, () -> {
            body.run();
            return null;
        });
        steps.add(t);
        return t;
    }
}
