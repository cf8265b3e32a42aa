package io.loomas.rpc;

import io.loomas.runtime.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An untyped proxy: a service of the peer, named by its path on one RPC connection.
 *
 * {@snippet class="io.loomas.snippets.RpcSnippets" region="remote"}
 *
 * <p>Calls block the calling task until the reply arrives (a scheduling point) and return the
 * decoded reply: maps, lists, strings, numbers, records as maps, registered types, and proxies for
 * services the peer returned. A failure on the peer's side throws
 * {@link io.loomas.channel.RemoteException}. Two proxies are equal if they name the same path on
 * the same connection. Thread-safe.
 */
public final class Remote {
    private final ProxySerializer binding;
    private final String path;
    private final Duration timeout; // null: the connection's call timeout

    Remote(ProxySerializer binding, String path) {
        this(binding, path, null);
    }

    private Remote(ProxySerializer binding, String path, Duration timeout) {
        this.binding = binding;
        this.path = path;
        this.timeout = timeout;
    }

    /**
     * {@return this proxy with each call bounded by {@code timeout} on the caller's clock (the wait
     * for write room and for the reply), instead of the connection's call timeout; sub-services
     * and typed proxies made from it keep the bound}
     *
     * <p>A call that times out throws {@link io.loomas.runtime.TimeoutException}; its reply, if it
     * still comes, is dropped, and the connection goes on serving the other calls.
     *
     * @throws IllegalArgumentException if {@code timeout} is not positive
     */
    public Remote withTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (!timeout.isPositive()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout + " (expected: > 0)");
        }
        return new Remote(binding, path, timeout);
    }

    /** {@return the path of the service this proxy names; "" for the peer's root service} */
    public String path() {
        return path;
    }

    /** {@return the connection this proxy calls over} */
    public RpcConnection client() {
        return binding.client();
    }

    /** {@return a proxy for the sub-service at {@code subPath} below this one} */
    public Remote at(String subPath) {
        Objects.requireNonNull(subPath, "subPath");
        return new Remote(binding, join(path, subPath), timeout);
    }

    /** {@return a typed proxy of {@code api} for this service} */
    public <T> T as(Class<T> api) {
        return RemoteInterfaces.create(api, binding, path, timeout);
    }

    /**
     * Calls the peer's method {@code method} of this service and waits for the reply.
     *
     * @throws io.loomas.channel.RemoteException if the method failed on the peer (also for unknown
     *     or unexposed names and wrong arguments)
     * @throws io.loomas.transport.ConnectionClosedException if the connection closes first
     * @throws io.loomas.runtime.TimeoutException if this proxy's timeout ({@link #withTimeout}) or
     *     else the connection's call timeout passes first
     */
    public Object call(String method, Object... args) {
        return client().call(join(path, method), Arrays.asList(args), Map.of(), timeout);
    }

    /** Like {@link #call}, with keyword arguments too (matched to parameters by name on the peer). */
    public Object callWithKwargs(String method, List<?> args, Map<String, ?> kwargs) {
        return client().call(join(path, method), new ArrayList<>(args), kwargs, timeout);
    }

    /** Starts the call without waiting; the future completes with the reply. */
    public Future<Object> callAsync(String method, Object... args) {
        return client().callAsync(join(path, method), Arrays.asList(args), Map.of());
    }

    static String join(String base, String name) {
        return base.isEmpty() ? name : name.isEmpty() ? base : base + "/" + name;
    }

    ProxySerializer binding() {
        return binding;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Remote r && r.binding == binding && r.path.equals(path);
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(binding) * 31 + path.hashCode();
    }

    @Override
    public String toString() {
        RpcConnection c = binding.clientOrNull();
        return "Remote('" + path + "' at " + (c != null ? c.peerAddress() : "?") + ")";
    }
}
