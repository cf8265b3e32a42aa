package io.loomas.examples.mayhem;

import io.loomas.agent.AgentAddress;
import io.loomas.agent.Container;
import io.loomas.agent.ContainerOptions;
import io.loomas.runtime.Loop;
import io.loomas.runtime.LoopOptions;
import io.loomas.runtime.Signals;
import io.loomas.transport.Address;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs the Mayhem Mandrill service until SIGINT, SIGTERM or SIGHUP (or an unhandled failure) shuts
 * it down; SIGUSR1 only logs that it is still running.
 *
 * <p>Options: {@code --seed=N} (default: random), {@code --role=all|publisher|consumer} (default
 * {@code all}: both agents in one container), {@code --port=N} (the publisher's TCP port, default
 * 0: any free one), {@code --publisher=tcp://host:port/0} (the consumer's publisher agent) and
 * {@code --crash-after=N} (the N-th message's handler fails unhandled, which shuts the service down
 * through the loop's exception handler).
 * After start it logs {@code Mayhem service started at <address>}.
 */
public final class Main {
    /** How long the loop lets tasks finish after the service stopped. */
    private static final Duration GRACE = Duration.ofSeconds(5);

    private Main() {}

    @SuppressWarnings("try") // the signal registrations are held open by the try, never referenced
    public static void main(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                System.err.println("usage: Main [--seed=N] [--role=all|publisher|consumer] [--port=N] [--publisher=ADDRESS]"
                        + " [--crash-after=N]");
                System.exit(2);
            }
            options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        long seed = options.containsKey("seed") ? Long.parseLong(options.get("seed")) : new Random().nextLong();
        String role = options.getOrDefault("role", "all");
        LogSink log = LogSink.slf4j();
        AtomicReference<MayhemService> service = new AtomicReference<>();

        Loop loop = Loop.create(LoopOptions.DEFAULT.withName("mayhem").withExceptionHandler((l, failure) -> {
            Throwable error = failure.error();
            log.error("Caught exception: " + (error != null ? error : failure.message()));
            log.info("Shutting down...");
            MayhemService s = service.get();
            if (s != null && !l.isClosed()) {
                l.spawn("shutdown", () -> {
                    s.shutdown(null);
                    return null;
                });
            }
        }));
        loop.spawn("main", () -> {
            Address address = role.equals("all") ? Address.local("mayhem-" + ProcessHandle.current().pid())
                    : Address.tcp("127.0.0.1", Integer.parseInt(options.getOrDefault("port", "0")));
            try (Container container = Container.create(address, ContainerOptions.DEFAULT)) {
                Random random = new Random(seed);
                MayhemService s = switch (role) {
                    case "all" -> MayhemService.inProcess(container, random, log);
                    case "publisher" -> MayhemService.publisher(container, random, log);
                    case "consumer" -> MayhemService.consumer(container, random, log,
                            AgentAddress.parse(options.get("publisher")));
                    default -> throw new IllegalArgumentException("unknown role: " + role);
                };
                if (options.containsKey("crash-after") && s.consumerAgent() != null) {
                    s.consumerAgent().crashAfter(Integer.parseInt(options.get("crash-after")));
                }
                service.set(s);
                try (var exit = Signals.on(loop, Signals.SHUTDOWN_SIGNALS, s::shutdown);
                        var usr1 = Signals.on(loop, List.of("USR1"),
                                name -> log.info("Received SIGUSR1, still running"))) {
                    s.start();
                    String where = s.publisherAgent() != null ? s.publisherAgent().address().toString()
                            : container.address().toString();
                    log.info("Mayhem service started at " + where + " (role " + role + ", seed " + seed + ")");
                    s.awaitStopped();
                }
            }
            return null;
        }).await();
        loop.shutdown(GRACE);
        log.info("Successfully shutdown the Mayhem service.");
        System.exit(0);
    }
}
