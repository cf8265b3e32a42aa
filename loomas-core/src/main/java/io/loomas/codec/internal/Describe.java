package io.loomas.codec.internal;

import java.lang.reflect.Type;

/**
 * Short descriptions of values and types for error messages.
 *
 * <p>Thread-safe (stateless).
 */
public final class Describe {

    private static final int MAX_VALUE_CHARS = 60;

    private Describe() {
    }

    /** {@return the value's text, cut to a readable length, with its type in parentheses} */
    public static String value(Object value) {
        if (value == null) {
            return "null";
        }
        return text(value) + " (" + className(value.getClass()) + ")";
    }

    /** {@return the value's text, quoted if a string, cut to a readable length} */
    public static String text(Object value) {
        String text;
        if (value == null) {
            text = "null";
        } else if (value instanceof CharSequence s) {
            text = "\"" + s + "\"";
        } else if (value instanceof byte[] bytes) {
            text = bytes.length + " bytes";
        } else if (value.getClass().isArray()) {
            text = className(value.getClass());
        } else {
            text = String.valueOf(value);
        }
        return text.length() > MAX_VALUE_CHARS ? text.substring(0, MAX_VALUE_CHARS) + "..." : text;
    }

    /** {@return the simple name for JDK classes (the interface for hidden ones), the full name otherwise} */
    public static String className(Class<?> type) {
        if (type.isArray()) {
            return className(type.getComponentType()) + "[]";
        }
        String name = type.getName();
        if (!name.startsWith("java.")) {
            return name;
        }
        if (!java.lang.reflect.Modifier.isPublic(type.getModifiers())) {
            // Hidden JDK implementations (List12, ListN, ...) are named for their interface.
            for (Class<?> api : new Class<?>[] {java.util.List.class, java.util.Set.class,
                    java.util.Map.class, java.util.Collection.class}) {
                if (api.isAssignableFrom(type)) {
                    return api.getSimpleName();
                }
            }
        }
        return type.getSimpleName();
    }

    /** {@return the type's name as written in source} */
    public static String type(Type type) {
        return type instanceof Class<?> c ? c.getTypeName() : type.getTypeName();
    }
}
