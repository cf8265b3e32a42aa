package io.loomas.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.loomas.sim.Sim;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * What a sweep (or several merged) found, as written to its JSON results file and read back by
 * {@code loomas merge}.
 *
 * @param target what was swept, as given on the command line
 * @param ranges the seed ranges run (one for a sweep; one per shard once merged), sorted
 * @param shard the shard this sweep was ({@code "2/8"}), or null for a whole range or a merge
 * @param jobs how many worker JVMs ran it (for a merge, the most of any shard)
 * @param tests the tests of the target, each run for every seed
 * @param runs how many (test, seed) runs ended
 * @param passed how many passed
 * @param failed how many failed
 * @param aborted how many were aborted (an assumption did not hold)
 * @param wallSeconds how long the sweep took (for a merge, the slowest shard)
 * @param complete whether every run of the range ended (false after --fail-fast or an interrupt)
 * @param failures every failed run
 * @param assertions each test's {@code Sim} assertions added up, with what it expects
 * @param errors failures outside any seed (a class that cannot start, say)
 */
record SweepResults(String target, List<Range> ranges, String shard, int jobs, List<String> tests, long runs,
        long passed, long failed, long aborted, double wallSeconds, boolean complete, List<Failure> failures,
        List<TestAssertions> assertions, List<String> errors) {

    /** A range of seeds, from (inclusive) to (exclusive). */
    record Range(long from, long to) {}

    /** One failed run. */
    record Failure(String test, long seed, String message, String trace) {
        /** {@return the first line of the message} */
        String headline() {
            String m = message == null ? "failed" : message.strip();
            int nl = m.indexOf('\n');
            return nl < 0 ? m : m.substring(0, nl);
        }

        /**
         * {@return what failures of one kind share: the test and the first line of the message with
         * its numbers blurred, so "#12 cannot be linearized" and "#40 cannot ..." group together}
         */
        String group() {
            return test + "\n" + headline().replaceAll("\\d+", "N");
        }
    }

    /** One test's assertions over the sweep, and what it promised. */
    record TestAssertions(String test, List<String> expect, boolean failUnsatisfied, List<Sim.Assertion> totals) {
        List<String> unkept() {
            return Sim.unkept(totals, expect);
        }
    }

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** {@return the seeds run in all} */
    long seeds() {
        return ranges.stream().mapToLong(r -> r.to() - r.from()).sum();
    }

    /** {@return the sweep's promises never kept: "test: line" each; only those that fail the sweep if {@code failing}} */
    List<String> unkept(boolean failing) {
        List<String> all = new ArrayList<>();
        for (TestAssertions a : assertions) {
            if (!failing || a.failUnsatisfied()) {
                a.unkept().forEach(line -> all.add(a.test() + ": " + line));
            }
        }
        return all;
    }

    /** {@return whether the sweep passed: no failed run, no error, no promise broken (unless a shard, judged once merged)} */
    boolean passedAll() {
        return failed == 0 && errors.isEmpty() && (shard != null || unkept(true).isEmpty());
    }

    /** {@return the failures grouped by {@link Failure#group()}, the largest group first, then by first seed} */
    List<List<Failure>> groups() {
        Map<String, List<Failure>> byGroup = new LinkedHashMap<>();
        failures.stream().sorted(Comparator.comparing(Failure::test).thenComparingLong(Failure::seed))
                .forEach(f -> byGroup.computeIfAbsent(f.group(), g -> new ArrayList<>()).add(f));
        List<List<Failure>> groups = new ArrayList<>(byGroup.values());
        groups.sort(Comparator.<List<Failure>>comparingInt(List::size).reversed()
                .thenComparingLong(g -> g.get(0).seed()));
        return groups;
    }

    /**
     * {@return the results of several shards (or sweeps) of one target as one}
     *
     * @throws IllegalArgumentException if they are of different targets, or two of them ran a
     *     seed both did (shards of different sizes, say)
     */
    static SweepResults merge(List<SweepResults> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("nothing to merge");
        }
        String target = parts.get(0).target();
        List<Range> ranges = new ArrayList<>();
        for (SweepResults p : parts) {
            if (!p.target().equals(target)) {
                throw new IllegalArgumentException("results of different targets: " + target + " and " + p.target());
            }
            ranges.addAll(p.ranges());
        }
        ranges.sort(Comparator.comparingLong(Range::from));
        List<Range> joined = new ArrayList<>();
        for (Range r : ranges) {
            if (r.to() == r.from()) {
                continue; // an empty shard
            }
            Range last = joined.isEmpty() ? null : joined.get(joined.size() - 1);
            if (last != null && r.from() < last.to()) {
                throw new IllegalArgumentException("two results ran the same seeds: " + describe(last) + " and "
                        + describe(r) + " overlap (shards of one sweep have the same --seeds, --from and N)");
            }
            if (last != null && r.from() == last.to()) {
                joined.set(joined.size() - 1, new Range(last.from(), r.to()));
            } else {
                joined.add(r);
            }
        }
        Map<String, TestAssertions> assertions = new LinkedHashMap<>();
        List<String> tests = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        long runs = 0;
        long passed = 0;
        long failed = 0;
        long aborted = 0;
        double wall = 0;
        int jobs = 0;
        boolean complete = true;
        for (SweepResults p : parts) {
            p.tests().stream().filter(t -> !tests.contains(t)).forEach(tests::add);
            failures.addAll(p.failures());
            errors.addAll(p.errors());
            runs += p.runs();
            passed += p.passed();
            failed += p.failed();
            aborted += p.aborted();
            wall = Math.max(wall, p.wallSeconds());
            jobs = Math.max(jobs, p.jobs());
            complete &= p.complete();
            for (TestAssertions a : p.assertions()) {
                assertions.merge(a.test(), a, (x, y) -> {
                    List<Sim.Assertion> all = new ArrayList<>(x.totals());
                    all.addAll(y.totals());
                    return new TestAssertions(x.test(), x.expect(), x.failUnsatisfied() && y.failUnsatisfied(), all);
                });
            }
        }
        List<TestAssertions> summed = assertions.values().stream().map(a -> {
            Map<String, Sim.Assertion> byName = new TreeMap<>();
            a.totals().forEach(x -> byName.merge(x.name(), x, Sim.Assertion::plus));
            return new TestAssertions(a.test(), a.expect(), a.failUnsatisfied(), List.copyOf(byName.values()));
        }).toList();
        failures.sort(Comparator.comparing(Failure::test).thenComparingLong(Failure::seed));
        return new SweepResults(target, List.copyOf(joined), null, jobs, List.copyOf(tests), runs, passed, failed,
                aborted, wall, complete, List.copyOf(failures), summed, List.copyOf(errors));
    }

    void writeJson(Path file) throws IOException {
        createParent(file);
        JSON.writeValue(file.toFile(), this);
    }

    static SweepResults readJson(Path file) throws IOException {
        return JSON.readValue(file.toFile(), SweepResults.class);
    }

    private static void createParent(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
    }

    /**
     * Writes the runs as a JUnit XML report (the format CI servers read): one test case per run,
     * named {@code method[seed=S]}, with its time; a failure's message and text for those that
     * failed.
     *
     * @param millis each run's wall time by test and seed, for passed runs as well
     */
    void writeJUnitXml(Path file, Map<String, Map<Long, Long>> millis) throws IOException {
        createParent(file);
        Map<String, Failure> failed = new TreeMap<>();
        failures.forEach(f -> failed.put(f.test() + "#" + f.seed(), f));
        try (Writer out = Files.newBufferedWriter(file)) {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeCharacters("\n");
            xml.writeStartElement("testsuite");
            xml.writeAttribute("name", "loomas sweep " + target);
            xml.writeAttribute("tests", Long.toString(runs));
            xml.writeAttribute("failures", Long.toString(failed()));
            xml.writeAttribute("errors", Integer.toString(errors.size()));
            xml.writeAttribute("skipped", Long.toString(aborted));
            xml.writeAttribute("time", String.format(Locale.ROOT, "%.3f", wallSeconds));
            xml.writeCharacters("\n");
            for (Map.Entry<String, Map<Long, Long>> test : millis.entrySet()) {
                String name = test.getKey();
                String className = name.contains("#") ? name.substring(0, name.indexOf('#')) : name;
                String method = name.contains("#") ? name.substring(name.indexOf('#') + 1) : "run";
                for (Map.Entry<Long, Long> run : test.getValue().entrySet()) {
                    xml.writeCharacters("  ");
                    xml.writeStartElement("testcase");
                    xml.writeAttribute("classname", className);
                    xml.writeAttribute("name", method + "[seed=" + run.getKey() + "]");
                    xml.writeAttribute("time", String.format(Locale.ROOT, "%.3f", run.getValue() / 1000.0));
                    Failure f = failed.get(name + "#" + run.getKey());
                    if (f != null) {
                        xml.writeStartElement("failure");
                        xml.writeAttribute("message", f.headline());
                        xml.writeCharacters(f.message() == null ? "" : f.message());
                        xml.writeEndElement();
                    }
                    xml.writeEndElement();
                    xml.writeCharacters("\n");
                }
            }
            for (String error : errors) {
                xml.writeCharacters("  ");
                xml.writeStartElement("testcase");
                xml.writeAttribute("classname", target);
                xml.writeAttribute("name", "setup");
                xml.writeStartElement("error");
                xml.writeAttribute("message", error.lines().findFirst().orElse(""));
                xml.writeCharacters(error);
                xml.writeEndElement();
                xml.writeEndElement();
                xml.writeCharacters("\n");
            }
            xml.writeEndElement();
            xml.writeCharacters("\n");
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** {@return the summary lines a sweep or merge ends with; {@code replay} makes a replay command of a test and seed} */
    List<String> summary(java.util.function.BiFunction<String, Long, String> replay) {
        List<String> lines = new ArrayList<>();
        String what = runs == seeds() ? runs + " seeds" : runs + " runs (" + tests.size() + " tests x " + seeds() + " seeds)";
        lines.add(String.format(Locale.ROOT, "%s%s in %.1f s (%.1f seeds/s), %d failed%s", what,
                ranges.size() == 1 ? " (" + describe(ranges.get(0)) + ")" : " (" + ranges.size() + " ranges)",
                wallSeconds, wallSeconds > 0 ? runs / wallSeconds : 0.0, failed,
                aborted > 0 ? ", " + aborted + " aborted" : ""));
        if (!complete) {
            lines.add("stopped before the end of the range: " + (runs) + " of " + seeds() * tests.size() + " runs ended");
        }
        List<List<Failure>> groups = groups();
        if (!groups.isEmpty()) {
            lines.add("failures, grouped by message (" + groups.size() + (groups.size() == 1 ? " group" : " groups") + "):");
            for (List<Failure> g : groups) {
                Failure first = g.get(0);
                lines.add(String.format(Locale.ROOT, "  %d x %s", g.size(), first.headline()));
                lines.add("      in " + first.test() + ", first at seed " + first.seed()
                        + (g.size() > 1 ? " (also " + seedsOf(g.subList(1, g.size())) + ")" : ""));
                lines.add("      replay: " + replay.apply(first.test(), first.seed()));
                if (first.trace() != null) {
                    lines.add("      trace:  " + first.trace());
                }
            }
        }
        for (String e : errors) {
            lines.add("error outside any seed: " + e.lines().findFirst().orElse(e));
        }
        List<String> unkept = unkept(false);
        if (!unkept.isEmpty()) {
            lines.add("sometimes/reachable assertions never satisfied" + (shard != null ? " in this shard (judged by loomas merge):" : ":"));
            unkept.forEach(u -> lines.add("  " + u));
        }
        return lines;
    }

    private static String seedsOf(List<Failure> rest) {
        List<String> seeds = rest.stream().limit(5).map(f -> Long.toString(f.seed())).toList();
        return "seed" + (rest.size() > 1 ? "s " : " ") + String.join(", ", seeds) + (rest.size() > 5 ? ", ..." : "");
    }

    static String describe(Range r) {
        return r.to() - r.from() == 1 ? "seed " + r.from() : "seeds " + r.from() + ".." + (r.to() - 1);
    }
}
