package io.loomas.testing;

import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/** Prints the JDK the tests run on, once per test run, so the build log shows it. */
public final class RuntimeVersionListener implements TestExecutionListener {
    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        System.out.println("loomas tests run on Java " + Runtime.version() + " (" + System.getProperty("java.home") + ")");
    }
}
