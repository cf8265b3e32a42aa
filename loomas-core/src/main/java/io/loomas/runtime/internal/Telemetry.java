package io.loomas.runtime.internal;

import java.util.Arrays;
import java.util.Objects;

/**
 * Where loomas' layers report what a metrics library counts: calls served and made, channels opened
 * and closed, loops started and closed with views of their queues. Sinks (the
 * {@code loomas-micrometer} module) are added for the whole JVM; with none, every report costs one
 * read of a volatile array, and callers check {@link #active()} before they measure anything.
 */
public final class Telemetry {
    private static final Sink[] NONE = new Sink[0];
    private static volatile Sink[] sinks = NONE;

    private Telemetry() {}

    /** What a sink hears; every method may be called from any thread and must not block. */
    public interface Sink {
        /**
         * An incoming call was answered.
         *
         * @param path the exposed method's path, or {@code null} if the request named none that
         *     exists (a peer's arbitrary text is no metric name)
         * @param failure what it failed with, or {@code null} if it returned
         * @param nanos from its dispatch to its answer, on the loop's clock
         */
        default void callServed(String path, Throwable failure, long nanos) {}

        /** A call this side made has ended: with {@code failure}, or {@code null} for a reply. */
        default void callMade(String path, Throwable failure, long nanos) {}

        /** A channel started; {@code accepted} if a server accepted it, else this side dialed it. */
        default void channelOpened(ChannelView channel) {}

        /**
         * A channel closed: by this side, by the peer ({@code cause} null for both), or after
         * {@code cause}.
         */
        default void channelClosed(ChannelView channel, boolean byThisSide, Throwable cause) {}

        /** A loop was created. */
        default void loopCreated(LoopView loop) {}

        /** A loop has closed. */
        default void loopClosed(LoopView loop) {}
    }

    /** A live channel's queues, read when a gauge is. */
    public interface ChannelView {
        /** {@return whether a server accepted it (else this side dialed)} */
        boolean accepted();

        /** {@return the peer's requests received and not yet taken by {@code recv()}} */
        int queuedRequests();

        /** {@return this side's requests waiting for their replies} */
        int pendingCalls();
    }

    /** A loop's queues, read when a gauge is. */
    public interface LoopView {
        String name();

        /** {@return the tasks ready to run, waiting for the loop} */
        int readyTasks();

        /** {@return the tasks not finished yet} */
        int liveTasks();
    }

    /** Adds a sink: from now on it hears every report of the JVM. */
    public static synchronized void add(Sink sink) {
        Objects.requireNonNull(sink, "sink");
        Sink[] next = Arrays.copyOf(sinks, sinks.length + 1);
        next[next.length - 1] = sink;
        sinks = next;
    }

    /** Removes a sink added before; does nothing if it is not there. */
    public static synchronized void remove(Sink sink) {
        sinks = Arrays.stream(sinks).filter(s -> s != sink).toArray(Sink[]::new);
    }

    /** {@return whether any sink listens: measure only then} */
    public static boolean active() {
        return sinks.length > 0;
    }

    public static void callServed(String path, Throwable failure, long nanos) {
        for (Sink s : sinks) {
            s.callServed(path, failure, nanos);
        }
    }

    public static void callMade(String path, Throwable failure, long nanos) {
        for (Sink s : sinks) {
            s.callMade(path, failure, nanos);
        }
    }

    public static void channelOpened(ChannelView channel) {
        for (Sink s : sinks) {
            s.channelOpened(channel);
        }
    }

    public static void channelClosed(ChannelView channel, boolean byThisSide, Throwable cause) {
        for (Sink s : sinks) {
            s.channelClosed(channel, byThisSide, cause);
        }
    }

    public static void loopCreated(LoopView loop) {
        for (Sink s : sinks) {
            s.loopCreated(loop);
        }
    }

    public static void loopClosed(LoopView loop) {
        for (Sink s : sinks) {
            s.loopClosed(loop);
        }
    }
}
