package io.loomas.codec.internal;

import io.loomas.codec.CodecException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reflective view of one record class, cached per class: its component names, declared
 * types, accessors and canonical constructor.
 *
 * <p>Immutable and thread-safe.
 */
public final class RecordShape {

    private static final ClassValue<RecordShape> SHAPES = new ClassValue<>() {
        @Override
        protected RecordShape computeValue(Class<?> type) {
            return new RecordShape(type);
        }
    };

    private final Class<?> type;
    private final String[] names;
    private final Type[] types;
    private final Method[] accessors;
    private final Constructor<?> constructor;

    private RecordShape(Class<?> type) {
        this.type = type;
        RecordComponent[] components = type.getRecordComponents();
        names = new String[components.length];
        types = new Type[components.length];
        accessors = new Method[components.length];
        Class<?>[] rawTypes = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            names[i] = components[i].getName();
            types[i] = components[i].getGenericType();
            rawTypes[i] = components[i].getType();
            accessors[i] = components[i].getAccessor();
            makeAccessible(accessors[i]);
        }
        try {
            constructor = type.getDeclaredConstructor(rawTypes);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("record has no canonical constructor: " + type.getName(), e);
        }
        makeAccessible(constructor);
    }

    private static void makeAccessible(java.lang.reflect.AccessibleObject member) {
        try {
            member.setAccessible(true);
        } catch (RuntimeException notOpened) {
            // Public members of public records still work; others fail later with a clear message.
        }
    }

    /** {@return the shape of {@code type}, which must be a record class} */
    public static RecordShape of(Class<?> type) {
        return SHAPES.get(type);
    }

    /** {@return the component names in declaration order} */
    public List<String> names() {
        return Arrays.asList(names.clone());
    }

    public int size() {
        return names.length;
    }

    public String name(int index) {
        return names[index];
    }

    public Type type(int index) {
        return types[index];
    }

    /** {@return the value of component {@code index} of {@code record}} */
    public Object get(Object record, int index) {
        try {
            return accessors[index].invoke(record);
        } catch (IllegalAccessException e) {
            throw inaccessible(e);
        } catch (InvocationTargetException e) {
            throw new CodecException("record accessor failed: " + type.getName() + "." + names[index]
                    + "() threw " + e.getCause(), e.getCause());
        }
    }

    /** {@return the components of {@code record} as a map from name to value, in declaration order} */
    public Map<String, Object> toMap(Object record) {
        Map<String, Object> map = LinkedHashMap.newLinkedHashMap(names.length);
        for (int i = 0; i < names.length; i++) {
            map.put(names[i], get(record, i));
        }
        return map;
    }

    /** {@return a new record built by the canonical constructor from {@code values}} */
    public Object construct(Object[] values) {
        try {
            return constructor.newInstance(values);
        } catch (IllegalAccessException e) {
            throw inaccessible(e);
        } catch (InstantiationException e) {
            throw new CodecException("record cannot be instantiated: " + type.getName(), e);
        } catch (InvocationTargetException e) {
            throw new CodecException("record constructor rejected the values: " + type.getName()
                    + Arrays.toString(values) + " threw " + e.getCause(), e.getCause());
        }
    }

    private CodecException inaccessible(IllegalAccessException e) {
        return new CodecException("record is not accessible: " + type.getName()
                + " (expected: a public record, or its package opened to io.loomas.core);"
                + " make the record public or open its package", e);
    }
}
