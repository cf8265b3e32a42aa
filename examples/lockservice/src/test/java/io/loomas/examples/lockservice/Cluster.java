package io.loomas.examples.lockservice;

import io.loomas.agent.AgentAddress;
import io.loomas.agent.Container;
import io.loomas.runtime.CancelledException;
import io.loomas.sim.Simulation;
import io.loomas.transport.Address;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/** A lock-service cluster in a simulation, and a client that finds its leader. */
final class Cluster {
    final Simulation sim;
    final List<String> nodes;

    Cluster(Simulation sim, int size, RaftNode.Bugs bugs) throws IOException {
        this.sim = sim;
        this.nodes = IntStream.range(0, size).mapToObj(i -> "n" + i).toList();
        for (String node : nodes) {
            Map<String, AgentAddress> peers = new LinkedHashMap<>();
            for (String other : nodes) {
                if (!other.equals(node)) {
                    peers.put(other, agent(other));
                }
            }
            sim.container(node, c -> new RaftNode(c, node, peers, sim.disk(node), bugs));
        }
    }

    static AgentAddress agent(String node) {
        return new AgentAddress(Address.local(node), "0");
    }

    /** {@return the node that leads now in the highest term, or null} */
    String leader() {
        String best = null;
        long term = -1;
        for (String n : nodes) {
            Container c = sim.containerOf(n);
            if (c != null && c.agents().get("0") instanceof RaftNode r && r.isLeader() && r.term() > term) {
                best = n;
                term = r.term();
            }
        }
        return best;
    }

    /** The outcome of a request the client could not be sure of: it may or may not have been applied. */
    static final class Unknown extends Exception {
        Unknown(String why) {
            super(why);
        }
    }

    /** A client on node {@code node}, which asks the leader, following hints. */
    final class Client {
        private final String node;
        private String hint;
        private int next;

        Client(String node) throws IOException {
            this.node = node;
            sim.container(node);
        }

        /**
         * {@return the lock table's answer to {@code request}}
         *
         * @throws Unknown if it was sent to a leader and no answer came (it may have been applied)
         * @throws IOException if no leader was found within {@code patience}
         */
        List<?> request(Duration patience, Object... request) throws Unknown, IOException {
            Duration end = sim.clock().now().plus(patience);
            while (sim.clock().now().compareTo(end) < 0) {
                String target = hint != null ? hint : nodes.get(next++ % nodes.size());
                hint = null;
                Container here = sim.containerOf(node);
                List<?> answer;
                try {
                    answer = (List<?>) here.connect(agent(target), Duration.ofMillis(300))
                            .withTimeout(Duration.ofSeconds(3)).call("submit", List.of(request));
                } catch (CancelledException e) {
                    throw e;
                } catch (IOException e) {
                    sim.clock().sleep(Duration.ofMillis(50)); // not reached: nothing was sent
                    continue;
                } catch (RuntimeException e) {
                    throw new Unknown(target + ": " + e.getMessage()); // sent, and no answer
                }
                if ("not-leader".equals(answer.get(0))) {
                    hint = (String) answer.get(1);
                    sim.clock().sleep(Duration.ofMillis(20));
                    continue;
                }
                return answer;
            }
            throw new IOException("no leader answered within " + patience);
        }
    }
}
