package io.loomas.runtime.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * loomas' JDK Flight Recorder events, category "loomas": what a recording of a loomas service
 * should show beside the JVM's own. Off unless a recording enables them, and then cheap: each is
 * created, timed and committed only where {@code isEnabled()} holds (JFR's own pattern).
 */
public final class JfrEvents {
    private JfrEvents() {}

    /** An incoming RPC call, from its dispatch to its answer: its path, the caller, how it ended. */
    @Name("io.loomas.RpcCall")
    @Label("RPC Call")
    @Category({"loomas", "RPC"})
    @Description("An incoming RPC call served by an exposed method, from its dispatch to its answer")
    @StackTrace(false)
    public static final class RpcCall extends Event {
        @Label("Path")
        public String path;

        @Label("Peer")
        public String peer;

        @Label("Outcome")
        @Description("ok, or the failure's type (refused by an interceptor, thrown by the method, no route)")
        public String outcome;
    }

    /** A connection of a channel, from its start to its close: both ends and why it closed. */
    @Name("io.loomas.Connection")
    @Label("Connection")
    @Category({"loomas", "Transport"})
    @Description("A channel's connection, from its start to its close, with why it closed")
    @StackTrace(false)
    public static final class Connection extends Event {
        @Label("Local")
        public String local;

        @Label("Peer")
        public String peer;

        @Label("Reason")
        public String reason;
    }

    /** A task held its loop past the slow-task threshold (debug mode). */
    @Name("io.loomas.SlowTask")
    @Label("Slow Task")
    @Category({"loomas", "Runtime"})
    @Description("A task held its loop longer than the slow-task threshold without a scheduling point")
    @StackTrace(false)
    public static final class SlowTask extends Event {
        @Label("Task")
        public String task;

        @Label("Held")
        @Timespan(Timespan.NANOSECONDS)
        public long held;

        @Label("Blocked")
        @Description("whether its thread was blocked (sleeping, in I/O) rather than computing")
        public boolean blocked;
    }

    /** A task failed and nobody retrieved its failure. */
    @Name("io.loomas.UnretrievedFailure")
    @Label("Unretrieved Failure")
    @Category({"loomas", "Runtime"})
    @Description("A task failed and nobody awaited it or looked at its failure")
    @StackTrace(false)
    public static final class UnretrievedFailure extends Event {
        @Label("Task")
        public String task;

        @Label("Failure")
        public String failure;
    }
}
