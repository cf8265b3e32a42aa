package io.loomas.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code loomas merge}: the results of a sweep's shards as one summary. */
@Command(name = "merge", mixinStandardHelpOptions = true,
        description = {"Combines the results files of a sweep's shards (loomas sweep --shard I/N) into one summary:",
                "seeds run, failures grouped by message, and the sometimes/reachable promises no shard kept."})
final class MergeCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "RESULTS", description = "results-*.json files of loomas sweep")
    List<Path> files;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "write the merged results here (JSON)")
    Path out;

    @Override
    public Integer call() throws Exception {
        List<SweepResults> parts = new ArrayList<>();
        for (Path f : files) {
            try {
                parts.add(SweepResults.readJson(f));
            } catch (IOException e) {
                throw new SetupException("cannot read " + f + " as results of loomas sweep: " + e.getMessage());
            }
        }
        SweepResults merged;
        try {
            merged = SweepResults.merge(parts);
        } catch (IllegalArgumentException e) {
            throw new SetupException(e.getMessage());
        }
        System.out.println("loomas merge: " + files.size() + " results of " + merged.target() + ", covering "
                + String.join(", ", merged.ranges().stream().map(SweepResults::describe).toList())
                + (merged.ranges().size() > 1 ? " (gaps between them: a shard is missing?)" : ""));
        merged.summary((test, seed) -> SweepCommand.replayCommand(test, seed, null)).forEach(System.out::println);
        if (out != null) {
            merged.writeJson(out);
            System.out.println("results: " + out);
        }
        return merged.passedAll() && merged.complete() && merged.ranges().size() <= 1 ? Main.PASSED : Main.FAILED;
    }
}
