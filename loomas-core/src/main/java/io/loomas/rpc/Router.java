package io.loomas.rpc;

import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves {@code /}-joined paths ({@code "add"}, {@code "math/add"}, {@code "agents/3/spam"}, no
 * leading slash) to the exposed methods and functions of a service tree, and finds the path of a
 * service in it.
 *
 * <p>The tree is made of services (objects with {@link Expose} methods and {@link SubService}
 * fields) and {@link ServiceMap}s. Resolutions through final sub-service fields are cached; paths
 * through a service map are resolved anew each time, so entries added later are reachable. A
 * service may appear in the tree only once.
 *
 * <p>Thread-safe.
 */
public final class Router {
    private final Object root;
    private final ConcurrentHashMap<String, Endpoint> cache = new ConcurrentHashMap<>();
    private final Map<Object, String> paths = Collections.synchronizedMap(new IdentityHashMap<>());

    private Router(Object root) {
        this.root = root;
    }

    /**
     * Creates the router of a service tree.
     *
     * @throws IllegalArgumentException if {@code root} is not a service, or a service appears twice
     *     in the tree
     */
    public static Router of(Object root) {
        Objects.requireNonNull(root, "root");
        if (!ServiceShape.isService(root.getClass())) {
            throw new IllegalArgumentException("not a service: " + root.getClass().getName()
                    + " (expected: an object with @Expose methods or @SubService fields, or a ServiceMap)");
        }
        checkSingleParents(root);
        return new Router(root);
    }

    /** {@return the root service} */
    public Object root() {
        return root;
    }

    /**
     * Finds what {@code path} calls.
     *
     * @throws NoRouteException if a name is not found or the method is not exposed
     */
    Endpoint resolve(String path) {
        Endpoint cached = cache.get(path);
        if (cached != null) {
            return cached;
        }
        if (path.isEmpty() || path.startsWith("/") || path.endsWith("/") || path.contains("//")) {
            throw new NoRouteException("malformed path \"" + excerpt(path)
                    + "\" (expected: names joined by '/', no leading slash)");
        }
        String[] parts = path.split("/");
        Object obj = root;
        boolean cacheable = true;
        for (int i = 0; i < parts.length - 1; i++) {
            Object child;
            if (obj instanceof ServiceMap map) {
                cacheable = false;
                Object entry = map.get(parts[i]);
                child = entry instanceof RemoteFunction ? null : entry;
            } else {
                ServiceShape shape = ServiceShape.of(obj.getClass());
                cacheable &= shape.finalFields;
                var field = shape.subServices.get(parts[i]);
                child = field == null ? null : ServiceShape.read(field, obj);
            }
            if (child == null) {
                throw notFound(parts, i);
            }
            obj = child;
        }
        String last = parts[parts.length - 1];
        Endpoint endpoint;
        if (obj instanceof ServiceMap map) {
            cacheable = false;
            Object entry = map.get(last);
            if (entry instanceof RemoteFunction f) {
                endpoint = new Endpoint.OfFunction(path, f);
            } else if (entry != null) {
                throw notExposed(path);
            } else {
                throw notFound(parts, parts.length - 1);
            }
        } else {
            ServiceShape shape = ServiceShape.of(obj.getClass());
            Method m = shape.methods.get(last);
            if (m != null) {
                endpoint = new Endpoint.OfMethod(path, obj, m);
            } else if (shape.allMethodNames.contains(last) || shape.subServices.containsKey(last)) {
                throw notExposed(path);
            } else {
                throw notFound(parts, parts.length - 1);
            }
        }
        if (cacheable) {
            cache.putIfAbsent(path, endpoint);
        }
        return endpoint;
    }

    /**
     * {@return {@code path} as a metric names it: each name that picks a sub-service out of a
     * service map (an agent's id under {@code agents}) becomes {@code *}, so that one meter serves
     * every agent; {@code null} if the path leads nowhere}
     */
    String route(String path) {
        if (cache.containsKey(path)) {
            return path; // cached: no service map on the way
        }
        try {
            resolve(path);
        } catch (NoRouteException e) {
            return null;
        }
        return routeOfResolved(path);
    }

    /** {@link #route} of a path that {@link #resolve} has just resolved, without resolving it again. */
    String routeOfResolved(String path) {
        if (cache.containsKey(path)) {
            return path;
        }
        String[] parts = path.split("/");
        StringBuilder route = new StringBuilder(path.length());
        Object obj = root;
        for (int i = 0; i < parts.length - 1; i++) {
            Object child;
            if (obj instanceof ServiceMap map) {
                child = map.get(parts[i]);
                route.append('*');
            } else {
                var field = ServiceShape.of(obj.getClass()).subServices.get(parts[i]);
                child = field == null ? null : ServiceShape.read(field, obj);
                route.append(parts[i]);
            }
            if (child == null) {
                return null; // removed meanwhile
            }
            route.append('/');
            obj = child;
        }
        return route.append(parts[parts.length - 1]).toString();
    }

    private static NoRouteException notFound(String[] parts, int index) {
        String prefix = index == 0 ? "" : excerpt(String.join("/", java.util.Arrays.copyOfRange(parts, 0,
                Math.min(index, MAX_QUOTED_CHARS))));
        return new NoRouteException("Name \"" + excerpt(parts[index]) + "\" not found in \"" + prefix + "\"");
    }

    private static NoRouteException notExposed(String path) {
        return new NoRouteException("\"" + excerpt(path) + "\" is not exposed");
    }

    /** How much of a peer's text an error message quotes. */
    static final int MAX_QUOTED_CHARS = 200;

    /**
     * {@return {@code text}, or its first {@value #MAX_QUOTED_CHARS} characters and how long it was}
     * A peer's text goes into error messages, failure replies, logs and task names: quoting all of
     * a 10 MB path would copy it many times over.
     */
    static String excerpt(String text) {
        return text.length() <= MAX_QUOTED_CHARS ? text
                : text.substring(0, MAX_QUOTED_CHARS) + "... (" + text.length() + " characters)";
    }

    /**
     * {@return the path of {@code service} in this tree: "" for the root, "sub" for a sub-service,
     * "agents/3" for an agent}
     *
     * @throws IllegalArgumentException if the service is not in this tree
     */
    String pathOf(Object service) {
        Objects.requireNonNull(service, "service");
        if (service == root) {
            return "";
        }
        String known = paths.get(service);
        if (known != null && lookup(known) == service) {
            return known;
        }
        String found = search(service);
        if (found == null) {
            throw new IllegalArgumentException("service " + service + " is not part of the service tree of " + root
                    + " (expected: the root or one of its sub-services)");
        }
        paths.put(service, found);
        return found;
    }

    /** {@return the service at {@code path}, or null} */
    private Object lookup(String path) {
        Object obj = root;
        for (String name : path.split("/")) {
            Object next = null;
            for (Map.Entry<String, Object> e : ServiceShape.children(obj)) {
                if (e.getKey().equals(name)) {
                    next = e.getValue();
                    break;
                }
            }
            if (next == null) {
                return null;
            }
            obj = next;
        }
        return obj;
    }

    /** Breadth-first search for {@code service}; maps answer by identity without a scan. */
    private String search(Object service) {
        ArrayDeque<Map.Entry<String, Object>> queue = new ArrayDeque<>();
        Map<Object, Boolean> seen = new IdentityHashMap<>();
        queue.add(Map.entry("", root));
        while (!queue.isEmpty()) {
            Map.Entry<String, Object> here = queue.poll();
            Object obj = here.getValue();
            if (seen.put(obj, Boolean.TRUE) != null) {
                continue;
            }
            String prefix = here.getKey().isEmpty() ? "" : here.getKey() + "/";
            if (obj instanceof ServiceMap map) {
                String name = map.nameOf(service);
                if (name != null) {
                    return prefix + name;
                }
            }
            for (Map.Entry<String, Object> child : ServiceShape.children(obj)) {
                if (child.getValue() == service) {
                    return prefix + child.getKey();
                }
                if (child.getValue() instanceof ServiceMap
                        || !ServiceShape.of(child.getValue().getClass()).subServices.isEmpty()) {
                    queue.add(Map.entry(prefix + child.getKey(), child.getValue()));
                }
            }
        }
        return null;
    }

    private static void checkSingleParents(Object root) {
        Map<Object, String> where = new IdentityHashMap<>();
        ArrayDeque<Map.Entry<String, Object>> queue = new ArrayDeque<>();
        queue.add(Map.entry("", root));
        where.put(root, "");
        while (!queue.isEmpty()) {
            Map.Entry<String, Object> here = queue.poll();
            String prefix = here.getKey().isEmpty() ? "" : here.getKey() + "/";
            for (Map.Entry<String, Object> child : ServiceShape.children(here.getValue())) {
                String path = prefix + child.getKey();
                String earlier = where.putIfAbsent(child.getValue(), path);
                if (earlier != null) {
                    throw new IllegalArgumentException("service " + child.getValue() + " appears twice in the tree: at \""
                            + earlier + "\" and at \"" + path + "\" (expected: one parent per service)");
                }
                queue.add(Map.entry(path, child.getValue()));
            }
        }
    }

    @Override
    public String toString() {
        return "Router[" + root + "]";
    }
}
