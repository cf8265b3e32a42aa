package io.loomas.sim;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * The {@link Buggify} sites of one simulation: whether each is enabled for the seed (decided the
 * first time it is reached, from a random stream of its own, so adding a site does not change the
 * others) and whether an enabled one fires each time. Not thread-safe: used from the simulation's
 * tasks, one at a time.
 */
final class FaultPoints {
    private static final RandomGenerator DISABLED = new SplittableRandom(0);

    private final Function<String, RandomGenerator> streams;
    private final BiConsumer<String, String> trace;
    private final Map<String, RandomGenerator> sites = new TreeMap<>();
    private double enabledChance = 0.25;
    private double fireChance = 0.1;

    /**
     * @param streams the simulation's seeded random stream for a name
     * @param trace adds an event (kind, detail) to the simulation's trace
     */
    FaultPoints(Function<String, RandomGenerator> streams, BiConsumer<String, String> trace) {
        this.streams = streams;
        this.trace = trace;
    }

    void setChances(double enabledChance, double fireChance) {
        this.enabledChance = enabledChance;
        this.fireChance = fireChance;
    }

    boolean fires(String site) {
        RandomGenerator r = sites.get(site);
        if (r == null) {
            RandomGenerator stream = streams.apply("buggify:" + site);
            boolean enabled = stream.nextDouble() < enabledChance;
            r = enabled ? stream : DISABLED;
            sites.put(site, r);
            trace.accept("buggify", site + (enabled ? " enabled" : " disabled"));
        }
        if (r == DISABLED) {
            return false;
        }
        boolean fires = r.nextDouble() < fireChance;
        if (fires) {
            trace.accept("buggify", site + " fired");
        }
        return fires;
    }

    /** {@return the sites enabled so far, by name} */
    List<String> enabled() {
        return sites.entrySet().stream().filter(e -> e.getValue() != DISABLED).map(Map.Entry::getKey).toList();
    }
}
