package io.loomas.agent;

import io.loomas.codec.Codec;
import io.loomas.runtime.Clock;
import io.loomas.runtime.ExternalClock;
import io.loomas.runtime.Loop;
import io.loomas.runtime.LoopOptions;
import io.loomas.transport.Address;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A container with a {@link Manager} in a child JVM: a parent starts it, spawns agents in it through
 * the manager, drives its external clock, and stops it (the co-simulation pattern of aiomas'
 * subprocess manager).
 *
 * {@snippet class="io.loomas.snippets.AgentSnippets" region="subprocess"}
 *
 * <p>The child runs {@code java -cp <this JVM's class path> io.loomas.agent.Subprocess ...} with the
 * running JVM's {@code java}, prints its address on its first output line, and exits 0 after
 * {@code stop}. Its further output is logged here.
 */
public final class Subprocess {
    private static final Logger log = LoggerFactory.getLogger(Subprocess.class);
    private static final String READY = "loomas-manager listening on ";

    private final Process process;
    private final Address address;

    private Subprocess(Process process, Address address) {
        this.process = process;
        this.address = address;
    }

    /**
     * Starts a child JVM with a container listening on {@code address} (port 0 picks one) and a
     * manager as agent "0"; returns once it listens. It blocks the calling thread while the child
     * starts (about a second): from a task, call it through {@code loop.offload(...)}.
     *
     * @param codec "json" or "msgpack"
     * @param externalClockStart if not null, the container's clock is an {@link ExternalClock}
     *     starting at this date; else the system clock
     * @throws IOException if the child cannot be started or ends before it listens
     */
    public static Subprocess start(Address address, String codec, Instant externalClockStart) throws IOException {
        return start(address, codec, externalClockStart, Duration.ZERO);
    }

    /**
     * Like {@link #start(Address, String, Instant)}, with the external clock starting at
     * {@code initialTime} rather than zero, as aiomas' {@code init_time}: a co-simulation often
     * starts its children at -1 s so that the first {@code set_time(0)} moves the clock forward.
     *
     * @param initialTime the external clock's time at start (may be negative); ignored without an
     *     external clock
     */
    public static Subprocess start(Address address, String codec, Instant externalClockStart, Duration initialTime)
            throws IOException {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(initialTime, "initialTime");
        Codec.byName(codec); // fail here for an unknown codec, not in the child
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                Subprocess.class.getName(), address.toString(), codec));
        if (externalClockStart != null) {
            command.add(externalClockStart.toString());
            command.add(initialTime.toString());
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        List<String> early = new ArrayList<>();
        while ((line = out.readLine()) != null && !line.startsWith(READY)) {
            early.add(line);
        }
        if (line == null) {
            p.destroyForcibly();
            throw new IOException("child container ended before it listened on " + address + "; its output:\n"
                    + String.join("\n", early));
        }
        Address bound = Address.parse(line.substring(READY.length()).trim());
        Thread.ofVirtual().name("subprocess-output " + bound).start(() -> {
            try {
                String l;
                while ((l = out.readLine()) != null) {
                    log.info("[child {}] {}", bound, l);
                }
            } catch (IOException e) {
                // the child is gone
            }
        });
        return new Subprocess(p, bound);
    }

    /** {@return the address of the child's container} */
    public Address address() {
        return address;
    }

    /** {@return the address of the child's manager (agent "0")} */
    public AgentAddress managerAddress() {
        return new AgentAddress(address, "0");
    }

    /** {@return the child process} */
    public Process process() {
        return process;
    }

    /**
     * Waits (blocking the calling thread; call it off the loop, e.g. through {@code loop.offload})
     * until the child exits.
     *
     * @return its exit code
     * @throws IllegalStateException if it is still running after {@code timeout} (it is killed then)
     */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("child container " + address + " did not exit within " + timeout + "; killed it");
        }
        return process.exitValue();
    }

    /**
     * The child's entry point: {@code Subprocess <address> <codec> [<external clock start> [<initial time>]]}.
     * Runs the container until its manager is told to stop, then exits 0.
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: Subprocess <address> <json|msgpack> [<external clock start, ISO-8601>"
                    + " [<initial time, ISO-8601 duration>]]");
            System.exit(2);
        }
        Address address = Address.parse(args[0]);
        Codec codec = Codec.byName(args[1]);
        Clock clock = args.length > 2
                ? new ExternalClock(Instant.parse(args[2]), args.length > 3 ? Duration.parse(args[3]) : Duration.ZERO)
                : Clock.system();
        Loop.run(LoopOptions.DEFAULT.withName("subprocess"), () -> {
            Container container = Container.create(address,
                    ContainerOptions.DEFAULT.withCodec(codec).withClock(clock));
            Manager manager = new Manager(container);
            System.out.println(READY + container.address());
            System.out.flush();
            manager.stopped().await();
            container.shutdown();
            return null;
        });
        System.exit(0);
    }
}
