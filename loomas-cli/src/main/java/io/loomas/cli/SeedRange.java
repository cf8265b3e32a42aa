package io.loomas.cli;

/**
 * A range of seeds, {@code from} (inclusive) to {@code to} (exclusive), and its deterministic
 * slices: shard {@code i} of {@code n} is the i-th of n contiguous slices whose sizes differ by at
 * most one, so the n shards together are the range, each seed in exactly one.
 *
 * @param from the first seed
 * @param to one past the last seed
 */
record SeedRange(long from, long to) {
    SeedRange {
        if (to < from) {
            throw new IllegalArgumentException("seed range " + from + ".." + to + " ends before it starts");
        }
    }

    /** {@return the range of {@code count} seeds from {@code from}} */
    static SeedRange of(long from, long count) {
        if (count <= 0) {
            throw new IllegalArgumentException("--seeds " + count + ": a sweep runs at least one seed (expected: > 0)");
        }
        if (from > Long.MAX_VALUE - count) {
            throw new IllegalArgumentException("seeds " + from + " + " + count + " run past the largest seed, " + Long.MAX_VALUE);
        }
        return new SeedRange(from, from + count);
    }

    long size() {
        return to - from;
    }

    boolean isEmpty() {
        return to == from;
    }

    /** {@return shard {@code index} (from 0) of {@code count}} */
    SeedRange shard(int index, int count) {
        if (count <= 0 || index < 0 || index >= count) {
            throw new IllegalArgumentException("shard " + index + "/" + count + " does not exist (expected: 0 <= index < count,"
                    + " e.g. --shard 0/4 for the first of four)");
        }
        return new SeedRange(from + at(index, count), from + at(index + 1, count));
    }

    /** {@return where slice {@code index} starts: index * size / count, without overflowing a long} */
    private long at(int index, int count) {
        long size = size();
        return size / count * index + size % count * index / count;
    }

    /** {@return the first {@code n} seeds of this range, and the rest} */
    SeedRange[] split(long n) {
        long cut = Math.min(to, from + n);
        return new SeedRange[] {new SeedRange(from, cut), new SeedRange(cut, to)};
    }

    @Override
    public String toString() {
        return isEmpty() ? "no seeds" : size() == 1 ? "seed " + from : "seeds " + from + ".." + (to - 1);
    }
}
