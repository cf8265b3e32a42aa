package com.example.agents;

import io.loomas.agent.Agent;
import io.loomas.agent.Container;
import io.loomas.rpc.Expose;

/** An agent of one's own: greets whoever calls, politely or not. */
public class Greeter extends Agent {
    public Greeter(Container container) {
        super(container);
    }

    @Expose
    public String greet(String name, String punctuation) {
        return "Hello, " + name + punctuation;
    }
}
