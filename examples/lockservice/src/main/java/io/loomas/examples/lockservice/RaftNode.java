package io.loomas.examples.lockservice;

import io.loomas.agent.Agent;
import io.loomas.agent.AgentAddress;
import io.loomas.agent.Container;
import io.loomas.disk.Disk;
import io.loomas.rpc.Expose;
import io.loomas.runtime.CancelledException;
import io.loomas.runtime.Lock;
import io.loomas.runtime.Loop;
import io.loomas.runtime.Promise;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node of the lock service: a Raft peer (Ongaro and Ousterhout, 2014) whose state machine is
 * a {@link LockTable}. Terms, elections with randomized timeouts, log replication, commit on a
 * majority of the current term, and the term, vote and log on the node's {@link Disk}, synced
 * before any answer that depends on them. Clients call {@link #submit}; a node that is not the
 * leader answers {@code ["not-leader", hint]}.
 *
 * <p>The planted bugs ({@link Bugs}) exist to prove that the simulation tests find them.
 */
public final class RaftNode extends Agent {
    private static final Logger log = LoggerFactory.getLogger(RaftNode.class);

    /** Mistakes that can be switched on, for tests that must find them. */
    public enum Bugs {
        /** None: the correct protocol. */
        NONE,
        /** The leader commits an entry as soon as it has it itself: granting on a non-majority. */
        COMMIT_WITHOUT_MAJORITY,
        /** A vote is answered before it is stored, so a node that crashes may vote twice in a term. */
        VOTE_NOT_PERSISTED,
        /** A follower grants votes without checking that the candidate's log is as up to date as its own. */
        NO_LOG_CHECK
    }

    enum Role { FOLLOWER, CANDIDATE, LEADER }

    static final Duration HEARTBEAT = Duration.ofMillis(50);
    static final Duration RPC_TIMEOUT = Duration.ofMillis(200);
    private static final int MAX_ENTRIES = 64;

    private final String self;
    private final Map<String, AgentAddress> peers; // the others, by name
    private final RaftStorage storage;
    private final LockTable machine = new LockTable();
    private final Bugs bugs;
    private final Lock mutex = new Lock(); // serializes the handlers' changes of term, vote and log
    private Role role = Role.FOLLOWER;
    private String leader;
    private long commitIndex;
    private long lastApplied;
    private Duration leaderSince = Duration.ZERO;
    private Duration lastBroadcast = Duration.ZERO;
    private Duration lastHeard;
    private Duration electionTimeout;
    private final Map<String, Long> nextIndex = new TreeMap<>();
    private final Map<String, Long> matchIndex = new TreeMap<>();
    private final Map<String, Boolean> inFlight = new TreeMap<>();
    private final Map<Long, Promise<List<Object>>> waiting = new LinkedHashMap<>();

    /**
     * Starts a node: loads its state from {@code disk} and starts its election timer.
     *
     * @param self this node's name
     * @param peers the other nodes' agents, by name
     */
    public RaftNode(Container container, String self, Map<String, AgentAddress> peers, Disk disk, Bugs bugs) {
        super(container);
        this.self = self;
        this.peers = new TreeMap<>(peers);
        this.bugs = bugs;
        try {
            this.storage = new RaftStorage(disk);
        } catch (IOException e) {
            throw new UncheckedIOException("node " + self + " cannot read its disk", e);
        }
        this.lastHeard = clock().now();
        this.electionTimeout = randomTimeout();
        Loop.current().spawn("raft " + self, this::tick);
    }

    private Duration randomTimeout() {
        return Duration.ofMillis(300 + random().nextInt(300));
    }

    private int majority() {
        return (peers.size() + 1) / 2 + 1;
    }

    // ---- the timer -------------------------------------------------------------------------

    private Object tick() throws IOException {
        while (true) {
            clock().sleep(Duration.ofMillis(10));
            if (role == Role.LEADER) {
                if (clock().now().minus(lastBroadcast).compareTo(HEARTBEAT) >= 0) {
                    replicateAll();
                }
            } else if (clock().now().minus(lastHeard).compareTo(electionTimeout) > 0) {
                startElection();
            }
        }
    }

    private void startElection() throws IOException {
        long term;
        long lastIndex;
        long lastTerm;
        mutex.lock();
        try {
            role = Role.CANDIDATE;
            leader = null;
            term = storage.term() + 1;
            storage.saveTermAndVote(term, self);
            lastHeard = clock().now();
            electionTimeout = randomTimeout();
            lastIndex = storage.lastIndex();
            lastTerm = storage.termAt(lastIndex);
        } finally {
            mutex.unlock();
        }
        log.debug("[{}] starts an election for term {}", self, term);
        int[] votes = {1};
        for (Map.Entry<String, AgentAddress> peer : peers.entrySet()) {
            Loop.current().spawn("vote " + self + "<-" + peer.getKey() + " t" + term, () -> {
                List<?> reply = call(peer.getValue(), "request_vote", term, self, lastIndex, lastTerm);
                while (reply == null) { // unanswered: ask again while the election lasts
                    clock().sleep(Duration.ofMillis(50));
                    if (role != Role.CANDIDATE || storage.term() != term) {
                        return null;
                    }
                    reply = call(peer.getValue(), "request_vote", term, self, lastIndex, lastTerm);
                }
                long theirs = ((Number) reply.get(0)).longValue();
                mutex.lock();
                try {
                    if (theirs > storage.term()) {
                        stepDown(theirs);
                    } else if (Boolean.TRUE.equals(reply.get(1)) && role == Role.CANDIDATE && storage.term() == term
                            && ++votes[0] >= majority()) {
                        becomeLeader();
                    }
                } finally {
                    mutex.unlock();
                }
                return null;
            });
        }
    }

    /** Caller holds the mutex. */
    private void becomeLeader() throws IOException {
        role = Role.LEADER;
        leader = self;
        leaderSince = clock().now();
        log.info("[{}] leads term {}", self, storage.term());
        for (String p : peers.keySet()) {
            nextIndex.put(p, storage.lastIndex() + 1);
            matchIndex.put(p, 0L);
            inFlight.put(p, false);
        }
        // An entry of its own term lets the leader commit what earlier terms left.
        storage.append(List.of(new RaftStorage.Entry(storage.term(), List.of("noop"))));
        replicateAll();
    }

    /** Caller holds the mutex. */
    private void stepDown(long term) throws IOException {
        if (term > storage.term()) {
            storage.saveTermAndVote(term, null);
        }
        if (role == Role.LEADER) {
            log.info("[{}] steps down in term {}", self, term);
            // Answers nobody will get from this leader: their outcome is unknown to the clients.
            waiting.values().forEach(p -> p.fail(new IllegalStateException("leadership lost")));
            waiting.clear();
        }
        // The election timer is not reset here: only a vote granted or a leader heard resets it.
        // Resetting it on every higher term let a node whose log is behind (it can never win) keep
        // the others from ever timing out, as LeaseSimulationTest found: no leader for 30 s.
        role = Role.FOLLOWER;
    }

    // ---- replication -----------------------------------------------------------------------

    private void replicateAll() {
        lastBroadcast = clock().now();
        for (String peer : peers.keySet()) {
            if (!inFlight.getOrDefault(peer, false)) {
                inFlight.put(peer, true);
                long term = storage.term();
                Loop.current().spawn("append " + self + "->" + peer + " t" + term, () -> {
                    try {
                        replicate(peer, term);
                    } finally {
                        inFlight.put(peer, false);
                    }
                    return null;
                });
            }
        }
    }

    private void replicate(String peer, long term) throws IOException {
        long next = nextIndex.get(peer);
        long prev = next - 1;
        long prevTerm = storage.termAt(prev);
        List<Object> entries = new ArrayList<>();
        if (next <= storage.lastIndex()) {
            storage.entriesFrom(next, MAX_ENTRIES).forEach(e -> entries.add(e.toWire()));
        }
        List<?> reply = call(peers.get(peer), "append_entries", term, self, prev, prevTerm, entries, commitIndex);
        if (reply == null) {
            return;
        }
        long theirs = ((Number) reply.get(0)).longValue();
        mutex.lock();
        try {
            if (theirs > storage.term()) {
                stepDown(theirs);
                return;
            }
            if (role != Role.LEADER || storage.term() != term) {
                return;
            }
            long match = ((Number) reply.get(2)).longValue();
            if (Boolean.TRUE.equals(reply.get(1))) {
                matchIndex.put(peer, Math.max(matchIndex.get(peer), match));
                nextIndex.put(peer, matchIndex.get(peer) + 1);
                advanceCommit();
            } else {
                nextIndex.put(peer, Math.max(1, Math.min(next - 1, match + 1)));
            }
        } finally {
            mutex.unlock();
        }
    }

    /** Caller holds the mutex. */
    private void advanceCommit() {
        for (long n = storage.lastIndex(); n > commitIndex; n--) {
            if (storage.termAt(n) != storage.term()) {
                break; // only entries of the current term commit by counting
            }
            int have = storage.durableIndex() >= n ? 1 : 0; // its own copy counts once synced
            for (long m : matchIndex.values()) {
                if (m >= n) {
                    have++;
                }
            }
            int needed = bugs == Bugs.COMMIT_WITHOUT_MAJORITY ? 1 : majority();
            if (have >= needed) {
                commitIndex = n;
                applyCommitted();
                return;
            }
        }
    }

    private void applyCommitted() {
        while (lastApplied < commitIndex) {
            lastApplied++;
            List<Object> result = machine.apply(storage.entry(lastApplied).command());
            Promise<List<Object>> p = waiting.remove(lastApplied);
            if (p != null) {
                p.complete(result);
            }
        }
    }

    /** {@return the reply of {@code method} at {@code peer}, or null if it did not come in time} */
    private List<?> call(AgentAddress peer, String method, Object... args) {
        try {
            return (List<?>) container().connect(peer, RPC_TIMEOUT).withTimeout(RPC_TIMEOUT).call(method, args);
        } catch (CancelledException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            return null; // down, partitioned, slow: the next tick tries again
        }
    }

    // ---- the RPCs between nodes --------------------------------------------------------------

    @Expose("request_vote")
    public List<Object> requestVote(long term, String candidate, long lastIndex, long lastTerm) throws IOException {
        mutex.lock();
        try {
            if (term > storage.term()) {
                stepDown(term);
            }
            long myLast = storage.lastIndex();
            boolean upToDate = lastTerm > storage.termAt(myLast) || (lastTerm == storage.termAt(myLast) && lastIndex >= myLast);
            boolean grant = term == storage.term()
                    && (storage.votedFor() == null || storage.votedFor().equals(candidate))
                    && (upToDate || bugs == Bugs.NO_LOG_CHECK);
            if (grant) {
                lastHeard = clock().now();
                if (bugs == Bugs.VOTE_NOT_PERSISTED) {
                    storage.rememberOnly(term, candidate); // the bug: answered before it is on disk
                    Loop.current().spawn("store the vote later", () -> {
                        clock().sleep(Duration.ofMillis(300));
                        mutex.lock();
                        try {
                            if (storage.term() == term && candidate.equals(storage.votedFor())) {
                                storage.saveTermAndVote(term, candidate);
                            }
                        } finally {
                            mutex.unlock();
                        }
                        return null;
                    });
                    return List.of(storage.term(), true);
                }
                storage.saveTermAndVote(term, candidate);
            }
            return List.of(storage.term(), grant);
        } finally {
            mutex.unlock();
        }
    }

    @Expose("append_entries")
    public List<Object> appendEntries(long term, String from, long prev, long prevTerm, List<Object> entries,
            long leaderCommit) throws IOException {
        mutex.lock();
        try {
            if (term < storage.term()) {
                return List.of(storage.term(), false, 0);
            }
            if (term > storage.term() || role != Role.FOLLOWER) {
                stepDown(term);
            }
            leader = from;
            lastHeard = clock().now();
            if (prev > storage.lastIndex() || storage.termAt(prev) != prevTerm) {
                return List.of(storage.term(), false, Math.min(storage.lastIndex(), prev - 1));
            }
            List<RaftStorage.Entry> fresh = new ArrayList<>();
            long index = prev;
            for (Object wire : entries) {
                RaftStorage.Entry e = RaftStorage.Entry.fromWire(wire);
                index++;
                if (index <= storage.lastIndex()) {
                    if (storage.termAt(index) == e.term()) {
                        continue;
                    }
                    storage.truncateFrom(index);
                }
                fresh.add(e);
            }
            storage.append(fresh);
            long last = prev + entries.size();
            if (leaderCommit > commitIndex) {
                commitIndex = Math.min(leaderCommit, last);
                applyCommitted();
            }
            return List.of(storage.term(), true, last);
        } finally {
            mutex.unlock();
        }
    }

    // ---- clients -------------------------------------------------------------------------------

    /**
     * Runs a client's command on the lock table once a majority has it: {@code ["acquire", name,
     * owner, ttlMillis]}, {@code ["release", name, token]}, {@code ["renew", name, token, ttlMillis]}
     * or {@code ["status", name]}.
     *
     * @return the table's answer, or {@code ["not-leader", hint]} (hint: the leader's name or null)
     */
    @Expose
    public List<Object> submit(List<Object> request) throws IOException {
        Promise<List<Object>> answer = new Promise<>();
        mutex.lock();
        try {
            if (role != Role.LEADER) {
                return java.util.Arrays.asList("not-leader", leader);
            }
            List<Object> command = new ArrayList<>();
            command.add(request.get(0));
            command.add(storage.term());
            command.add(clock().now().minus(leaderSince).toMillis());
            command.addAll(request.subList(1, request.size()));
            storage.append(List.of(new RaftStorage.Entry(storage.term(), command)));
            waiting.put(storage.lastIndex(), answer);
            advanceCommit(); // a majority of one commits at once (a single node, or the planted bug)
        } finally {
            mutex.unlock();
        }
        replicateAll();
        return answer.await(Duration.ofSeconds(2));
    }

    /** {@return who this node thinks leads, and in which term: for status pages and tests} */
    @Expose
    public List<Object> cluster() {
        return java.util.Arrays.asList(self, role.name().toLowerCase(java.util.Locale.ROOT), storage.term(), leader,
                commitIndex);
    }

    boolean isLeader() {
        return role == Role.LEADER;
    }

    long term() {
        return storage.term();
    }
}
