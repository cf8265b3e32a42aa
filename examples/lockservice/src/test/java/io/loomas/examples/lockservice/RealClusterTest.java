package io.loomas.examples.lockservice;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes as three JVM processes on loopback, used through the HTTP API with the JDK's
 * HttpClient: the leader is killed with a real SIGKILL, a new leader serves, no lock is granted
 * twice, and the acknowledged state survived. Nothing sleeps: the test waits for the nodes' log
 * lines, and retries a request only on a 503, once a node says it leads (or Retry-After passed).
 */
class RealClusterTest {
    private static final Pattern LEADS = Pattern.compile("\\[(n\\d)] leads term (\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final BlockingQueue<String> leaders = new LinkedBlockingQueue<>();
    private final Object leaderChange = new Object(); // notified at each "leads term" line
    private int leaderLines; // guarded by leaderChange

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private Process start(String node, int raft, int httpPort, Path data, List<String> peers) throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                "-Dorg.slf4j.simpleLogger.logFile=System.out", LockServer.class.getName(),
                "--node", node, "--raft", "127.0.0.1:" + raft, "--http", "127.0.0.1:" + httpPort,
                "--data", data.resolve(node).toString()));
        for (String p : peers) {
            command.add("--peer");
            command.add(p);
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Thread.ofPlatform().daemon().name(node + "-output").start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    output.add(node + "| " + line);
                    Matcher m = LEADS.matcher(line);
                    if (m.find()) {
                        leaders.add(m.group(1) + " " + m.group(2));
                        synchronized (leaderChange) {
                            leaderLines++;
                            leaderChange.notifyAll();
                        }
                    }
                }
            } catch (IOException e) {
                // the process is gone
            }
        });
        return process;
    }

    /** {@return the next node that became leader, and its term} */
    private String[] nextLeader() throws InterruptedException {
        String l = leaders.poll(60, TimeUnit.SECONDS);
        assertThat(l).as("a leader; output:%n%s", String.join("\n", output)).isNotNull();
        return l.split(" ");
    }

    private HttpResponse<String> send(String method, int port, String path, String body) throws Exception {
        for (int attempt = 0; ; attempt++) {
            int linesBefore;
            synchronized (leaderChange) {
                linesBefore = leaderLines;
            }
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(10)).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body)).build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 503 || attempt == 50) {
                return response;
            }
            // 503: no leader yet, or a leader change under the request. Wait for a node to say it
            // leads, no longer than the Retry-After the answer gave.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(
                    Long.parseLong(response.headers().firstValue("Retry-After").orElse("1")));
            synchronized (leaderChange) {
                for (long left; leaderLines == linesBefore && (left = deadline - System.nanoTime()) > 0; ) {
                    TimeUnit.NANOSECONDS.timedWait(leaderChange, left);
                }
            }
        }
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }

    @Test
    void theLeaderIsKilledAndANewOneServesWhatWasAcknowledged(@TempDir Path data) throws Exception {
        int[] raft = {freePort(), freePort(), freePort()};
        int[] web = {freePort(), freePort(), freePort()};
        List<Process> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                List<String> peers = new ArrayList<>();
                for (int j = 0; j < 3; j++) {
                    if (j != i) {
                        peers.add("n" + j + "=127.0.0.1:" + raft[j]);
                    }
                }
                nodes.add(start("n" + i, raft[i], web[i], data, peers));
            }
            int leader = Integer.parseInt(nextLeader()[0].substring(1));
            int follower = (leader + 1) % 3;

            // Through a follower, which forwards to the leader.
            HttpResponse<String> granted = send("POST", web[follower], "/locks/db", "{\"owner\":\"alice\",\"ttl_ms\":600000}");
            assertThat(granted.statusCode()).as(granted.body()).isEqualTo(200);
            long first = json(granted).get("token").asLong();
            assertThat(send("POST", web[leader], "/locks/db", "{\"owner\":\"bob\",\"ttl_ms\":600000}").statusCode())
                    .isEqualTo(409);
            assertThat(send("POST", web[leader], "/locks/db", "{\"owner\":").statusCode()).isEqualTo(400);
            assertThat(json(send("POST", web[leader], "/locks/db", "{\"ttl_ms\":5}")).get("error").asText())
                    .isEqualTo("missing field \"owner\" (a non-empty string)");
            assertThat(send("DELETE", web[leader], "/locks/nothing", "{\"token\":1}").statusCode()).isEqualTo(404);

            // A real signal: SIGKILL, no goodbye.
            int exit = new ProcessBuilder("kill", "-s", "KILL", String.valueOf(nodes.get(leader).pid())).inheritIO()
                    .start().waitFor();
            assertThat(exit).isZero();
            nodes.get(leader).waitFor();
            String[] next;
            do {
                next = nextLeader();
            } while (next[0].equals("n" + leader));
            int survivor = Integer.parseInt(next[0].substring(1));

            // The acknowledged grant survived; it is not granted twice; the tokens grow.
            JsonNode status = json(send("GET", web[survivor], "/locks/db", null));
            assertThat(status.get("owner").asText()).isEqualTo("alice");
            assertThat(status.get("token").asLong()).isEqualTo(first);
            assertThat(send("POST", web[survivor], "/locks/db", "{\"owner\":\"bob\",\"ttl_ms\":600000}").statusCode())
                    .isEqualTo(409);
            assertThat(send("DELETE", web[survivor], "/locks/db", "{\"token\":" + (first + 7) + "}").statusCode())
                    .isEqualTo(409);
            assertThat(send("DELETE", web[survivor], "/locks/db", "{\"token\":" + first + "}").statusCode()).isEqualTo(200);
            HttpResponse<String> again = send("POST", web[survivor], "/locks/db", "{\"owner\":\"bob\",\"ttl_ms\":600000}");
            assertThat(again.statusCode()).isEqualTo(200);
            long second = json(again).get("token").asLong();
            assertThat(second).isGreaterThan(first);
            assertThat(send("POST", web[survivor], "/locks/db/renew", "{\"token\":" + second + ",\"ttl_ms\":600000}")
                    .body()).isEqualTo("{\"renewed\":true}");
            assertThat(send("POST", web[survivor], "/locks/db/renew", "{\"token\":" + first + ",\"ttl_ms\":600000}")
                    .statusCode()).isEqualTo(409);
            assertThat(send("POST", web[survivor], "/locks/b%20d", "{\"owner\":\"x\",\"ttl_ms\":5}").statusCode())
                    .isEqualTo(400);
            JsonNode cluster = json(send("GET", web[survivor], "/cluster", null));
            assertThat(cluster.get("role").asText()).isEqualTo("leader");
            assertThat(cluster.get("term").asLong()).isEqualTo(Long.parseLong(next[1]));
        } finally {
            nodes.forEach(Process::destroyForcibly);
        }
    }
}
