package io.loomas.snippets;

import io.loomas.junit.AllowLeaks;
import io.loomas.junit.Leak;
import io.loomas.junit.LoomasTest;
import io.loomas.runtime.Event;
import io.loomas.runtime.Loop;
import org.junit.jupiter.api.Test;

/** The example of AllowLeaks' Javadoc, run by the kit it shows. */
@LoomasTest
class LeakSnippets {

    // @start region="allow-leaks"
    @Test
    @AllowLeaks(Leak.RUNNING_TASKS)      // the watchdog runs until the loop closes; that is the point
    void watchdogOutlivesTheTest(Loop loop) {
        loop.spawn("watchdog", () -> {
            new Event().await();
            return null;
        });
    }
    // @end

}
