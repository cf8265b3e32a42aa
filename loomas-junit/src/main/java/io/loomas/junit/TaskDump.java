package io.loomas.junit;

import io.loomas.runtime.Loop;
import io.loomas.runtime.Task;

/** Every task of a loop with its state, creation site and current stack: what a timeout shows. */
final class TaskDump {
    private TaskDump() {}

    static String of(Loop loop) {
        StringBuilder out = new StringBuilder();
        for (Task<?> t : loop.tasks()) {
            out.append("  task '").append(t.name()).append("' [").append(t.state()).append("], created at ")
                    .append(Culprits.site(t.creationSite())).append('\n');
            for (StackTraceElement e : t.stackTrace()) {
                out.append("\tat ").append(e).append('\n');
            }
        }
        return out.isEmpty() ? "  (none)\n" : out.toString();
    }
}
