package io.loomas.rpc;

import java.util.List;
import java.util.Map;

/**
 * A function in a {@link ServiceMap}, called with the arguments as they came from the wire.
 *
 * <p>It may wait (from its first scheduling point on, it has a task of its own); its return value
 * is the reply.
 */
@FunctionalInterface
public interface RemoteFunction {

    /**
     * Handles one call.
     *
     * @param args the positional arguments, decoded (maps, lists, strings, numbers, proxies)
     * @param kwargs the keyword arguments, decoded; empty if none
     * @return the reply
     */
    Object call(List<Object> args, Map<String, Object> kwargs) throws Exception;
}
