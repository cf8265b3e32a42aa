package io.loomas.cli;

import java.io.PrintStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code loomas demo}: a channel server and client talking over TCP, printing what passes. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "A channel server and client exchanging messages over TCP on loopback, printing what passes.")
final class DemoCommand implements Runnable {
    @Parameters(arity = "0..1", paramLabel = "CODEC", defaultValue = "json", description = "json or msgpack (default: ${DEFAULT-VALUE})")
    String codec;

    @Override
    public void run() {
        ChannelDemo.run(new String[] {codec}, new PrintStream(System.out, true));
    }
}
