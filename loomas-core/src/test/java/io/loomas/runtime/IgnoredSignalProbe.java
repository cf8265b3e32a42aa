package io.loomas.runtime;

import java.time.Duration;
import java.util.List;

/** Run in a child JVM by {@link SignalsTest}: reports how the signal handlers install. */
public final class IgnoredSignalProbe {
    private IgnoredSignalProbe() {}

    public static void main(String[] args) {
        try (Loop loop = Loop.create()) {
            try (Signals.Registration r = Signals.on(loop, List.of("INT", "USR2"), name -> {})) {
                System.out.println("on: installed; ignored " + r.ignored());
            }
            try (Signals.Registration r = Signals.shutdownOn(loop, Duration.ofSeconds(1))) {
                System.out.println("shutdownOn: installed");
            }
        }
        System.exit(0);
    }
}
