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

    /** Sets {@link MdcKeys#PEER} on a thread that serves one connection all its life (its reader, its writer). */
    public static void enterPeerThread(Object peer) {
        MDC.put(MdcKeys.PEER, String.valueOf(peer));
    }

    /** {@return a scope in which {@link MdcKeys#PEER} is {@code peer}} */
    public static Scope peer(Object peer) {
        return peer == null ? NOTHING : with(MdcKeys.PEER, String.valueOf(peer));
    }

    /** {@return a scope in which {@link MdcKeys#LOOP} and, unless null, {@link MdcKeys#TASK} are set} */
    public static Scope task(String loop, String task) {
        Scope l = with(MdcKeys.LOOP, loop);
        if (task == null) {
            return l;
        }
        Scope t = with(MdcKeys.TASK, task);
        return () -> {
            t.close();
            l.close();
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
