package io.loomas.rpc;

import io.loomas.codec.Codec;
import io.loomas.codec.CodecException;
import io.loomas.codec.Serializers;
import io.loomas.codec.TypeSerializer;
import java.util.function.Function;

/**
 * The service/proxy serializer of one RPC connection: a local service travels as its path in the
 * local service tree; what arrives becomes a {@link Remote} that calls back over this connection.
 * It is registered after the user's serializers, as aiomas does.
 */
final class ProxySerializer implements Function<Object, Object> {
    private volatile RpcConnection client;

    /** {@return {@code codec} with this connection's serializer appended} */
    static Codec appendTo(Codec codec) {
        ProxySerializer proxies = new ProxySerializer();
        TypeSerializer<Object> serializer = new TypeSerializer<>(Object.class, ProxySerializer::applies,
                proxies::encode, proxies);
        Serializers all = codec.serializers().with(serializer);
        return codec.withSerializers(all);
    }

    /** {@return the proxy serializer a codec made by {@link #appendTo} carries} */
    static ProxySerializer of(Codec codec) {
        Serializers s = codec.serializers();
        if (s.size() > 0 && s.get(s.size() - 1).decoder() instanceof ProxySerializer p) {
            return p;
        }
        throw new IllegalStateException("codec " + codec.name() + " has no RPC proxy serializer: " + s);
    }

    private static boolean applies(Class<?> type) {
        return Remote.class.isAssignableFrom(type) || java.lang.reflect.Proxy.isProxyClass(type)
                || ServiceShape.isService(type);
    }

    void bind(RpcConnection c) {
        this.client = c;
    }

    RpcConnection client() {
        RpcConnection c = client;
        if (c == null) {
            throw new IllegalStateException("RPC connection is not set up yet");
        }
        return c;
    }

    RpcConnection clientOrNull() {
        return client;
    }

    private Object encode(Object value) {
        if (value instanceof Remote || RemoteInterfaces.handlerOf(value) != null) {
            throw new CodecException("cannot send proxy " + value + " (expected: a local service; a proxy names a"
                    + " service of the peer, so send its address or path instead)");
        }
        if (java.lang.reflect.Proxy.isProxyClass(value.getClass())) {
            throw new CodecException("cannot encode value of type " + value.getClass().getName()
                    + " (expected: a JSON/MsgPack value, a record, a registered type or a service)");
        }
        Router router = client().router();
        if (router == null) {
            throw new CodecException("cannot send service " + value + ": this side of " + client()
                    + " serves no service tree (expected: connect with a service to pass services)");
        }
        try {
            return router.pathOf(value);
        } catch (IllegalArgumentException e) {
            throw new CodecException("cannot send service " + value + ": " + e.getMessage(), e);
        }
    }

    /** Decodes a path into a proxy on this connection. */
    @Override
    public Object apply(Object data) {
        if (!(data instanceof String path)) {
            throw new CodecException("service reference is not a path: " + data + " (expected: a string)");
        }
        return new Remote(this, path);
    }
}
