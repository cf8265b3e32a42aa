package io.loomas.examples.mayhem;

import java.util.Objects;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * A request to restart one host, as a pub/sub system would deliver it. The flags record what the
 * consumer did with it; they change on the consumer's loop only, so they need no locks.
 */
public final class PubSubMessage {
    private static final String CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";

    private final String messageId;
    private final String instanceName;
    private final String hostname;
    boolean restarted;
    boolean saved;
    boolean acked;
    int extendedCount;

    public PubSubMessage(String messageId, String instanceName) {
        this.messageId = Objects.requireNonNull(messageId, "messageId");
        this.instanceName = Objects.requireNonNull(instanceName, "instanceName");
        this.hostname = instanceName + ".example.net";
    }

    /** {@return a message for a random {@code cattle-xxxx} instance, ids drawn from {@code random}} */
    public static PubSubMessage random(RandomGenerator random) {
        StringBuilder name = new StringBuilder("cattle-");
        for (int i = 0; i < 4; i++) {
            name.append(CHARS.charAt(random.nextInt(CHARS.length())));
        }
        return new PubSubMessage(new UUID(random.nextLong(), random.nextLong()).toString(), name.toString());
    }

    public String messageId() {
        return messageId;
    }

    public String instanceName() {
        return instanceName;
    }

    public String hostname() {
        return hostname;
    }

    public boolean restarted() {
        return restarted;
    }

    public boolean saved() {
        return saved;
    }

    public boolean acked() {
        return acked;
    }

    public int extendedCount() {
        return extendedCount;
    }

    @Override
    public String toString() {
        return "PubSubMessage(instance_name=" + instanceName + ")";
    }
}
