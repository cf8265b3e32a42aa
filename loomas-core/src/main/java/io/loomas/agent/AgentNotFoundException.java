package io.loomas.agent;

/** The exception for an agent address whose container has no agent with that id. */
public class AgentNotFoundException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception with the given message. */
    public AgentNotFoundException(String message) {
        super(message);
    }
}
