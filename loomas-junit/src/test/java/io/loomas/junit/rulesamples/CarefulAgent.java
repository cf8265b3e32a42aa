package io.loomas.junit.rulesamples;

import io.loomas.agent.Agent;
import io.loomas.agent.Container;
import java.time.Duration;
import java.util.Random;

/** Agent code that uses only what a simulation controls: DeterminismRulesTest finds nothing in it. */
public class CarefulAgent extends Agent {
    public CarefulAgent(Container c) {
        super(c);
    }

    int roll() {
        return new Random(random().nextLong()).nextInt(6) + random().nextInt(6);
    }

    Duration waitABit() {
        clock().sleep(Duration.ofMillis(10));
        return clock().now();
    }
}
