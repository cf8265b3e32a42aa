package io.loomas.cli;

import java.util.Arrays;

/**
 * The {@code loomas} command.
 *
 * <pre>
 * loomas demo [json|msgpack]   a channel server and client talking over TCP, printing what passes
 * loomas help                  this text
 * </pre>
 */
public final class Main {
    private Main() {}

    /** Runs the command named by the first argument ({@code demo} if none). */
    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].contains(" ")) {
            args = args[0].trim().split("\\s+"); // mvn exec:exec -Dloomas.args="demo msgpack" passes one argument
        }
        String command = args.length == 0 ? "demo" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (command) {
            case "demo" -> ChannelDemo.run(rest, System.out);
            case "help", "-h", "--help" -> System.out.println(usage());
            default -> {
                System.err.println("loomas: unknown command: " + command + "\n" + usage());
                System.exit(2);
            }
        }
    }

    private static String usage() {
        return """
                usage: loomas <command>
                  demo [json|msgpack]   a channel server and client talking over TCP, printing what passes
                  help                  this text""";
    }
}
