package io.loomas.junit.rulesamples;

import java.time.Instant;
import java.util.Random;
import java.util.concurrent.Executors;

/** Agent code that a simulation cannot replay: checked by DeterminismRulesTest, never run. */
public class CarelessAgent {
    long stamp() {
        return System.currentTimeMillis();
    }

    Instant when() {
        return Instant.now();
    }

    int roll() {
        return new Random().nextInt(6);
    }

    double coin() {
        return Math.random();
    }

    void background() throws InterruptedException {
        new Thread(() -> {}).start();
        Thread.sleep(10);
        Executors.newSingleThreadExecutor();
    }
}
