package io.loomas.examples.mayhem;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The README's Mayhem commands, run as written there (from the repository root, through the
 * launcher), with real signals: each of SIGINT (Ctrl-C), SIGTERM and SIGHUP shuts the service
 * down gracefully with exit 0, and the two-process split works.
 */
class ReadmeCommandsTest {
    private static final File ROOT = Path.of("").toAbsolutePath().getParent().getParent().toFile();

    /** {@return the README's commands that start the launcher, in order} */
    private static List<String> readmeCommands() throws IOException {
        List<String> lines = Files.readAllLines(ROOT.toPath().resolve("README.md")).stream()
                .filter(l -> l.startsWith("examples/mayhem/mayhem")).toList();
        assertThat(lines).as("the README's launcher commands").hasSizeGreaterThanOrEqualTo(3);
        return lines;
    }

    private static List<String> words(String command) {
        return Arrays.asList(command.trim().split(" +"));
    }

    @ParameterizedTest(name = "SIG{0}")
    @ValueSource(strings = {"INT", "TERM", "HUP"})
    void theReadmeCommandShutsDownGracefullyOnEachExitSignal(String signal) throws Exception {
        String command = readmeCommands().get(0);
        assertThat(command).isEqualTo("examples/mayhem/mayhem");
        try (MainSignalTest.Child child = new MainSignalTest.Child(ROOT, words(command + " --seed=7"))) {
            child.awaitLine("Pulled PubSubMessage");
            child.signal(signal);
            child.awaitLine("Successfully shutdown the Mayhem service.");
            assertThat(child.awaitExit()).isZero();
            assertThat(String.join("\n", child.output)).contains("Received exit signal SIG" + signal + "...");
        }
    }

    @Test
    void thePublisherAndTheConsumerRunAsTwoProcesses() throws Exception {
        List<String> commands = readmeCommands();
        String publisherCommand = commands.stream().filter(c -> c.contains("--role=publisher")).findFirst().orElseThrow();
        String consumerCommand = commands.stream().filter(c -> c.contains("--role=consumer")).findFirst().orElseThrow();
        String port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = Integer.toString(free.getLocalPort());
        }
        try (MainSignalTest.Child publisher = new MainSignalTest.Child(ROOT, words(publisherCommand.replace("5555", port)))) {
            publisher.awaitLine("Mayhem service started");
            try (MainSignalTest.Child consumer = new MainSignalTest.Child(ROOT, words(consumerCommand.replace("5555", port)))) {
                consumer.awaitLine("Pulled PubSubMessage");
                consumer.signal("INT");
                assertThat(consumer.awaitExit()).isZero();
                assertThat(consumer.output).anyMatch(l -> l.contains("Successfully shutdown the Mayhem service."));
            }
            publisher.signal("TERM");
            assertThat(publisher.awaitExit()).isZero();
            assertThat(publisher.output).anyMatch(l -> l.contains("Published message"));
        }
    }
}
