package io.loomas.rpc;

import io.loomas.codec.internal.ValueConverter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Typed proxies: a Java interface whose methods call the peer's methods of the same names. */
final class RemoteInterfaces {
    private RemoteInterfaces() {}

    static <T> T create(Class<T> api, ProxySerializer binding, String path, Duration timeout) {
        Objects.requireNonNull(api, "api");
        if (!api.isInterface()) {
            throw new IllegalArgumentException("typed proxies need an interface: " + api.getName()
                    + " (expected: an interface whose methods name the remote methods)");
        }
        Object proxy = java.lang.reflect.Proxy.newProxyInstance(api.getClassLoader(), new Class<?>[] {api},
                new Handler(api, binding, path, timeout));
        return api.cast(proxy);
    }

    /** {@return the handler of a typed proxy, or null if {@code o} is none} */
    static Handler handlerOf(Object o) {
        if (o != null && java.lang.reflect.Proxy.isProxyClass(o.getClass())
                && java.lang.reflect.Proxy.getInvocationHandler(o) instanceof Handler h) {
            return h;
        }
        return null;
    }

    static final class Handler implements InvocationHandler {
        final Class<?> api;
        final ProxySerializer binding;
        final String path;
        final Duration timeout; // null: the connection's call timeout

        Handler(Class<?> api, ProxySerializer binding, String path, Duration timeout) {
            this.api = api;
            this.binding = binding;
            this.path = path;
            this.timeout = timeout;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> {
                        Handler other = handlerOf(args[0]);
                        yield other != null && other.binding == binding && other.path.equals(path);
                    }
                    case "hashCode" -> System.identityHashCode(binding) * 31 + path.hashCode();
                    case "toString" -> api.getSimpleName() + "('" + path + "' at " + peer() + ")";
                    default -> throw new UnsupportedOperationException(method.getName());
                };
            }
            if (method.isDefault()) {
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            SubService sub = method.getAnnotation(SubService.class);
            if (sub != null) {
                String name = sub.value().isEmpty() ? method.getName() : sub.value();
                return create(method.getReturnType(), binding, Remote.join(path, name), timeout);
            }
            Expose expose = method.getAnnotation(Expose.class);
            String name = expose != null && !expose.value().isEmpty() ? expose.value() : method.getName();
            List<Object> list = args == null ? List.of() : new ArrayList<>(Arrays.asList(args));
            Object result = binding.client().call(Remote.join(path, name), list, Map.of(), timeout);
            Class<?> returns = method.getReturnType();
            if (returns == void.class || returns == Void.class) {
                return null;
            }
            if (result instanceof Remote r && returns.isInterface() && !returns.isInstance(r)
                    && !returns.getName().startsWith("java.")) {
                return r.as(returns);
            }
            return ValueConverter.convert(result, method.getGenericReturnType());
        }

        private Object peer() {
            RpcConnection c = binding.clientOrNull();
            return c != null ? c.peerAddress() : "?";
        }
    }
}
