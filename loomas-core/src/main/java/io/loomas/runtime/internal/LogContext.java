package io.loomas.runtime.internal;

import io.loomas.runtime.MdcKeys;
import java.util.Map;
import org.slf4j.MDC;

/**
 * Sets loomas' {@link MdcKeys} on the calling thread: for a task's whole life, or for the span of a
 * {@link Scope}, after which each key has the value it had before.
 */
public final class LogContext {
    private LogContext() {}

    /** A span of code that logs with some keys set; closing it restores them. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    private static final Scope NOTHING = () -> {};

    /** {@return a copy of the calling thread's context, for a task it spawns; null if empty} */
    public static Map<String, String> capture() {
        return MDC.getCopyOfContextMap();
    }

    /** Starts a task's thread with the context its spawner had, and its loop and own name. */
    public static void enterTask(Map<String, String> inherited, String loop, String task) {
        if (inherited != null) {
            MDC.setContextMap(inherited);
        }
        MDC.put(MdcKeys.LOOP, loop);
        MDC.put(MdcKeys.TASK, task);
    }

    /**
     * {@return the loop the calling thread logs for, or null: a thread that loomas starts (an
     * acceptor, a connection's reader) takes it from the thread that starts it}
     */
    public static String currentLoop() {
        return MDC.get(MdcKeys.LOOP);
    }

    /**
     * Sets the keys of a thread that serves one listener or connection all its life (an acceptor,
     * a reader, a writer): the loop it works for, if known, and the peer, if any.
     */
    public static void enterThread(String loop, Object peer) {
        if (loop != null) {
            MDC.put(MdcKeys.LOOP, loop);
        }
        if (peer != null) {
            MDC.put(MdcKeys.PEER, String.valueOf(peer));
        }
    }

    /** {@return a scope in which {@link MdcKeys#PEER} is {@code peer}} */
    public static Scope peer(Object peer) {
        return peer == null ? NOTHING : with(MdcKeys.PEER, String.valueOf(peer));
    }

    /** {@return a scope in which {@link MdcKeys#LOOP}, unless null, and {@link MdcKeys#PEER} are set: a timer's action for a connection} */
    public static Scope connection(String loop, Object peer) {
        Scope p = peer(peer);
        return loop == null ? p : inside(p, with(MdcKeys.LOOP, loop));
    }

    /** {@return a scope in which {@link MdcKeys#LOOP} and, unless null, {@link MdcKeys#TASK} are set} */
    public static Scope task(String loop, String task) {
        Scope l = with(MdcKeys.LOOP, loop);
        return task == null ? l : inside(l, with(MdcKeys.TASK, task));
    }

    /** {@return a scope that closes {@code inner}, then {@code outer}, which was opened first} */
    private static Scope inside(Scope outer, Scope inner) {
        return () -> {
            inner.close();
            outer.close();
        };
    }

    private static Scope with(String key, String value) {
        String before = MDC.get(key);
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
        return () -> {
            if (before == null) {
                MDC.remove(key);
            } else {
                MDC.put(key, before);
            }
        };
    }
}
