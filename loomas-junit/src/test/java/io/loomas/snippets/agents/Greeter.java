package io.loomas.snippets.agents;

import io.loomas.agent.Agent;
import io.loomas.agent.Container;
import io.loomas.rpc.Expose;
import java.time.Duration;

/** An agent that keeps to what a simulation controls: the checked package of {@code KitSnippets}. */
public class Greeter extends Agent {
    public Greeter(Container c) {
        super(c);
    }

    @Expose
    public String greet(String name) {
        clock().sleep(Duration.ofMillis(10));
        return "Hello, " + name;
    }
}
