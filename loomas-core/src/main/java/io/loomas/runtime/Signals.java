package io.loomas.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Operating-system signal handlers that run as tasks of a loop, for graceful shutdown.
 *
 * {@snippet class="io.loomas.snippets.RuntimeSnippets" region="shutdown-on"}
 *
 * <p>Signal names are given without the {@code SIG} prefix ({@code "TERM"}). Thread-safe. The JVM
 * reserves some signals (for example {@code QUIT} and, with some options, {@code USR1}); installing
 * a handler for one of those fails with an {@link IllegalArgumentException}.
 */
public final class Signals {
    private static final Logger log = LoggerFactory.getLogger(Signals.class);

    /** The signals that ask a service to stop: SIGINT, SIGTERM and SIGHUP. */
    public static final List<String> SHUTDOWN_SIGNALS = List.of("INT", "TERM", "HUP");

    private Signals() {}

    /**
     * Runs {@code action} with the signal's name as a new task of {@code loop} whenever one of
     * {@code signals} arrives. A failure of the action goes to the loop's exception handler.
     *
     * <p>SIGINT, SIGTERM or SIGHUP ignored when the JVM started ({@code nohup}, some CI runners)
     * stays ignored: the JVM cannot handle an exit signal it inherited as ignored. Such a signal is
     * named in a warning and in {@link Registration#ignored()}; the others are handled.
     *
     * @return a handle whose {@code close()} restores the handlers that were there before
     * @throws IllegalArgumentException if a signal is unknown or reserved by the JVM
     */
    public static Registration on(Loop loop, List<String> signals, Consumer<String> action) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(action, "action");
        List<Runnable> restore = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        try {
            for (String name : signals) {
                Signal signal = new Signal(name);
                var previous = Signal.handle(signal, s -> {
                    if (!loop.isClosed()) {
                        loop.spawnDetached("signal-SIG" + name, null, () -> action.accept(name));
                    }
                });
                restore.add(() -> Signal.handle(signal, previous));
                if (previous == sun.misc.SignalHandler.SIG_IGN && SHUTDOWN_SIGNALS.contains(name)) {
                    // HotSpot leaves an exit signal that was ignored at its start ignored, whatever
                    // the Java side registers: this handler would never run.
                    ignored.add(name);
                }
            }
        } catch (IllegalArgumentException e) {
            restore.forEach(Runnable::run);
            throw new IllegalArgumentException("cannot handle signal in " + signals + ": " + e.getMessage(), e);
        }
        if (!ignored.isEmpty()) {
            log.warn("{} was ignored when this JVM started (under nohup, or by a shell or CI runner that ignores it),"
                    + " and a JVM cannot handle an exit signal it inherited as ignored: its handler will not run. Start"
                    + " the JVM with the default disposition to handle it, e.g. env --default-signal={} java ...",
                    ignored.stream().map(n -> "SIG" + n).toList(), String.join(",", ignored));
        }
        List<String> notHandled = List.copyOf(ignored);
        return new Registration() {
            @Override
            public void close() {
                restore.forEach(Runnable::run);
            }

            @Override
            public List<String> ignored() {
                return notHandled;
            }
        };
    }

    /**
     * On SIGINT, SIGTERM or SIGHUP, logs {@code Received exit signal SIGx} and shuts {@code loop}
     * down: every task is cancelled and awaited for up to {@code grace}. A signal that was ignored
     * when the JVM started (SIGHUP under {@code nohup}, say) stays ignored, with a warning that
     * says so (see {@link #on}); the others are handled.
     *
     * @return a handle whose {@code close()} restores the previous handlers
     */
    public static Registration shutdownOn(Loop loop, Duration grace) {
        Objects.requireNonNull(grace, "grace");
        return on(loop, SHUTDOWN_SIGNALS, name -> {
            log.info("Received exit signal SIG{}...", name);
            loop.shutdown(grace);
        });
    }

    /** Installed signal handlers; closing restores the ones that were there before. */
    @FunctionalInterface
    public interface Registration extends AutoCloseable {
        @Override
        void close();

        /**
         * {@return the exit signals asked for whose handler cannot run, because the JVM inherited
         * them as ignored (names without "SIG"); empty normally}
         */
        default List<String> ignored() {
            return List.of();
        }
    }
}
