package io.loomas.rpc;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A live service built from names: each entry is a {@link RemoteFunction} or a sub-service (any
 * service object or another map). Entries added or removed later are seen by the next call.
 *
 * {@snippet class="io.loomas.snippets.RpcSnippets" region="service-map"}
 *
 * <p>A service map can be mounted in one place only: putting a map that is in another map already
 * is an error. Thread-safe.
 */
public final class ServiceMap implements Service {
    private final ReentrantLock lock = new ReentrantLock();
    private final java.util.LinkedHashMap<String, Object> entries = new java.util.LinkedHashMap<>();
    private final IdentityHashMap<Object, String> names = new IdentityHashMap<>();
    private ServiceMap parent; // guarded by lock

    /** Creates an empty map. */
    public ServiceMap() {}

    /** Adds (or replaces) a function. @return this map */
    public ServiceMap with(String name, RemoteFunction function) {
        put(name, function);
        return this;
    }

    /** Adds (or replaces) a sub-service. @return this map */
    public ServiceMap with(String name, Object service) {
        put(name, service);
        return this;
    }

    /**
     * Adds or replaces the entry {@code name}: a {@link RemoteFunction} or a service.
     *
     * @throws IllegalArgumentException if the name is empty or contains '/', or the value is neither
     *     a function nor a service
     * @throws IllegalStateException if the value is a service map mounted elsewhere already
     */
    public void put(String name, Object value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (name.isEmpty() || name.indexOf('/') >= 0) {
            throw new IllegalArgumentException("service name must be non-empty and without '/': \"" + name + "\"");
        }
        if (!(value instanceof RemoteFunction) && !ServiceShape.isService(value.getClass())) {
            throw new IllegalArgumentException("not a function or service: " + value.getClass().getName()
                    + " (expected: a RemoteFunction, a ServiceMap, or an object with @Expose methods)");
        }
        if (value instanceof ServiceMap child) {
            child.adopt(this, name);
        }
        lock.lock();
        try {
            Object old = entries.put(name, value);
            if (old != null) {
                names.remove(old);
                if (old instanceof ServiceMap oldChild && old != value) {
                    oldChild.orphan();
                }
            }
            names.put(value, name);
        } finally {
            lock.unlock();
        }
    }

    /** Removes the entry {@code name}. @return the removed value, or null */
    public Object remove(String name) {
        lock.lock();
        try {
            Object old = entries.remove(name);
            if (old != null) {
                names.remove(old);
                if (old instanceof ServiceMap child) {
                    child.orphan();
                }
            }
            return old;
        } finally {
            lock.unlock();
        }
    }

    /** {@return the entry {@code name}, or null} */
    public Object get(String name) {
        lock.lock();
        try {
            return entries.get(name);
        } finally {
            lock.unlock();
        }
    }

    /** {@return the names of the entries, in insertion order} */
    public List<String> names() {
        lock.lock();
        try {
            return List.copyOf(entries.keySet());
        } finally {
            lock.unlock();
        }
    }

    /** {@return the entries now, in insertion order} */
    public Map<String, Object> entries() {
        lock.lock();
        try {
            return new java.util.LinkedHashMap<>(entries);
        } finally {
            lock.unlock();
        }
    }

    /** {@return the name under which {@code value} is an entry, or null} */
    String nameOf(Object value) {
        lock.lock();
        try {
            return names.get(value);
        } finally {
            lock.unlock();
        }
    }

    private void adopt(ServiceMap newParent, String name) {
        lock.lock();
        try {
            if (parent != null && parent != newParent) {
                throw new IllegalStateException("service map already has a parent; cannot mount it again as \""
                        + name + "\" (expected: one parent per service)");
            }
            parent = newParent;
        } finally {
            lock.unlock();
        }
    }

    private void orphan() {
        lock.lock();
        try {
            parent = null;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "ServiceMap" + names();
    }
}
