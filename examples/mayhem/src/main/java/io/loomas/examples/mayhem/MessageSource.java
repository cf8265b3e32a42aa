package io.loomas.examples.mayhem;

/** Where the consumer pulls messages from: the publisher's queue, in this process or over TCP. */
@FunctionalInterface
public interface MessageSource {

    /** {@return the next message}; blocks the calling task (a scheduling point) until there is one */
    PubSubMessage pull();
}
