package io.loomas.junit;

import io.loomas.sim.Sim;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Sim} assertions of one sweep, added up seed by seed; when JUnit closes the test
 * method's context (after its last seed), reports those a sweep promised and never kept.
 */
final class SweepAssertions implements ExtensionContext.Store.CloseableResource {
    private static final Logger log = LoggerFactory.getLogger(SweepAssertions.class);

    private final String method;
    private final List<String> expected;
    private final boolean fail;
    private final boolean judged; // false for the replay of one seed
    private final ExtensionContext context;
    private final Map<String, Sim.Assertion> total = new TreeMap<>(); // guarded by this
    private int seeds; // guarded by this

    SweepAssertions(String method, List<String> expected, boolean fail, boolean judged, ExtensionContext context) {
        this.method = method;
        this.expected = expected;
        this.fail = fail;
        this.judged = judged;
        this.context = context;
    }

    synchronized void add(List<Sim.Assertion> run) {
        seeds++;
        for (Sim.Assertion a : run) {
            total.merge(a.name(), a, Sim.Assertion::plus);
        }
    }

    /** {@return what the sweep promised and never kept: one line each, or none} */
    synchronized List<String> unsatisfied() {
        return Sim.unkept(total.values(), expected);
    }

    @Override
    public void close() {
        if (!judged) {
            return;
        }
        List<String> missing = unsatisfied();
        if (missing.isEmpty()) {
            return;
        }
        int n;
        synchronized (this) {
            n = seeds;
        }
        List<String> text = new ArrayList<>();
        text.add("in " + n + " seed(s) of " + method + ", the faults never drove the code to what these promise:");
        missing.forEach(m -> text.add("  " + m));
        String report = String.join("\n", text);
        context.publishReportEntry("loomas.unsatisfied", report);
        if (fail) {
            throw new AssertionError(report + "\n(more seeds, other faults, or @SimulationTest(failUnsatisfied = false))");
        }
        log.warn("{}", report);
    }
}
