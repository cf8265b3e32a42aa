package io.loomas.rpc;

import java.util.List;
import java.util.Map;

/**
 * Looks at each incoming call before it reaches its exposed method, in the task running the call, and
 * may refuse it by throwing: the caller gets what it threw as the call's failure (a
 * {@code RemoteException} of its type and message), and the connection goes on. Added with
 * {@link RpcOptions#withInterceptor}; several run in the order they were added.
 *
 * {@snippet class="io.loomas.snippets.RpcSnippets" region="interceptor"}
 */
@FunctionalInterface
public interface CallInterceptor {
    /**
     * Looks at one call.
     *
     * @param path the exposed method's path ({@code "math/add"})
     * @param args its positional arguments, as they arrived
     * @param kwargs its keyword arguments, as they arrived
     * @param caller who calls: address and, over TLS, certificate
     * @throws Exception to refuse the call, with what the caller should be told
     */
    void intercept(String path, List<Object> args, Map<String, Object> kwargs, Caller caller) throws Exception;
}
