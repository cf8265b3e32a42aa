package io.loomas.sim;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders a {@link Trace} as a sequence diagram a person can read: one lifeline per node, an arrow
 * per frame sent (with its virtual time and, for text codecs, the message), notes for faults, the
 * nemesis, assertions and failed checks, and one lifeline per process of a
 * {@link io.loomas.sim.check.History} with a note for each of its operations' invocations and ends.
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
        Set<String> processes = new LinkedHashSet<>();
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
                case "op" -> {
                    // A history's operation: a note on the lifeline of the process that invoked it.
                    String process = e.detail().substring(0, Math.max(0, e.detail().indexOf(' ')));
                    processes.add(process);
                    body.append("    Note over ").append(processId(process)).append(": ").append(e.time()).append(' ')
                            .append(escape(e.detail().substring(process.length()).strip())).append('\n');
                }
                case "fault", "refuse", "hold", "assert", "check", "nemesis" -> body.append("    Note over ")
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
        for (String p : processes) {
            out.append("    participant ").append(processId(p)).append(" as ").append(p).append('\n');
        }
        return out.append(body).toString();
    }

    private static String processId(String process) {
        return "process_" + id(process);
    }

    private static String id(String node) {
        return node.replaceAll("[^A-Za-z0-9_]", "_");
    }

    private static String escape(String text) {
        return text.replace(";", ",").replace("#", "no.").replace("\n", " ");
    }
}
