package io.loomas.examples.lockservice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.loomas.agent.AgentAddress;
import io.loomas.agent.Container;
import io.loomas.runtime.Loop;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lock service's HTTP API, on Helidon's web server (built for virtual threads: each request
 * runs on one and waits for the node's loop with a plain blocking call). A request on a follower
 * is forwarded to the leader over loomas RPC; with no leader, the answer is 503 with Retry-After.
 *
 * <pre>
 * POST   /locks/{name}        {"owner": "a", "ttl_ms": 10000}  200 {"token": 3}        409 held
 * DELETE /locks/{name}        {"token": 3}                     200 {"released": true}  404 not held, 409 wrong token
 * POST   /locks/{name}/renew  {"token": 3, "ttl_ms": 10000}    200 {"renewed": true}   404, 409
 * GET    /locks/{name}                                         200 {"name", "owner", "token"} or {"name", "free": true}
 * GET    /cluster                                              200 {"node", "role", "term", "leader", "commit_index"}
 * </pre>
 */
public final class HttpApi {
    private static final Logger log = LoggerFactory.getLogger(HttpApi.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final Loop loop;
    private final Container container;
    private final RaftNode node;
    private final Map<String, AgentAddress> peers;

    /** An API in front of {@code node}, which runs on {@code loop} in {@code container}. */
    public HttpApi(Loop loop, Container container, RaftNode node, Map<String, AgentAddress> peers) {
        this.loop = loop;
        this.container = container;
        this.node = node;
        this.peers = Map.copyOf(peers);
    }

    /** {@return the started server, on {@code port} of {@code host} (0: a free port)} */
    public WebServer start(String host, int port) {
        return WebServer.builder().host(host).port(port).routing(r -> r
                .post("/locks/{name}/renew", (req, res) -> handle(req, res, this::renew))
                .post("/locks/{name}", (req, res) -> handle(req, res, this::acquire))
                .delete("/locks/{name}", (req, res) -> handle(req, res, this::release))
                .get("/locks/{name}", (req, res) -> handle(req, res, this::status))
                .get("/cluster", (req, res) -> handle(req, res, this::cluster))).build().start();
    }

    /** A client's mistake: the status and what was wrong. */
    private static final class BadRequest extends Exception {
        final Status status;

        BadRequest(Status status, String message) {
            super(message);
            this.status = status;
        }
    }

    private interface Handler {
        ObjectNode handle(ServerRequest req) throws BadRequest, IOException;
    }

    private static void handle(ServerRequest req, ServerResponse res, Handler handler) {
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        try {
            res.send(handler.handle(req).toString());
        } catch (BadRequest e) {
            if (e.status == Status.SERVICE_UNAVAILABLE_503) {
                res.header("Retry-After", "1");
            }
            res.status(e.status).send(JSON.createObjectNode().put("error", e.getMessage()).toString());
        } catch (IOException | RuntimeException e) {
            log.warn("{} {} failed", req.prologue().method(), req.path().path(), e);
            res.status(Status.SERVICE_UNAVAILABLE_503).header("Retry-After", "1")
                    .send(JSON.createObjectNode().put("error", "the outcome is unknown: " + e.getMessage()).toString());
        }
    }

    private ObjectNode acquire(ServerRequest req) throws BadRequest, IOException {
        JsonNode body = body(req);
        String owner = text(body, "owner");
        long ttl = number(body, "ttl_ms");
        List<?> answer = submit("acquire", name(req), owner, ttl);
        if ("held".equals(answer.get(0))) {
            throw new BadRequest(Status.CONFLICT_409, "held by " + answer.get(1));
        }
        return JSON.createObjectNode().put("token", ((Number) answer.get(1)).longValue());
    }

    private ObjectNode release(ServerRequest req) throws BadRequest, IOException {
        long token = number(body(req), "token");
        return done(submit("release", name(req), token), "released");
    }

    private ObjectNode renew(ServerRequest req) throws BadRequest, IOException {
        JsonNode body = body(req);
        long token = number(body, "token");
        long ttl = number(body, "ttl_ms");
        return done(submit("renew", name(req), token, ttl), "renewed");
    }

    private static ObjectNode done(List<?> answer, String field) throws BadRequest {
        return switch ((String) answer.get(0)) {
            case "not-held" -> throw new BadRequest(Status.NOT_FOUND_404, "the lock is not held");
            case "wrong-token" -> throw new BadRequest(Status.CONFLICT_409, "the lock is held with another token");
            default -> JSON.createObjectNode().put(field, true);
        };
    }

    private ObjectNode status(ServerRequest req) throws BadRequest, IOException {
        String name = name(req);
        List<?> answer = submit("status", name);
        ObjectNode out = JSON.createObjectNode().put("name", name);
        return "free".equals(answer.get(0)) ? out.put("free", true)
                : out.put("owner", (String) answer.get(1)).put("token", ((Number) answer.get(2)).longValue());
    }

    private ObjectNode cluster(ServerRequest req) {
        List<Object> c = loop.spawn("http cluster", node::cluster).await(WAIT);
        return JSON.createObjectNode().put("node", (String) c.get(0)).put("role", (String) c.get(1))
                .put("term", ((Number) c.get(2)).longValue()).put("leader", (String) c.get(3))
                .put("commit_index", ((Number) c.get(4)).longValue());
    }

    /** Runs the command on the leader: here, or on the node this one names as leader. */
    private List<?> submit(Object... request) throws BadRequest, IOException {
        List<Object> command = List.of(request);
        List<?> answer = loop.spawn("http " + request[0], () -> {
            List<?> here = node.submit(command);
            if ("not-leader".equals(here.get(0)) && here.get(1) != null && peers.containsKey((String) here.get(1))) {
                return (List<?>) container.connect(peers.get((String) here.get(1)), Duration.ofSeconds(1))
                        .withTimeout(WAIT).call("submit", command);
            }
            return here;
        }).await(WAIT.plusSeconds(1));
        if ("not-leader".equals(answer.get(0))) {
            throw new BadRequest(Status.SERVICE_UNAVAILABLE_503, "no leader yet; try again");
        }
        return answer;
    }

    private static String name(ServerRequest req) throws BadRequest {
        String name = req.path().pathParameters().get("name");
        if (!name.matches("[A-Za-z0-9._-]{1,128}")) {
            throw new BadRequest(Status.BAD_REQUEST_400, "not a lock name: \"" + name + "\" (expected: 1 to 128 of A-Z a-z 0-9 . _ -)");
        }
        return name;
    }

    private static JsonNode body(ServerRequest req) throws BadRequest {
        String text = req.content().hasEntity() ? req.content().as(String.class) : "";
        try {
            JsonNode body = JSON.readTree(text);
            if (body == null || !body.isObject()) {
                throw new BadRequest(Status.BAD_REQUEST_400, "the body must be a JSON object, got: " + abbreviate(text));
            }
            return body;
        } catch (IOException e) {
            String why = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new BadRequest(Status.BAD_REQUEST_400, "malformed JSON: " + why);
        }
    }

    private static String abbreviate(String text) {
        return text.isEmpty() ? "nothing" : text.length() > 60 ? text.substring(0, 60) + "..." : text;
    }

    private static String text(JsonNode body, String field) throws BadRequest {
        JsonNode v = body.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new BadRequest(Status.BAD_REQUEST_400, "missing field \"" + field + "\" (a non-empty string)");
        }
        return v.asText();
    }

    private static long number(JsonNode body, String field) throws BadRequest {
        JsonNode v = body.get(field);
        if (v == null || !v.canConvertToLong() || v.asLong() <= 0) {
            throw new BadRequest(Status.BAD_REQUEST_400, "missing field \"" + field + "\" (a positive whole number)");
        }
        return v.asLong();
    }
}
