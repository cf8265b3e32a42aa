package io.loomas.examples.lockservice;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example README's commands, run as written there (from the repository root, through the
 * launcher, with curl), only with free ports and a temporary data directory in place of theirs.
 */
class ReadmeCommandsTest {
    private static final File ROOT = Path.of("").toAbsolutePath().getParent().getParent().toFile();

    private final List<String> output = new CopyOnWriteArrayList<>();
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private static List<String> commands(String prefix) throws IOException {
        return Files.readAllLines(ROOT.toPath().resolve("examples/lockservice/README.md")).stream()
                .filter(l -> l.startsWith(prefix)).toList();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private String awaitLine(String text) throws InterruptedException {
        while (true) {
            String line = lines.poll(120, TimeUnit.SECONDS);
            assertThat(line).as("a line containing '%s'; output so far:%n%s", text, String.join("\n", output)).isNotNull();
            if (line.contains(text)) {
                return line;
            }
        }
    }

    private String curl(String command) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", command).directory(ROOT).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(command + " -> " + out).isZero();
        return out;
    }

    @Test
    void theReadmeStartsAClusterAndCurlUsesIt(@TempDir Path data) throws Exception {
        ports = new LinkedHashMap<>();
        for (String port : List.of("7000", "7001", "7002", "8000", "8001", "8002")) {
            ports.put("127.0.0.1:" + port, "127.0.0.1:" + freePort());
        }
        List<String> starts = commands("examples/lockservice/lockservice ");
        List<String> curls = commands("curl ");
        assertThat(starts).hasSize(3);
        assertThat(curls).hasSize(5);
        List<Process> nodes = new ArrayList<>();
        try {
            for (String start : starts) {
                String command = replacePorts(start).replace("/tmp/locks", data.toString());
                assertThat(command).endsWith(" &");
                List<String> words = List.of(command.substring(0, command.length() - 2).trim().split(" +"));
                Process p = new ProcessBuilder(words).directory(ROOT).redirectErrorStream(true).start();
                nodes.add(p);
                Thread.ofPlatform().daemon().start(() -> {
                    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line; (line = r.readLine()) != null; ) {
                            output.add(line);
                            lines.add(line);
                        }
                    } catch (IOException e) {
                        // gone
                    }
                });
            }
            awaitLine("] leads term ");
            assertThat(curl(replacePorts(curls.get(0)))).isEqualTo("{\"token\":1}");
            assertThat(curl(replacePorts(curls.get(1)))).isEqualTo("{\"name\":\"db\",\"owner\":\"alice\",\"token\":1}");
            assertThat(curl(replacePorts(curls.get(2)))).isEqualTo("{\"error\":\"held by alice\"}");
            assertThat(curl(replacePorts(curls.get(3)))).isEqualTo("{\"released\":true}");
            assertThat(curl(replacePorts(curls.get(4)))).startsWith("{\"node\":\"n1\",\"role\":\"").contains("\"leader\":\"n");
            assertThat(String.join("\n", output)).contains("lock node n0 serving http://");
        } finally {
            nodes.forEach(Process::destroyForcibly);
        }
    }

    private String portsReplaced(String text, Map<String, String> ports) {
        for (Map.Entry<String, String> e : ports.entrySet()) {
            text = text.replace(e.getKey(), e.getValue());
        }
        return text;
    }

    private Map<String, String> ports;

    private String replacePorts(String text) {
        return portsReplaced(text, ports);
    }
}
