package io.loomas.sim;

import io.loomas.runtime.Task;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * One chaos phase of a {@link Nemesis} in one simulation: the profile the seed expanded it into,
 * and the task that injects the faults and undoes them. Used from the simulation's tasks only.
 */
final class NemesisRun {
    private static final Duration MIN_FAULT = Duration.ofMillis(10);
    private static final Duration MAX_FAULT = Duration.ofSeconds(10);

    private final Simulation sim;
    private final Nodes nodes;
    private final Nemesis config;
    private final RandomGenerator random;
    private final Map<Nemesis.Fault, Integer> weights = new LinkedHashMap<>(); // enabled kinds, in enum order
    private final Duration gap;
    private final String profile;
    private final List<Task<?>> undos = new ArrayList<>();
    /** The links (from, to) the partition in force cut, or empty. */
    private final List<String[]> partition = new ArrayList<>();
    /** The slow link in force: from, to, and the latencies to restore each way. */
    private String[] slowLink;
    private Latency[] slowLinkWas;
    private Task<Object> task;
    private boolean over;

    NemesisRun(Simulation sim, Nodes nodes, Nemesis config, RandomGenerator random, FaultPoints faultPoints) {
        this.sim = sim;
        this.nodes = nodes;
        this.config = config;
        this.random = random;
        // The seed expands into the profile: which kinds (swarm), how often each, how often at all.
        EnumSet<Nemesis.Fault> enabled = EnumSet.noneOf(Nemesis.Fault.class);
        for (Nemesis.Fault kind : config.allowed()) {
            if (!config.isSwarm() || random.nextBoolean()) {
                enabled.add(kind);
            }
        }
        if (enabled.isEmpty()) {
            List<Nemesis.Fault> allowed = List.copyOf(config.allowed());
            enabled.add(allowed.get(random.nextInt(allowed.size())));
        }
        String buggify = "";
        if (config.allowed().contains(Nemesis.Fault.BUGGIFY)) {
            if (enabled.remove(Nemesis.Fault.BUGGIFY)) {
                double on = round(0.1 + 0.4 * random.nextDouble());
                double fire = round(0.01 + 0.19 * random.nextDouble());
                faultPoints.setChances(on, fire);
                buggify = ", buggify (" + on + ", " + fire + ")";
            } else {
                faultPoints.setChances(0, 0);
                buggify = ", buggify off";
            }
        }
        for (Nemesis.Fault kind : enabled) {
            weights.put(kind, 1 + random.nextInt(4));
        }
        this.gap = config.meanGap() != null ? config.meanGap() : logUniform(Duration.ofMillis(100), Duration.ofSeconds(5));
        StringBuilder p = new StringBuilder(config.isSwarm() ? "swarm " : "all kinds ");
        if (weights.isEmpty()) {
            p.append("[no periodic faults]");
        } else {
            List<String> kinds = new ArrayList<>();
            weights.forEach((k, w) -> kinds.add(k.name().toLowerCase(Locale.ROOT) + ":" + w));
            p.append(kinds);
        }
        p.append(" every ~").append(gap).append(" for ").append(config.chaos()).append(buggify);
        this.profile = p.toString();
    }

    private static double round(double chance) {
        return Math.round(chance * 1000) / 1000.0;
    }

    String profile() {
        return profile;
    }

    boolean isOver() {
        return over;
    }

    /** {@return the task of the chaos phase, which ends with it} */
    Task<Object> task() {
        return task;
    }

    void start() {
        sim.trace("nemesis", "chaos starts: " + profile);
        task = sim.loop().spawn("nemesis", null, () -> guarded(() -> {
            Duration end = sim.clock().now().plus(config.chaos());
            while (true) {
                Duration wait = exponential(gap);
                Duration left = end.minus(sim.clock().now());
                if (wait.compareTo(left) >= 0) {
                    sim.clock().sleep(left);
                    break;
                }
                sim.clock().sleep(wait);
                injectOne();
            }
            sim.endFaults(); // stops this run too: its undos, slow links, clogs
        }));
    }

    /** Ends the phase: no more faults; pending undos are cancelled, slow links and clogs end here. */
    void stop() {
        if (over) {
            return;
        }
        over = true;
        sim.trace("nemesis", "chaos ends");
        if (task != null && task != Task.current()) {
            task.cancel();
        }
        for (Task<?> undo : undos) {
            undo.cancel();
        }
        undos.clear();
        if (slowLink != null) {
            restoreSlowLink();
        }
        sim.network().unclogAll();
        partition.clear(); // endFaults heals it with the rest
    }

    private void injectOne() {
        undos.removeIf(Task::isDone);
        List<String> touched = touchable();
        if (weights.isEmpty() || touched.isEmpty()) {
            return;
        }
        for (int attempt = 0; attempt < 3; attempt++) {
            if (inject(pickKind(), touched)) {
                return;
            }
        }
    }

    private Nemesis.Fault pickKind() {
        int total = weights.values().stream().mapToInt(Integer::intValue).sum();
        int pick = random.nextInt(total);
        for (Map.Entry<Nemesis.Fault, Integer> e : weights.entrySet()) {
            pick -= e.getValue();
            if (pick < 0) {
                return e.getKey();
            }
        }
        throw new IllegalStateException("weights changed while picking");
    }

    /** {@return the nodes the nemesis may touch now, in the order they appeared} */
    private List<String> touchable() {
        List<String> all = nodes.started();
        if (!config.nodes().isEmpty()) {
            all = all.stream().filter(config.nodes()::contains).toList();
        }
        return all;
    }

    /** {@return whether a fault of {@code kind} was injected (it may not apply now)} */
    private boolean inject(Nemesis.Fault kind, List<String> touched) {
        int n = touched.size();
        Duration lasting = logUniform(MIN_FAULT, MAX_FAULT);
        switch (kind) {
            case PARTITION -> {
                if (n < 2 || !partition.isEmpty()) {
                    return false;
                }
                partition(touched);
                later("heal the partition", lasting, this::healPartition);
            }
            case RESET -> {
                if (n < 2) {
                    return false;
                }
                List<String> two = pickDistinct(touched, 2);
                sim.network().reset(two.get(0), two.get(1));
            }
            case CRASH, PAUSE -> {
                List<String> candidates = new ArrayList<>();
                for (String node : touched) {
                    if ((config.crashable().isEmpty() || config.crashable().contains(node))
                            && sim.containerOf(node) != null && !nodes.isPausedNode(node)) {
                        candidates.add(node);
                    }
                }
                if (candidates.isEmpty() || down(touched) >= Math.max(1, (n - 1) / 2)) {
                    return false;
                }
                String node = candidates.get(random.nextInt(candidates.size()));
                if (kind == Nemesis.Fault.PAUSE) {
                    sim.pause(node, lasting);
                } else {
                    sim.crash(node);
                    later("restart " + node, lasting, () -> {
                        if (sim.containerOf(node) == null) {
                            try {
                                sim.restart(node);
                            } catch (IOException e) {
                                throw new UncheckedIOException("the nemesis could not restart " + node, e);
                            }
                        }
                    });
                }
            }
            case CLOCK -> {
                String node = touched.get(random.nextInt(n));
                Duration jump = Duration.ofMillis(random.nextLong(-10_000, 10_001));
                double drift = round(2e3 * random.nextDouble() - 1e3) / 1e6;
                sim.skewClock(node, jump, drift);
            }
            case LATENCY -> {
                if (n < 2 || slowLink != null) {
                    return false;
                }
                List<String> two = pickDistinct(touched, 2);
                Latency slow = Latency.fixed(logUniform(Duration.ofMillis(50), Duration.ofSeconds(2)));
                slowLink = new String[] {two.get(0), two.get(1)};
                slowLinkWas = new Latency[] {sim.network().linkLatency(two.get(0), two.get(1)),
                        sim.network().linkLatency(two.get(1), two.get(0))};
                sim.network().setLatency(two.get(0), two.get(1), slow);
                sim.network().setLatency(two.get(1), two.get(0), slow);
                later("restore the latency of " + two.get(0) + " <-> " + two.get(1), lasting, this::restoreSlowLink);
            }
            case CLOG -> {
                String node = touched.get(random.nextInt(n));
                Duration shortly = logUniform(MIN_FAULT, Duration.ofSeconds(2));
                sim.network().clog(node);
                later("unclog " + node, shortly, () -> sim.network().unclog(node));
            }
            case BUGGIFY -> {
                return false; // set once, when the phase starts
            }
        }
        return true;
    }

    private int down(List<String> touched) {
        int down = 0;
        for (String node : touched) {
            if (sim.containerOf(node) == null || nodes.isPausedNode(node)) {
                down++;
            }
        }
        return down;
    }

    private void partition(List<String> touched) {
        List<String> shuffled = shuffled(touched);
        int n = shuffled.size();
        int shape = random.nextInt(n >= 3 ? 4 : 3);
        List<String> a;
        List<String> b;
        String bridge = null;
        switch (shape) {
            case 0 -> { // random halves
                int cut = 1 + random.nextInt(n - 1);
                a = shuffled.subList(0, cut);
                b = shuffled.subList(cut, n);
            }
            case 1 -> { // one node isolated
                a = shuffled.subList(0, 1);
                b = shuffled.subList(1, n);
            }
            case 2 -> { // one way
                cut(shuffled.get(0), shuffled.get(1));
                sim.trace("nemesis", "partition one way: " + shuffled.get(0) + " -> " + shuffled.get(1));
                return;
            }
            default -> { // a bridge: the first node reaches both halves of the others
                bridge = shuffled.get(0);
                int cut = 1 + (n - 1) / 2;
                a = shuffled.subList(1, cut);
                b = shuffled.subList(cut, n);
            }
        }
        for (String x : a) {
            for (String y : b) {
                cut(x, y);
                cut(y, x);
            }
        }
        sim.trace("nemesis", "partition " + (bridge != null ? "with bridge " + bridge + ": " : "") + a + " | " + b);
    }

    private void cut(String from, String to) {
        sim.network().partitionOneWay(from, to);
        partition.add(new String[] {from, to});
    }

    private void healPartition() {
        for (String[] link : partition) {
            sim.network().healOneWay(link[0], link[1]);
        }
        partition.clear();
    }

    private void restoreSlowLink() {
        sim.network().restoreLatency(slowLink[0], slowLink[1], slowLinkWas[0]);
        sim.network().restoreLatency(slowLink[1], slowLink[0], slowLinkWas[1]);
        slowLink = null;
        slowLinkWas = null;
    }

    /** Undoes a fault after {@code after}, in a task of its own (cancelled if the phase ends first). */
    private void later(String what, Duration after, Runnable undo) {
        undos.add(sim.loop().spawn("nemesis: " + what, null, () -> guarded(() -> {
            sim.clock().sleep(after);
            if (!over) {
                undo.run();
            }
        })));
    }

    /** A step of the nemesis that may fail. */
    private interface Step {
        void run() throws Exception;
    }

    /** Runs {@code step}; if it fails (a node that cannot restart, say), the run stops at once for it. */
    private Object guarded(Step step) throws Exception {
        try {
            step.run();
        } catch (io.loomas.runtime.CancelledException e) {
            throw e;
        } catch (Exception | Error e) {
            sim.stopAtOnce(e);
            throw e;
        }
        return null;
    }

    private List<String> pickDistinct(List<String> from, int count) {
        return shuffled(from).subList(0, count);
    }

    private List<String> shuffled(List<String> list) {
        List<String> copy = new ArrayList<>(list);
        for (int i = copy.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            String t = copy.get(i);
            copy.set(i, copy.get(j));
            copy.set(j, t);
        }
        return copy;
    }

    private Duration exponential(Duration mean) {
        return Duration.ofNanos(Math.max(1, (long) (-mean.toNanos() * Math.log(1 - random.nextDouble()))));
    }

    /** {@return a duration between min and max, log-uniformly (as likely 10-100 ms as 1-10 s), in whole milliseconds} */
    private Duration logUniform(Duration min, Duration max) {
        double lo = Math.log(min.toNanos());
        double hi = Math.log(max.toNanos());
        long nanos = (long) Math.exp(lo + (hi - lo) * random.nextDouble());
        return Duration.ofMillis(Math.max(1, nanos / 1_000_000));
    }
}
