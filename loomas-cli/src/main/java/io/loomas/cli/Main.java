package io.loomas.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code loomas} command: seed sweeps of simulation tests on forked JVMs (and across machines
 * in shards), replay of one seed with its trace, the trace viewer, merging of shard results, and
 * the channel demo. Exit codes: 0 when everything passed, 1 when a run failed, 2 on a usage or
 * set-up error (the Jepsen and Maelstrom convention).
 */
@Command(name = "loomas", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Sweep, replay and read deterministic simulations of loomas programs.",
        subcommands = {SweepCommand.class, ReplayCommand.class, ViewCommand.class, MergeCommand.class,
                DemoCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every run passed", "1:a run failed (or a sometimes/reachable promise was never kept)",
                "2:a usage or set-up error"})
public final class Main implements Runnable {
    static final int PASSED = 0;
    static final int FAILED = 1;
    static final int SETUP = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: sweep, replay, view, merge or demo");
    }

    /** Runs the command line {@code args} and exits with its exit code. */
    public static void main(String[] args) {
        if (args.length == 1 && args[0].contains(" ")) {
            args = args[0].trim().split("\\s+"); // mvn exec:exec -Dloomas.args="demo msgpack" passes one argument
        }
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** {@return the exit code of running {@code args}, printing to {@code out} and {@code err}} */
    static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out).setErr(err).setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            if (e instanceof SetupException) {
                command.getErr().println(command.getColorScheme().errorText("loomas: " + e.getMessage()));
                return SETUP;
            }
            throw e;
        });
        return cli.execute(args);
    }

    /** The version of the jar, or of the build when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"loomas " + (v == null ? "0.1.0-SNAPSHOT" : v) + " on Java " + Runtime.version()};
        }
    }
}
