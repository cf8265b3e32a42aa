package io.loomas.cli;

import io.loomas.channel.Channel;
import io.loomas.channel.ChannelOptions;
import io.loomas.channel.Channels;
import io.loomas.channel.RemoteException;
import io.loomas.channel.Request;
import io.loomas.channel.Server;
import io.loomas.codec.Codec;
import io.loomas.runtime.Future;
import io.loomas.runtime.Loop;
import io.loomas.runtime.Task;
import io.loomas.transport.Address;
import io.loomas.transport.ConnectionClosedException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A server and a client exchanging messages over a real TCP socket on loopback, printing every
 * request and reply: a greeting, structured data, concurrent calls answered out of order, a remote
 * failure and a request the server sends back to the client on the same connection.
 */
final class ChannelDemo {
    private ChannelDemo() {}

    static void run(String[] args, PrintStream out) {
        Codec codec = args.length > 0 ? Codec.byName(args[0]) : Codec.json();
        ChannelOptions options = ChannelOptions.DEFAULT.withCodec(codec);
        out.println("loomas channel demo on Java " + Runtime.version() + ", codec " + codec.name());
        Loop.run(() -> {
            Server server = Channels.startServer(Address.tcp("127.0.0.1", 0), ChannelDemo::serve, options);
            out.println("server  listening on " + server.address());
            try (Channel client = Channels.connect(server.address(), options)) {
                out.println("client  connected from " + client.localAddress());
                call(out, client, "ohai");
                call(out, client, Map.of("instance", "cattle-2f9a", "restarts", 3, "healthy", false));

                out.println("client  sends 5 requests at once; each is served in its own task, so the quick ones come back first");
                List<Task<Object>> calls = new ArrayList<>();
                for (int i = 1; i <= 5; i++) {
                    int n = i;
                    calls.add(Loop.current().spawn("call-" + n, () -> call(out, client, "sleep " + (6 - n))));
                }
                Future.all(calls).await();

                out.println("client  -> divide 1 0   (the server's handler fails; its failure comes back as the reply)");
                try {
                    client.send("divide 1 0");
                } catch (RemoteException e) {
                    out.println("client  <- failure: " + e.remoteType() + ": " + e.remoteMessage()
                            + " (origin " + e.origin() + ")");
                }

                // The server may call the client too, on the same connection.
                Task<Object> answering = Loop.current().spawn("client-receiver", () -> {
                    Request r = client.recv();
                    out.println("client  <- request from the server: " + r.content());
                    r.reply("pong");
                    return null;
                });
                call(out, client, "ping me");
                answering.await();
            } finally {
                server.close();
                server.awaitClosed();
            }
            out.println("server  closed; bye");
            return null;
        });
    }

    private static Object call(PrintStream out, Channel client, Object content) {
        out.println("client  -> " + content);
        Object reply = client.send(content);
        out.println("client  <- " + reply + "   (for " + content + ")");
        return reply;
    }

    /** The server's side of one connection: answers until the client hangs up. */
    private static void serve(Channel channel) {
        while (true) {
            Request request;
            try {
                request = channel.recv();
            } catch (ConnectionClosedException e) {
                return;
            }
            Object content = request.content();
            // Each request is handled in its own task, so slow ones do not hold up the others.
            Loop.current().spawn("request-" + request.id(), () -> {
                handle(channel, request, content);
                return null;
            });
        }
    }

    private static void handle(Channel channel, Request request, Object content) {
        if (content instanceof String s && s.startsWith("sleep ")) {
            int tenths = Integer.parseInt(s.substring(6));
            Loop.current().clock().sleep(java.time.Duration.ofMillis(20L * tenths));
            request.reply("slept " + tenths);
        } else if ("divide 1 0".equals(content)) {
            request.fail(new ArithmeticException("/ by zero"));
        } else if ("ping me".equals(content)) {
            Object answer = channel.send("ping");
            request.reply("the client said " + answer);
        } else {
            request.reply(content instanceof String s && s.equals("ohai") ? "cya" : Map.of("echo", content));
        }
    }
}
