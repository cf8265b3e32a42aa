package io.loomas.codec;

import io.loomas.codec.internal.RecordShape;
import io.loomas.codec.internal.ValueConverter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * An ordered, immutable registry of custom type serializers; a value's type id is the position at
 * which its serializer was registered.
 *
 * <p>A value of a registered type is written as {@code {"__type__": [typeId, data]}}. Because the
 * type id is the position (0, 1, 2, ...), both peers of a connection must register the same
 * serializers in the same order. Each {@code with...} method returns a new registry and leaves
 * this one unchanged:
 * {@snippet class="io.loomas.snippets.CodecSnippets" region="serializers"}
 *
 * <p>To encode a value, the serializer registered for its exact class is used; failing that, the
 * first registration (in order) whose type the value is an instance of, so a serializer
 * registered for an interface or base class serves every implementation. Registered types take
 * precedence over the built-in encoding rules. The class-to-serializer resolution is cached.
 *
 * <p>Immutable and thread-safe.
 */
public final class Serializers {

    /** The empty registry. */
    public static final Serializers NONE = new Serializers(List.of());

    /** The resolution of a class that matches no registration. */
    static final int UNREGISTERED = -1;

    private final List<TypeSerializer<?>> registrations;
    private final Map<Class<?>, Integer> exact;
    private final ConcurrentHashMap<Class<?>, Integer> resolved = new ConcurrentHashMap<>();

    private Serializers(List<TypeSerializer<?>> registrations) {
        this.registrations = List.copyOf(registrations);
        Map<Class<?>, Integer> byClass = new HashMap<>();
        for (int id = 0; id < this.registrations.size(); id++) {
            byClass.put(this.registrations.get(id).type(), id);
        }
        this.exact = Map.copyOf(byClass);
    }

    /**
     * Returns a registry with this one's serializers plus one for {@code type}, at type id
     * {@link #size()}.
     *
     * @param <T> the registered type
     * @param type the class to register; its subclasses are served too unless registered themselves
     * @param encoder turns a value into encodable wire data; must be thread-safe
     * @param decoder turns decoded wire data back into a value; must be thread-safe
     * @return the new registry; never {@code null}
     * @throws IllegalArgumentException if {@code type} is already registered
     */
    public <T> Serializers with(
            Class<T> type, Function<? super T, ?> encoder, Function<Object, ? extends T> decoder) {
        return with(new TypeSerializer<>(type, encoder, decoder));
    }

    /**
     * Returns a registry with this one's serializers plus one for the record type
     * {@code recordType}, at type id {@link #size()}.
     *
     * <p>The data is a map from component name to component value, in declaration order. Decoding
     * builds the record through its canonical constructor, converting each component's value to
     * the component's declared type by the same strict rules as RPC arguments.
     *
     * @param recordType the record class to register
     * @return the new registry; never {@code null}
     * @throws IllegalArgumentException if {@code recordType} is already registered or is not a
     *     record class
     */
    public Serializers with(Class<? extends Record> recordType) {
        Objects.requireNonNull(recordType, "recordType");
        if (!recordType.isRecord()) {
            throw new IllegalArgumentException("type is not a record class: " + recordType.getName()
                    + " (expected: a class declared with 'record'); use with(type, encoder, decoder)");
        }
        return with(recordSerializer(recordType));
    }

    private static <R extends Record> TypeSerializer<R> recordSerializer(Class<R> recordType) {
        RecordShape shape = RecordShape.of(recordType);
        return new TypeSerializer<>(recordType, shape::toMap,
                data -> ValueConverter.convert(data, recordType));
    }

    /**
     * Returns a registry with this one's serializers followed by all of {@code more}'s, in their
     * order; the type ids of {@code more}'s serializers shift by {@link #size()}.
     *
     * @param more the serializers to append
     * @return the new registry; never {@code null}
     * @throws IllegalArgumentException if a class of {@code more} is already registered here
     */
    public Serializers withAll(Serializers more) {
        Objects.requireNonNull(more, "more");
        Serializers result = this;
        for (TypeSerializer<?> serializer : more.registrations) {
            result = result.with(serializer);
        }
        return result;
    }

    /**
     * Returns a registry with {@code serializer} appended, at type id {@link #size()}. This is the
     * general form: its {@link TypeSerializer#appliesTo()} may pick classes by any rule (the RPC
     * layer registers one for every class that is a service).
     *
     * @return a new registry; this one is unchanged
     * @throws IllegalArgumentException if the serializer's type is registered already
     */
    public Serializers with(TypeSerializer<?> serializer) {
        Objects.requireNonNull(serializer, "serializer");
        Integer existing = exact.get(serializer.type());
        if (existing != null) {
            throw new IllegalArgumentException("type is already registered: "
                    + serializer.type().getName() + " has type id " + existing
                    + " (expected: each class registered once)");
        }
        List<TypeSerializer<?>> grown = new ArrayList<>(registrations.size() + 1);
        grown.addAll(registrations);
        grown.add(serializer);
        return new Serializers(grown);
    }

    /**
     * {@return the number of registered serializers; the next registration gets this type id}
     */
    public int size() {
        return registrations.size();
    }

    /**
     * Returns the serializer registered at {@code typeId}.
     *
     * @param typeId the position of the registration
     * @return the serializer; never {@code null}
     * @throws IndexOutOfBoundsException if {@code typeId} is not in {@code 0..size()-1}
     */
    public TypeSerializer<?> get(int typeId) {
        return registrations.get(typeId);
    }

    /**
     * Returns the type id that serves values of class {@code type}: its exact registration, else
     * the first registration it is assignable to, else {@link #UNREGISTERED}.
     */
    int typeIdFor(Class<?> type) {
        Integer id = resolved.get(type);
        if (id == null) {
            id = resolve(type);
            resolved.putIfAbsent(type, id);
        }
        return id;
    }

    private int resolve(Class<?> type) {
        Integer id = exact.get(type);
        if (id != null && registrations.get(id).appliesTo().test(type)) {
            return id;
        }
        for (int i = 0; i < registrations.size(); i++) {
            if (registrations.get(i).appliesTo().test(type)) {
                return i;
            }
        }
        return UNREGISTERED;
    }

    /** {@return the registered classes in type-id order, for example {@code [0=Point, 1=Instant]}} */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("Serializers[");
        for (int id = 0; id < registrations.size(); id++) {
            text.append(id == 0 ? "" : ", ").append(id).append('=')
                    .append(registrations.get(id).type().getName());
        }
        return text.append(']').toString();
    }
}
