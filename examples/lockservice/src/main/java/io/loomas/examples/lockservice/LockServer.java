package io.loomas.examples.lockservice;

import io.helidon.webserver.WebServer;
import io.loomas.agent.AgentAddress;
import io.loomas.agent.Container;
import io.loomas.agent.ContainerOptions;
import io.loomas.disk.Disk;
import io.loomas.runtime.Event;
import io.loomas.runtime.Loop;
import io.loomas.transport.Address;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One node of the lock service as a process: its Raft agent on TCP, its state in a directory, its
 * HTTP API. Arguments:
 * {@code --node n0 --raft 127.0.0.1:7000 --http 127.0.0.1:8000 --data DIR --peer n1=127.0.0.1:7001 --peer n2=...}
 */
public final class LockServer {
    private LockServer() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> one = new LinkedHashMap<>();
        Map<String, AgentAddress> peers = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (args[i].equals("--peer")) {
                String[] p = args[i + 1].split("=", 2);
                peers.put(p[0], new AgentAddress(Address.parse("tcp://" + p[1]), "0"));
            } else {
                one.put(args[i], args[i + 1]);
            }
        }
        for (String required : new String[] {"--node", "--raft", "--http", "--data"}) {
            if (!one.containsKey(required)) {
                System.err.println("missing " + required + "; usage: --node n0 --raft HOST:PORT --http HOST:PORT"
                        + " --data DIR [--peer NAME=HOST:PORT ...]");
                System.exit(2);
            }
        }
        String self = one.get("--node");
        String[] http = one.get("--http").split(":");
        Loop.run(() -> {
            Container container = Container.create(Address.parse("tcp://" + one.get("--raft")), ContainerOptions.DEFAULT);
            RaftNode node = new RaftNode(container, self, peers, Disk.directory(Path.of(one.get("--data"))),
                    RaftNode.Bugs.NONE);
            WebServer server = new HttpApi(Loop.current(), container, node, peers).start(http[0], Integer.parseInt(http[1]));
            System.out.println("lock node " + self + " serving http://" + http[0] + ":" + server.port()
                    + " (raft on " + container.address() + ")");
            new Event().await(); // until the process is stopped
            return null;
        });
    }
}
