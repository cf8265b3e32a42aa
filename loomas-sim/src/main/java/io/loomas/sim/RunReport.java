package io.loomas.sim;

import io.loomas.runtime.Loop;
import io.loomas.runtime.Task;
import io.loomas.runtime.UncaughtFailure;
import java.util.List;
import java.util.stream.Stream;

/** The parts of a failed run's message that describe the run: its faults, its tasks, its failures nobody handled. */
final class RunReport {
    private RunReport() {}

    /** How many faults of the run a failure message lists before it says how many more there were. */
    private static final int FAULTS_LISTED = 20;

    /** {@return the faults injected during the run, in order and with their times; not only those still in force} */
    static String faultHistory(Trace trace) {
        List<Trace.Event> faults;
        try (Stream<Trace.Event> all = trace.stream()) {
            faults = all.filter(e -> e.kind().equals("fault")).toList();
        }
        if (faults.isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder("; during the run: ");
        for (int i = 0; i < Math.min(faults.size(), FAULTS_LISTED); i++) {
            text.append(i == 0 ? "" : ", ").append(faults.get(i).detail()).append(" at ").append(faults.get(i).time());
        }
        if (faults.size() > FAULTS_LISTED) {
            text.append(" and ").append(faults.size() - FAULTS_LISTED).append(" more (kind \"fault\" in the trace)");
        }
        return text.toString();
    }

    /** {@return "N failure(s) no code handled:" and one line for each, with where its task was created} */
    static String unhandled(List<UncaughtFailure> unhandled) {
        StringBuilder sb = new StringBuilder().append(unhandled.size()).append(" failure(s) no code handled:");
        for (UncaughtFailure f : unhandled) {
            sb.append("\n  ").append(f.message()).append(": ").append(f.error());
            if (f.creationSite() != null) {
                sb.append("; task created at ").append(LibraryFrames.creationPlace(f.creationSite()));
            }
        }
        return sb.toString();
    }

    /** Appends one line per live task: where in the user's code it waits. */
    static void appendTasks(StringBuilder sb, Loop loop) {
        for (Task<?> t : loop.tasks()) {
            sb.append("\n  task '").append(t.name()).append("' waits ").append(LibraryFrames.place(t.stackTrace()));
        }
    }
}
