package io.loomas.junit;

import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The transport and codec of one {@link TransportTest} invocation: registered with that invocation
 * only, it leaves them in the invocation's store, where {@link LoomasExtension} finds them when it
 * makes the {@link TransportContext}.
 */
record TransportCase(TransportKind transport, CodecKind codec) implements BeforeEachCallback {
    static final TransportCase DEFAULT = new TransportCase(TransportKind.TCP, CodecKind.JSON);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(LoomasExtension.NAMESPACE).put(TransportCase.class, this);
    }

    @Override
    public String toString() {
        return transport.label() + "/" + codec.label();
    }
}
