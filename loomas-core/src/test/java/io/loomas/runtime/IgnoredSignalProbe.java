package io.loomas.runtime;

import java.time.Duration;
import java.util.List;

/** Run in a child JVM by {@link SignalsTest}: reports how the signal handlers install. */
public final class IgnoredSignalProbe {
    private IgnoredSignalProbe() {}

    public static void main(String[] args) {
        try (Loop loop = Loop.create()) {
            try (Signals.Registration r = Signals.on(loop, List.of("INT"), name -> {})) {
                System.out.println("on: installed");
            } catch (IllegalStateException e) {
                System.out.println("on: " + e.getMessage());
            }
            try (Signals.Registration r = Signals.shutdownOn(loop, Duration.ofSeconds(1))) {
                System.out.println("shutdownOn: installed");
            }
        }
        System.exit(0);
    }
}
