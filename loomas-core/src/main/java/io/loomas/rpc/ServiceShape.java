package io.loomas.rpc;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What a service class exposes: its methods by wire name and its sub-service fields; computed once per class. */
final class ServiceShape {
    private static final ClassValue<ServiceShape> SHAPES = new ClassValue<>() {
        @Override
        protected ServiceShape computeValue(Class<?> type) {
            return new ServiceShape(type);
        }
    };

    final Map<String, Method> methods;
    final Map<String, Field> subServices;
    final Set<String> allMethodNames;
    final boolean finalFields;

    private ServiceShape(Class<?> type) {
        Map<String, Method> exposed = new LinkedHashMap<>();
        Map<String, Field> subs = new LinkedHashMap<>();
        Set<String> names = new HashSet<>();
        boolean allFinal = true;
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                names.add(m.getName());
                Expose e = m.getAnnotation(Expose.class);
                if (e == null || m.isSynthetic() || m.isBridge()) {
                    continue;
                }
                if (Modifier.isStatic(m.getModifiers())) {
                    throw new IllegalArgumentException("@Expose on a static method: " + m
                            + " (expected: instance methods only)");
                }
                String name = e.value().isEmpty() ? m.getName() : e.value();
                if (exposed.containsKey(name)) {
                    Method other = exposed.get(name);
                    if (other.getName().equals(m.getName())
                            && java.util.Arrays.equals(other.getParameterTypes(), m.getParameterTypes())) {
                        continue; // overridden in a subclass, which we saw first
                    }
                    throw new IllegalArgumentException("two exposed methods named \"" + name + "\" in "
                            + type.getName() + " (expected: unique names; overloads cannot be told apart on the wire)");
                }
                m.setAccessible(true);
                exposed.put(name, m);
            }
            for (Field f : c.getDeclaredFields()) {
                SubService s = f.getAnnotation(SubService.class);
                if (s == null) {
                    continue;
                }
                String name = s.value().isEmpty() ? f.getName() : s.value();
                f.setAccessible(true);
                subs.putIfAbsent(name, f);
                allFinal &= Modifier.isFinal(f.getModifiers());
            }
        }
        this.methods = Collections.unmodifiableMap(exposed);
        this.subServices = Collections.unmodifiableMap(subs);
        this.allMethodNames = Collections.unmodifiableSet(names);
        this.finalFields = allFinal;
    }

    static ServiceShape of(Class<?> type) {
        return SHAPES.get(type);
    }

    /** {@return whether objects of {@code type} are services: they travel as references, not values} */
    static boolean isService(Class<?> type) {
        if (Service.class.isAssignableFrom(type)) {
            return true;
        }
        if (type.isRecord() || type.isEnum() || type.isArray() || type.isPrimitive()
                || type.getName().startsWith("java.")) {
            return false;
        }
        ServiceShape shape = of(type);
        return !shape.methods.isEmpty() || !shape.subServices.isEmpty();
    }

    /** {@return the sub-services of {@code service}: (name, value) pairs, values non-null} */
    static List<Map.Entry<String, Object>> children(Object service) {
        List<Map.Entry<String, Object>> out = new ArrayList<>();
        if (service instanceof ServiceMap map) {
            for (Map.Entry<String, Object> e : map.entries().entrySet()) {
                if (!(e.getValue() instanceof RemoteFunction)) {
                    out.add(e);
                }
            }
            return out;
        }
        for (Map.Entry<String, Field> e : of(service.getClass()).subServices.entrySet()) {
            Object child = read(e.getValue(), service);
            if (child != null) {
                out.add(Map.entry(e.getKey(), child));
            }
        }
        return out;
    }

    static Object read(Field f, Object target) {
        try {
            return f.get(target);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read sub-service field " + f, e);
        }
    }
}
