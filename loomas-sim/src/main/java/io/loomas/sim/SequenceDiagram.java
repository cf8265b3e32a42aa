package io.loomas.sim;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders a {@link Trace} as a sequence diagram a person can read: one lifeline per node, an arrow
 * per frame sent (with its virtual time and, for text codecs, the message), notes for faults.
 * The output is Mermaid ({@code sequenceDiagram}), which many viewers render and which reads well
 * as plain text too.
 */
public final class SequenceDiagram {
    private static final Pattern SEND = Pattern.compile("(\\S+) -> (\\S+) #(\\d+) frame (\\d+) \\((.*?)\\)(?: (.*))?");

    private SequenceDiagram() {}

    /** {@return the trace's messages and faults as a Mermaid sequence diagram} */
    public static String render(Trace trace) {
        List<Trace.Event> events = trace.events();
        Set<String> nodes = new LinkedHashSet<>();
        StringBuilder body = new StringBuilder();
        for (Trace.Event e : events) {
            switch (e.kind()) {
                case "listen" -> nodes.add(e.detail());
                case "send" -> {
                    Matcher m = SEND.matcher(e.detail());
                    if (m.matches()) {
                        nodes.add(m.group(1));
                        nodes.add(m.group(2));
                        String what = m.group(6) != null ? m.group(6) : m.group(5);
                        body.append("    ").append(id(m.group(1))).append("->>").append(id(m.group(2)))
                                .append(": ").append(e.time()).append(' ').append(escape(what)).append('\n');
                    }
                }
                case "fault", "refuse", "hold" -> body.append("    Note over ")
                        .append(nodes.isEmpty() ? "network" : String.join(",", nodes.stream().limit(2).map(SequenceDiagram::id).toList()))
                        .append(": ").append(e.time()).append(' ').append(e.kind()).append(' ')
                        .append(escape(e.detail())).append('\n');
                default -> {
                    // task switches, deliveries and time jumps stay in the trace file
                }
            }
        }
        StringBuilder out = new StringBuilder("sequenceDiagram\n");
        for (String n : nodes) {
            out.append("    participant ").append(id(n)).append(" as ").append(n).append('\n');
        }
        return out.append(body).toString();
    }

    private static String id(String node) {
        return node.replaceAll("[^A-Za-z0-9_]", "_");
    }

    private static String escape(String text) {
        return text.replace(";", ",").replace("#", "no.").replace("\n", " ");
    }
}
