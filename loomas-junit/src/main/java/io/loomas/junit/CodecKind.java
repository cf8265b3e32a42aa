package io.loomas.junit;

import io.loomas.codec.Codec;

/** The codecs a {@link TransportTest} runs with. */
public enum CodecKind {
    /** {@link Codec#json()}. */
    JSON,
    /** {@link Codec#msgpack()}. */
    MSGPACK;

    /** {@return a new codec of this kind} */
    public Codec codec() {
        return this == JSON ? Codec.json() : Codec.msgpack();
    }

    /** {@return the name used in reports: json, msgpack} */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
