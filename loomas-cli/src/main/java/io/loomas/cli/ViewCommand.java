package io.loomas.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code loomas view}: a trace file as one self-contained HTML page. */
@Command(name = "view", mixinStandardHelpOptions = true,
        description = {"Turns a simulation trace (JSON lines, as failed runs and loomas replay write them) into one",
                "self-contained HTML page: a sequence diagram of the messages, a timeline of each node's tasks with its",
                "faults and log lines, the failure, filters, search and stepping through virtual time. Needs no network."})
final class ViewCommand implements Callable<Integer> {
    private static final Pattern NAME = Pattern.compile("(.*)-seed-(-?\\d+)\\.jsonl$");

    @Parameters(index = "0", paramLabel = "TRACE", description = "a trace file, .jsonl")
    Path trace;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "the page (default: the trace's name, .html)")
    Path out;

    @Option(names = "--open", description = "open the page in the desktop's browser")
    boolean open;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(trace)) {
            throw new SetupException("no trace file " + trace);
        }
        Path page = out != null ? out : Path.of(trace.toString().replaceFirst("\\.jsonl$", "") + ".html");
        ReplayCommand.createParent(page);
        Matcher m = NAME.matcher(trace.getFileName().toString());
        TraceViewer.Meta meta = m.matches()
                ? new TraceViewer.Meta(m.group(1), Long.parseLong(m.group(2)), null)
                : new TraceViewer.Meta(trace.getFileName().toString(), null, null);
        int events;
        try {
            events = TraceViewer.write(trace, page, meta);
        } catch (IllegalArgumentException e) {
            throw new SetupException(trace + " is not a loomas trace: " + e.getMessage());
        }
        System.out.println("viewer: " + page + " (" + events + " events)");
        if (open) {
            open(page);
        }
        return Main.PASSED;
    }

    /** Opens {@code page} in the desktop's browser, or says how to. */
    static void open(Path page) {
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        String opener = os.contains("mac") ? "open" : os.contains("win") ? "explorer" : "xdg-open";
        try {
            new ProcessBuilder(opener, page.toAbsolutePath().toString()).inheritIO().start();
        } catch (IOException e) {
            System.out.println("cannot open a browser (" + opener + ": " + e.getMessage() + "); open " + page.toAbsolutePath().toUri());
        }
    }
}
