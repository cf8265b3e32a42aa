package io.loomas.sim.examples;

import io.loomas.agent.Agent;
import io.loomas.agent.AgentAddress;
import io.loomas.agent.Container;
import io.loomas.rpc.Expose;
import io.loomas.runtime.CancelledException;
import io.loomas.runtime.Loop;
import io.loomas.runtime.Queue;
import io.loomas.sim.Nemesis;
import io.loomas.sim.Simulation;
import io.loomas.sim.check.History;
import io.loomas.sim.check.Linearizability;
import io.loomas.sim.check.Models;
import io.loomas.transport.Address;
import java.time.Duration;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A register replicated on three or five nodes by majority quorums (Attiya, Bar-Noy and Dolev): a write
 * learns the highest tag from a majority and stores a higher one on a majority; a read takes the
 * value of the highest tag from a majority and, before it answers, writes that back to a majority.
 * The planted bug leaves the write-back out, a classic mistake: a read may then return a value a
 * majority does not hold yet, and a later read the older one, which no order of the operations
 * explains. The test of this example is {@code QuorumRegisterTest}.
 */
public final class QuorumRegister {
    static final int CLIENTS = 3;

    private QuorumRegister() {}

    /** One replica: the value of the highest tag it was given. */
    public static final class Replica extends Agent {
        private long tag;
        private Object value;

        public Replica(Container c) {
            super(c);
        }

        @Expose
        public List<Object> get() {
            return java.util.Arrays.asList(tag, value);
        }

        @Expose
        public void put(long tag, Object value) {
            if (tag > this.tag) {
                this.tag = tag;
                this.value = value;
            }
        }
    }

    /** A client of the register, on its own node. */
    static final class Client {
        private final Simulation sim;
        private final String node;
        private final int id;
        private final boolean writeBack;
        private final List<String> replicas;

        Client(Simulation sim, String node, int id, boolean writeBack, List<String> replicas) {
            this.sim = sim;
            this.node = node;
            this.id = id;
            this.writeBack = writeBack;
            this.replicas = replicas;
        }

        void write(Object value) throws Exception {
            long highest = highest(quorum("get"))[0];
            long tag = (highest / 10 + 1) * 10 + id; // higher than any seen, unique to this writer
            quorum("put", tag, value);
        }

        Object read() throws Exception {
            long[] best = highest(quorum("get"));
            List<Object> replies = lastReplies;
            Object value = replies.get((int) best[1]) instanceof List<?> l ? l.get(1) : null;
            if (writeBack) {
                quorum("put", best[0], value);
            }
            return value;
        }

        private List<Object> lastReplies;

        /** {@return the highest tag among the replies, and the index of the reply that has it} */
        private static long[] highest(List<Object> replies) {
            long[] best = {0, -1};
            for (int i = 0; i < replies.size(); i++) {
                if (replies.get(i) instanceof List<?> l) {
                    long tag = ((Number) l.get(0)).longValue();
                    if (best[1] < 0 || tag > best[0]) {
                        best[0] = tag;
                        best[1] = i;
                    }
                }
            }
            return best;
        }

        /** Calls every replica; returns the replies of the first majority (others are left as null). */
        private List<Object> quorum(String method, Object... args) throws Exception {
            Queue<Object[]> answers = new Queue<>();
            Container here = sim.containerOf(node);
            for (int i = 0; i < replicas.size(); i++) {
                int index = i;
                AgentAddress replica = new AgentAddress(Address.local(replicas.get(i)), "0");
                Loop.current().spawn(node + " " + method + " " + replicas.get(i), () -> {
                    try {
                        Object reply = here.connect(replica, Duration.ofMillis(500))
                                .withTimeout(Duration.ofMillis(500)).call(method, args);
                        answers.put(new Object[] {index, reply});
                    } catch (CancelledException e) {
                        throw e;
                    } catch (Exception e) {
                        answers.put(new Object[] {index, e});
                    }
                    return null;
                });
            }
            Object[] replies = new Object[replicas.size()];
            int majority = replicas.size() / 2 + 1;
            int ok = 0;
            int failed = 0;
            while (ok < majority) {
                Object[] a = answers.take();
                if (a[1] instanceof Exception e) {
                    if (++failed > replicas.size() - majority) {
                        throw new java.io.IOException("no majority answered " + method, e);
                    }
                } else {
                    replies[(int) a[0]] = a[1] == null ? List.of() : a[1];
                    ok++;
                }
            }
            lastReplies = java.util.Arrays.asList(replies);
            return lastReplies;
        }
    }

    /**
     * Runs the register on {@code replicas} nodes under the nemesis, with three clients that each
     * read and write at random, recording every operation, and checks the history.
     *
     * @return the check's result
     */
    public static Linearizability.Result run(Simulation sim, int replicaCount, boolean writeBack, int opsPerClient) {
        List<String> replicas = java.util.stream.IntStream.range(0, replicaCount).mapToObj(i -> "r" + i).toList();
        return sim.run(() -> {
            for (String r : replicas) {
                sim.container(r, Replica::new);
            }
            History history = History.on(sim.clock());
            List<io.loomas.runtime.Task<Object>> clients = new java.util.ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                String node = "c" + c;
                sim.container(node);
                Client client = new Client(sim, node, c, writeBack, replicas);
                RandomGenerator random = sim.random(node);
                int id = c;
                clients.add(Loop.current().spawn("client " + node, () -> {
                    for (int i = 0; i < opsPerClient; i++) {
                        boolean write = random.nextBoolean();
                        Object value = id * 1000 + i;
                        History.Call call = history.invoke(node, write ? new Models.Write(value) : new Models.Read());
                        try {
                            if (write) {
                                client.write(value);
                                call.ok(null);
                            } else {
                                call.ok(client.read());
                            }
                        } catch (CancelledException e) {
                            throw e;
                        } catch (Exception e) {
                            call.info(); // it may have reached a replica or two: unknown
                        }
                        sim.clock().sleep(Duration.ofMillis(random.nextInt(5)));
                    }
                    return null;
                }));
            }
            sim.nemesis(Nemesis.swarm().only(Nemesis.Fault.PARTITION, Nemesis.Fault.LATENCY, Nemesis.Fault.PAUSE,
                    Nemesis.Fault.CLOG).chaosFor(Duration.ofSeconds(10)));
            io.loomas.runtime.Future.all(clients).await();
            return Linearizability.check(history, Models.register());
        });
    }
}
