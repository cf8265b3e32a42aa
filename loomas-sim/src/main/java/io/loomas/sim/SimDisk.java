package io.loomas.sim;

import io.loomas.disk.Disk;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * A node's {@link Disk} in a simulation: in memory, kept across the node's crashes. Each file has
 * its durable contents (as of its last sync) and the writes since; a crash keeps a seeded prefix
 * of those writes, the last one kept maybe torn (only a prefix of its bytes). A sync takes a
 * little virtual time (0.1 to 2 ms), a scheduling point a crash can fall into. Used from the
 * simulation's tasks only.
 */
final class SimDisk implements Disk {
    /** A write since the last sync: the contents of the file after it, and how many bytes it wrote at which offset. */
    private record Pending(byte[] after, long offset, int length) {}

    private static final class File {
        byte[] durable; // null: not on the disk
        byte[] current; // null: deleted or never written
        final List<Pending> pending = new ArrayList<>();
    }

    private final Simulation sim;
    private final String node;
    private final RandomGenerator random;
    private final Map<String, File> files = new TreeMap<>();

    SimDisk(Simulation sim, String node, RandomGenerator random) {
        this.sim = sim;
        this.node = node;
        this.random = random;
    }

    private File file(String name) {
        return files.computeIfAbsent(Disk.checkName(name), n -> new File());
    }

    @Override
    public byte[] read(String name) {
        byte[] c = file(name).current;
        return c == null ? new byte[0] : c.clone();
    }

    @Override
    public boolean exists(String name) {
        return file(name).current != null;
    }

    @Override
    public List<String> files() {
        return files.entrySet().stream().filter(e -> e.getValue().current != null).map(Map.Entry::getKey).toList();
    }

    @Override
    public void append(String name, byte[] data) {
        File f = file(name);
        byte[] before = f.current == null ? new byte[0] : f.current;
        byte[] after = Arrays.copyOf(before, before.length + data.length);
        System.arraycopy(data, 0, after, before.length, data.length);
        change(f, after, before.length, data.length);
    }

    @Override
    public void write(String name, byte[] data) {
        change(file(name), data.clone(), 0, data.length);
    }

    @Override
    public void truncate(String name, long size) {
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative: " + size);
        }
        File f = file(name);
        byte[] before = f.current == null ? new byte[0] : f.current;
        change(f, Arrays.copyOf(before, (int) Math.min(size, Integer.MAX_VALUE)), 0, 0);
    }

    private static void change(File f, byte[] after, long offset, int length) {
        f.current = after;
        f.pending.add(new Pending(after, offset, length));
    }

    @Override
    public void sync(String name) {
        File f = file(name);
        if (f.current == null) {
            return;
        }
        byte[] syncing = f.current;
        int writes = f.pending.size();
        sim.clock().sleep(syncLatency()); // a crash meanwhile leaves the writes unsynced
        f.durable = syncing;
        f.pending.subList(0, Math.min(writes, f.pending.size())).clear();
    }

    @Override
    public void replace(String name, byte[] data) {
        File f = file(name);
        sim.clock().sleep(syncLatency()); // a crash meanwhile leaves the old contents
        f.current = data.clone();
        f.durable = f.current;
        f.pending.clear();
    }

    @Override
    public void delete(String name) {
        File f = file(name);
        f.current = null;
        f.durable = null;
        f.pending.clear();
    }

    private Duration syncLatency() {
        return Duration.ofNanos(100_000 + random.nextLong(1_900_000));
    }

    /** The node crashed: each file keeps its durable contents and a seeded prefix of its writes since, the last maybe torn. */
    void crash() {
        for (Map.Entry<String, File> e : files.entrySet()) {
            File f = e.getValue();
            if (f.pending.isEmpty()) {
                continue;
            }
            int n = f.pending.size();
            int kept = random.nextInt(n + 1); // 0: every write since the sync is lost
            byte[] result = kept == 0 ? f.durable : f.pending.get(kept - 1).after();
            String what = kept == 0 ? "lost " + n + " unsynced write(s)" : "kept " + kept + " of " + n + " unsynced write(s)";
            if (kept > 0 && random.nextBoolean()) {
                Pending last = f.pending.get(kept - 1);
                byte[] before = kept == 1 ? (f.durable == null ? new byte[0] : f.durable) : f.pending.get(kept - 2).after();
                if (last.length() > 1) {
                    // Torn: only a prefix of the last kept write reached the disk.
                    int landed = random.nextInt(last.length());
                    int end = (int) last.offset() + landed;
                    byte[] torn = Arrays.copyOf(before, Math.max(before.length, end));
                    System.arraycopy(last.after(), (int) last.offset(), torn, (int) last.offset(), landed);
                    result = torn; // an append: the old bytes and part of the new; a rewrite: a mix of both
                    what += ", the last torn after " + landed + " of " + last.length() + " bytes";
                }
            }
            f.durable = result;
            f.current = result;
            f.pending.clear();
            sim.trace("disk", node + "/" + e.getKey() + ": crash " + what);
        }
    }

    @Override
    public String toString() {
        return "SimDisk[" + node + "]";
    }
}
