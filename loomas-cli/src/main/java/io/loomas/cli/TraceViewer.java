package io.loomas.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * Writes the trace viewer: one HTML file with its styles, its script and the trace inlined, so it
 * opens from disk, offline, in any browser. The page's code is plain JavaScript with no library
 * (it draws SVG itself, only what is in view, which keeps 100,000 events fast), kept in
 * {@code src/main/resources/io/loomas/cli/viewer/}.
 */
final class TraceViewer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TraceViewer() {}

    /**
     * What the page says about the run besides its trace.
     *
     * @param title what ran (a test's name)
     * @param seed its seed, or null if unknown
     * @param replay the command that runs it again, or null
     */
    record Meta(String title, Long seed, String replay) {}

    /**
     * Writes the page for {@code trace} to {@code page}.
     *
     * @return how many events the trace has
     * @throws IllegalArgumentException if a line is not a trace event
     */
    static int write(Path trace, Path page, Meta meta) throws IOException {
        StringWriter data = new StringWriter();
        int events = 0;
        try (BufferedReader in = Files.newBufferedReader(trace, StandardCharsets.UTF_8);
                JsonGenerator out = JSON.getFactory().createGenerator(data)) {
            out.writeStartArray();
            int lineNumber = 0;
            for (String line; (line = in.readLine()) != null; ) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode e;
                try {
                    e = JSON.readTree(line);
                } catch (IOException ex) {
                    throw new IllegalArgumentException("line " + lineNumber + " is not JSON: " + ex.getMessage().lines().findFirst().orElse(""));
                }
                if (e == null || !e.has("seq") || !e.has("t") || !e.has("kind")) {
                    throw new IllegalArgumentException("line " + lineNumber + " is not a trace event (expected seq, t, kind, detail)");
                }
                long nanos;
                try {
                    nanos = Duration.parse(e.get("t").asText()).toNanos();
                } catch (DateTimeParseException ex) {
                    throw new IllegalArgumentException("line " + lineNumber + ": time " + e.get("t") + " is not an ISO-8601 duration");
                }
                // One array per event, [seq, nanoseconds, kind, detail]: a third of the size of the objects.
                out.writeStartArray();
                out.writeNumber(e.get("seq").asLong());
                out.writeNumber(nanos);
                out.writeString(e.get("kind").asText());
                out.writeString(e.path("detail").asText(""));
                out.writeEndArray();
                events++;
            }
            out.writeEndArray();
        }
        com.fasterxml.jackson.databind.node.ObjectNode about = JSON.createObjectNode();
        about.put("title", meta.title());
        about.put("seed", meta.seed());
        about.put("replay", meta.replay());
        about.put("file", trace.getFileName().toString());
        // Trusted parts first; the trace's text last, so nothing in it is taken for a placeholder.
        String html = resource("viewer.html")
                .replace("/*{{STYLE}}*/", resource("viewer.css"))
                .replace("/*{{SCRIPT}}*/", resource("viewer.js"))
                .replace("{{TITLE}}", escapeHtml(meta.title() + (meta.seed() == null ? "" : " seed " + meta.seed())))
                .replace("/*{{META}}*/", scriptSafe(JSON.writeValueAsString(about)))
                .replace("/*{{DATA}}*/", scriptSafe(data.toString()));
        Files.writeString(page, html, StandardCharsets.UTF_8);
        return events;
    }

    /** {@return JSON that cannot end the script element it sits in: every '<' escaped (only strings hold one)} */
    private static String scriptSafe(String json) {
        return json.replace("<", "\\u003c");
    }

    private static String escapeHtml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = TraceViewer.class.getResourceAsStream("viewer/" + name)) {
            if (in == null) {
                throw new IOException("the viewer's " + name + " is missing from the loomas command's classes");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
