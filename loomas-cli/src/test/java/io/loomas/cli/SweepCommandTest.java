package io.loomas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * The sweep, merge and replay commands, run as a user runs them: their own JVMs, forking worker
 * JVMs, with output to a pipe. The target with a planted bug (a write-behind register) fails on
 * some seeds; which ones comes from the seeds alone, so a whole sweep, its shards and its replays
 * must agree.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SweepCommandTest {
    static final String FORGETS = "io.loomas.cli.fixtures.Registers#forgets";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** The whole sweep of 20 seeds of the planted bug on two JVMs, shared by the tests that compare with it. */
    Cli.Result whole;
    JsonNode wholeResults;
    Path wholeDir;

    @BeforeAll
    void sweepTheWholeRange(@TempDir Path shared) throws Exception {
        wholeDir = shared;
        whole = Cli.run(shared, "sweep", FORGETS, "--seeds", "20", "--jobs", "2", "--progress-every", "1", "-o", "out");
        wholeResults = JSON.readTree(shared.resolve("out/results.json").toFile());
    }

    @Test
    void aSweepThatFindsTheBugExitsOneAndGroupsItsFailuresWithAReplayCommand() {
        assertThat(whole.exit()).as(whole.toString()).isEqualTo(1);
        assertThat(wholeResults.get("runs").asLong()).isEqualTo(20);
        assertThat(wholeResults.get("failed").asLong()).isPositive().isLessThan(20);
        assertThat(wholeResults.get("complete").asBoolean()).isTrue();
        long first = wholeResults.get("failures").get(0).get("seed").asLong();
        assertThat(whole.out())
                .contains("loomas sweep " + FORGETS + ": seeds 0..19 on 2 JVMs")
                .contains("failures, grouped by message")
                .contains("not linearizable: the history up to the end of #")
                .contains("replay: loomas replay " + FORGETS + " --seed " + first)
                .contains("-Dloomas.seed=" + first)
                .contains("results: out/results.json");
    }

    @Test
    void offATerminalProgressIsPlainLinesWithoutControlCharacters() {
        assertThat(whole.out()).contains("progress: 20/20 seeds (100%)").doesNotContain("\r").doesNotContain("\033");
        assertThat(whole.out().lines().filter(l -> l.startsWith("progress: "))).allMatch(l -> l.matches(
                "progress: \\d+/20 seeds \\(\\d+%\\), [\\d.]+ seeds/s, ETA \\S+, \\d+ failed"));
        assertThat(whole.out()).contains("FAILED seed ");
    }

    @Test
    void theJUnitXmlHasOneCaseBySeedAndTheFailures() throws Exception {
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(wholeDir.resolve("out/results.xml").toFile());
        var suite = doc.getDocumentElement();
        assertThat(suite.getTagName()).isEqualTo("testsuite");
        assertThat(suite.getAttribute("tests")).isEqualTo("20");
        assertThat(suite.getAttribute("failures")).isEqualTo(wholeResults.get("failed").asText());
        assertThat(doc.getElementsByTagName("testcase").getLength()).isEqualTo(20);
        assertThat(doc.getElementsByTagName("failure").getLength()).isEqualTo(wholeResults.get("failed").asInt());
        assertThat(((org.w3c.dom.Element) doc.getElementsByTagName("testcase").item(0)).getAttribute("name"))
                .isEqualTo("forgets[seed=0]");
    }

    @Test
    void aSweepThatPassesExitsZeroAndAddsUpItsAssertions() throws Exception {
        Cli.Result r = Cli.run(dir, "sweep", "io.loomas.cli.fixtures.Registers#stores", "--seeds", "6", "--jobs", "2", "-o", "out");
        assertThat(r.exit()).as(r.toString()).isEqualTo(0);
        JsonNode results = JSON.readTree(dir.resolve("out/results.json").toFile());
        assertThat(results.get("failed").asLong()).isZero();
        JsonNode totals = results.get("assertions").get(0).get("totals");
        List<String> held = new ArrayList<>();
        totals.forEach(a -> {
            if (a.get("held").asLong() > 0) {
                held.add(a.get("name").asText());
            }
        });
        assertThat(held).contains("a write is stored", "a read finds a value");
        assertThat(r.out()).contains("6 seeds (seeds 0..5)").contains(", 0 failed");
    }

    /**
     * A simulation runs one task at a time: its workers run virtual threads on one carrier, which
     * spares a wake-up of the other carrier at every task switch; a worker option overrides that.
     */
    @Test
    void workersRunVirtualThreadsOnOneCarrierUnlessToldOtherwise() throws Exception {
        Cli.Result one = Cli.run(dir, "sweep", "io.loomas.cli.fixtures.OneCarrier", "--seeds", "2", "--jobs", "1");
        assertThat(one.exit()).as(one.toString()).isEqualTo(0);
        Cli.Result two = Cli.run(dir, "sweep", "io.loomas.cli.fixtures.OneCarrier", "--seeds", "2", "--jobs", "1",
                "--jvm-option=-Djdk.virtualThreadScheduler.parallelism=2", "-o", "two");
        assertThat(two.exit()).as(two.toString()).isEqualTo(1);
        assertThat(two.out()).contains("virtual threads ran on 2 carriers");
    }

    @Test
    void aPromiseNoSeedKeptFailsTheSweep() throws Exception {
        Cli.Result r = Cli.run(dir, "sweep", "io.loomas.cli.fixtures.NeverStores", "--seeds", "3", "--jobs", "1");
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).contains("sometimes/reachable assertions never satisfied")
                .contains("io.loomas.cli.fixtures.NeverStores#idles: expected \"a write is stored\": never reached");
    }

    @Test
    void usageAndSetUpErrorsExitTwoAndSayWhatIsWrong() throws Exception {
        Cli.Result unknownOption = Cli.run(dir, "sweep", FORGETS, "--sedes", "3");
        assertThat(unknownOption.exit()).isEqualTo(2);
        assertThat(unknownOption.err()).contains("Unknown options: '--sedes', '3'").contains("Possible solutions: --seeds");

        Cli.Result noClass = Cli.run(dir, "sweep", "com.example.Missing", "--seeds", "3", "--jobs", "1");
        assertThat(noClass.exit()).as(noClass.toString()).isEqualTo(2);
        assertThat(noClass.err()).contains("no class com.example.Missing on the class path");

        Cli.Result noMethod = Cli.run(dir, "sweep", "io.loomas.cli.fixtures.Registers#forget", "--seeds", "3", "--jobs", "1");
        assertThat(noMethod.exit()).isEqualTo(2);
        assertThat(noMethod.err()).contains("has no @SimulationTest method named forget (it has: forgets, stores)");

        Cli.Result pinned = Cli.run(dir, "sweep", "io.loomas.cli.fixtures.Pinned", "--seeds", "3", "--jobs", "1");
        assertThat(pinned.exit()).isEqualTo(2);
        assertThat(pinned.err()).contains("io.loomas.cli.fixtures.Pinned#replays is pinned to one seed with @Seed");

        Cli.Result badShard = Cli.run(dir, "sweep", FORGETS, "--shard", "3/3");
        assertThat(badShard.exit()).isEqualTo(2);
        assertThat(badShard.err()).contains("shard 3/3 does not exist");

        Cli.Result randomShard = Cli.run(dir, "sweep", FORGETS, "--shard", "0/2", "--random-start");
        assertThat(randomShard.exit()).isEqualTo(2);
        assertThat(randomShard.err()).contains("pass it as --from");

        Cli.Result both = Cli.run(dir, "sweep", FORGETS, "--from", "3", "--random-start");
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("mutually exclusive");

        Cli.Result indexedJob = Cli.start(dir, Map.of("JOB_COMPLETION_INDEX", "1"), "sweep", FORGETS).await();
        assertThat(indexedJob.exit()).isEqualTo(2);
        assertThat(indexedJob.err()).contains("LOOMAS_SHARDS is not");

        Cli.Result noCommand = Cli.run(dir);
        assertThat(noCommand.exit()).isEqualTo(2);
        assertThat(noCommand.err()).contains("name a command");
    }

    @Test
    void shardsInSeparateProcessesTileTheRangeAndMergeIntoTheWholeSweep() throws Exception {
        // Three shards at once, as three machines would run them; one learns its index as a Kubernetes Indexed Job does.
        List<Cli.Started> shards = List.of(
                Cli.start(dir, Map.of(), "sweep", FORGETS, "--seeds", "20", "--shard", "0/3", "--jobs", "1", "-o", "shards"),
                Cli.start(dir, Map.of("JOB_COMPLETION_INDEX", "1", "LOOMAS_SHARDS", "3"), "sweep", FORGETS, "--seeds", "20",
                        "--jobs", "1", "-o", "shards"),
                Cli.start(dir, Map.of(), "sweep", FORGETS, "--seeds", "20", "--shard", "2/3", "--jobs", "1", "-o", "shards"));
        TreeSet<Long> seeds = new TreeSet<>();
        TreeSet<Long> failed = new TreeSet<>();
        long total = 0;
        for (int i = 0; i < 3; i++) {
            Cli.Result r = shards.get(i).await();
            assertThat(r.exit()).as(r.toString()).isIn(0, 1);
            assertThat(r.out()).contains("(shard " + i + "/3 of seeds 0..19)");
            JsonNode results = JSON.readTree(dir.resolve("shards/results-shard-" + i + ".json").toFile());
            JsonNode range = results.get("ranges").get(0);
            for (long s = range.get("from").asLong(); s < range.get("to").asLong(); s++) {
                assertThat(seeds.add(s)).as("seed " + s + " in one shard only").isTrue();
            }
            total += results.get("runs").asLong();
            results.get("failures").forEach(f -> failed.add(f.get("seed").asLong()));
        }
        assertThat(seeds).hasSize(20).first().isEqualTo(0L);
        assertThat(seeds.last()).isEqualTo(19L);
        assertThat(total).isEqualTo(20);
        TreeSet<Long> wholeFailed = new TreeSet<>();
        wholeResults.get("failures").forEach(f -> wholeFailed.add(f.get("seed").asLong()));
        assertThat(failed).as("the shards fail on the seeds the whole sweep failed on").isEqualTo(wholeFailed);

        Cli.Result merged = Cli.run(dir, "merge", "shards/results-shard-0.json", "shards/results-shard-1.json",
                "shards/results-shard-2.json", "-o", "merged.json");
        assertThat(merged.exit()).as(merged.toString()).isEqualTo(1);
        assertThat(merged.out()).contains("loomas merge: 3 results of " + FORGETS + ", covering seeds 0..19")
                .contains("20 seeds").contains(wholeFailed.size() + " failed").contains("replay: loomas replay " + FORGETS
                        + " --seed " + wholeFailed.first());
        JsonNode m = JSON.readTree(dir.resolve("merged.json").toFile());
        assertThat(m.get("runs").asLong()).isEqualTo(20);
        assertThat(m.get("failures")).hasSize(wholeFailed.size());

        Cli.Result twice = Cli.run(dir, "merge", "shards/results-shard-0.json", "shards/results-shard-0.json");
        assertThat(twice.exit()).isEqualTo(2);
        assertThat(twice.err()).contains("two results ran the same seeds");

        Cli.Result missing = Cli.run(dir, "merge", "shards/results-shard-0.json", "shards/results-shard-2.json");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.out()).contains("gaps between them");
    }

    @Test
    void aReplayOfAFailingSeedWritesTheSweepsTraceByteForByte() throws Exception {
        JsonNode failure = wholeResults.get("failures").get(0);
        long seed = failure.get("seed").asLong();
        Path sweepTrace = Path.of(failure.get("trace").asText());
        Cli.Result r = Cli.run(dir, "replay", FORGETS, "--seed", Long.toString(seed), "--trace", "replay.jsonl",
                "--html", "replay.html");
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).contains("seed " + seed + " of " + FORGETS + " failed: not linearizable");
        assertThat(Files.readAllBytes(dir.resolve("replay.jsonl"))).isEqualTo(Files.readAllBytes(sweepTrace));
        String page = Files.readString(dir.resolve("replay.html"));
        assertThat(page).contains("loomas replay " + FORGETS + " --seed " + seed).doesNotContain("<script src")
                .doesNotContain("<link");
        // Self-contained: the only address in the page is the SVG namespace, which is a name, not a download.
        assertThat(java.util.regex.Pattern.compile("https?://[^'\"\\s)]+").matcher(page).results()
                .map(java.util.regex.MatchResult::group).distinct()).containsOnly("http://www.w3.org/2000/svg");

        // The sweep's own trace file makes the same page with view (the replay command aside, which view cannot know).
        Cli.Result view = Cli.run(dir, "view", sweepTrace.toString(), "-o", "view.html");
        assertThat(view.exit()).as(view.toString()).isEqualTo(0);
        assertThat(view.out()).contains("viewer: view.html (" + Files.readAllLines(sweepTrace).size() + " events)");
        assertThat(Files.readString(dir.resolve("view.html"))).contains("<title>loomas trace: Registers.forgets seed " + seed);

        Files.writeString(dir.resolve("not-a-trace.jsonl"), "{\"hello\": 1}\n");
        Cli.Result notATrace = Cli.run(dir, "view", "not-a-trace.jsonl");
        assertThat(notATrace.exit()).isEqualTo(2);
        assertThat(notATrace.err()).contains("not-a-trace.jsonl is not a loomas trace: line 1 is not a trace event");
        assertThat(Cli.run(dir, "view", "missing.jsonl").err()).contains("no trace file missing.jsonl");
    }

    @Test
    void aReplayOfAPassingSeedWritesItsTraceToo() throws Exception {
        Cli.Result r = Cli.run(dir, "replay", "io.loomas.cli.fixtures.Registers#stores", "--seed", "3", "--trace", "t.jsonl");
        assertThat(r.exit()).as(r.toString()).isEqualTo(0);
        assertThat(r.out()).contains("seed 3 of io.loomas.cli.fixtures.Registers#stores passed");
        assertThat(Files.readAllLines(dir.resolve("t.jsonl"))).hasSizeGreaterThan(100);
        assertThat(dir.resolve("t.html")).exists();

        Cli.Result ambiguous = Cli.run(dir, "replay", "io.loomas.cli.fixtures.Registers", "--seed", "3");
        assertThat(ambiguous.exit()).isEqualTo(2);
        assertThat(ambiguous.err()).contains("has 2 @SimulationTest methods");
    }

    @Test
    void aRandomStartIsPrintedFirstAndTheSweepRunsFromIt() throws Exception {
        Cli.Result r = Cli.run(dir, "sweep", "io.loomas.cli.fixtures.Registers#stores", "--seeds", "2", "--random-start",
                "--jobs", "1", "-o", "out");
        assertThat(r.exit()).as(r.toString()).isEqualTo(0);
        String first = r.out().lines().findFirst().orElseThrow();
        assertThat(first).matches("start seed \\d+ \\(random; run these seeds again with --from \\d+\\)");
        long start = Long.parseLong(first.split(" ")[2]);
        JsonNode range = JSON.readTree(dir.resolve("out/results.json").toFile()).get("ranges").get(0);
        assertThat(range.get("from").asLong()).isEqualTo(start);
        assertThat(range.get("to").asLong()).isEqualTo(start + 2);
    }

    @Test
    void failFastStopsAtTheFirstFailure() throws Exception {
        Cli.Result r = Cli.run(dir, "sweep", "io.loomas.cli.fixtures.Forgetful", "--seeds", "50", "--jobs", "1",
                "--fail-fast", "--chunk", "5", "-o", "out");
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        JsonNode results = JSON.readTree(dir.resolve("out/results.json").toFile());
        assertThat(results.get("complete").asBoolean()).isFalse();
        assertThat(results.get("runs").asLong()).isLessThan(50);
        assertThat(r.out()).contains("stopping at the first failure (--fail-fast)")
                .contains("planted: b forgot what a told it before the crash");
    }

    @Test
    void aSweepStoppedWithSigtermKillsItsWorkersAndStillWritesWhatRan() throws Exception {
        Process sweep = Cli.startPiped(dir, "sweep", "io.loomas.cli.fixtures.Registers#stores", "--seeds", "1000",
                "--jobs", "2", "--chunk", "5", "--progress-every", "1", "-o", "out");
        var out = new java.io.BufferedReader(new java.io.InputStreamReader(sweep.getInputStream(),
                java.nio.charset.StandardCharsets.UTF_8));
        // Read what it prints until some seeds have ended: the sweep is then in full flight.
        for (String line; (line = out.readLine()) != null; ) {
            if (line.matches("progress: [1-9]\\d*/1000 .*")) {
                break;
            }
        }
        List<ProcessHandle> workers = sweep.descendants().toList();
        assertThat(workers).hasSizeGreaterThanOrEqualTo(2);
        // A real SIGTERM (Process.destroy would close this end of its output too).
        assertThat(new ProcessBuilder("kill", "-TERM", Long.toString(sweep.pid())).start().waitFor()).isZero();
        StringBuilder rest = new StringBuilder();
        out.lines().forEach(l -> rest.append(l).append('\n'));
        assertThat(sweep.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        for (ProcessHandle w : workers) {
            w.onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(w.isAlive()).as("worker " + w.pid()).isFalse();
        }
        assertThat(rest.toString()).contains("interrupted: stopping the workers").contains("stopped before the end of the range");
        JsonNode results = JSON.readTree(dir.resolve("out/results.json").toFile());
        assertThat(results.get("complete").asBoolean()).isFalse();
        assertThat(results.get("runs").asLong()).isBetween(1L, 999L);
        assertThat(results.get("failed").asLong()).isZero();
    }

    @Test
    void aSeedThatEndsItsJvmOrRunsPastTheTimeoutFailsAloneAndTheRestOfItsChunkRuns() throws Exception {
        Cli.Result r = Cli.run(dir, "sweep", "io.loomas.cli.fixtures.Misbehaves", "--seeds", "8", "--jobs", "1",
                "--chunk", "8", "--seed-timeout", "PT3S", "-o", "out");
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        JsonNode results = JSON.readTree(dir.resolve("out/results.json").toFile());
        assertThat(results.get("runs").asLong()).as("every seed ran, the ones after each bad one in a fresh JVM").isEqualTo(8);
        assertThat(results.get("complete").asBoolean()).isTrue();
        assertThat(results.get("failed").asLong()).isEqualTo(2);
        JsonNode failures = results.get("failures");
        assertThat(failures.get(0).get("seed").asLong()).isEqualTo(3);
        assertThat(failures.get(0).get("message").asText()).startsWith("the worker JVM exited (code 7) while it ran this seed");
        assertThat(failures.get(1).get("seed").asLong()).isEqualTo(5);
        assertThat(failures.get(1).get("message").asText()).startsWith("seed 5 ran longer than 3 s of wall time (--seed-timeout)");
    }

    @Test
    void aScenarioClassIsASweepTarget() throws Exception {
        Cli.Result r = Cli.run(dir, "sweep", "io.loomas.cli.fixtures.Forgetful", "--seeds", "3", "--jobs", "2", "-o", "out");
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).contains("3 x planted: b forgot what a told it before the crash")
                .contains("replay: loomas replay io.loomas.cli.fixtures.Forgetful --seed 0");
    }
}
