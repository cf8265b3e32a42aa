package io.loomas.codec;

import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A registration of one custom type: its class and the functions that turn its values into wire
 * data and back.
 *
 * <p>The encoder returns any value a {@link Codec} can encode (often a string, list or map); the
 * decoder receives that data as decoded from the wire (lists as {@code List}, maps as
 * {@code Map}, numbers as {@code Integer}/{@code Long}/{@code BigInteger}/{@code Double}) and
 * builds the value again. For a record, {@link Serializers#with(Class)} converts
 * each component to its declared type and needs no decoder of yours.
 *
 * <p>Users create these to register their own types ({@link Serializers#with(TypeSerializer)}).
 *
 * <p>Immutable; thread-safe if both functions are, which they must be: a codec calls them from
 * any thread.
 *
 * @param <T> the registered type
 * @param type the registered class; the values the encoder accepts are instances of it
 * @param appliesTo which classes of values use this serializer (by default: {@code type} and its
 *     subclasses); the codec asks once per class and remembers the answer
 * @param encoder turns a value into wire data; never returns the value itself
 * @param decoder turns wire data back into a value
 */
public record TypeSerializer<T>(
        Class<T> type,
        Predicate<Class<?>> appliesTo,
        Function<? super T, ?> encoder,
        Function<Object, ? extends T> decoder) {

    /** A serializer for {@code type} and its subclasses. */
    public TypeSerializer(Class<T> type, Function<? super T, ?> encoder, Function<Object, ? extends T> decoder) {
        this(type, Objects.requireNonNull(type, "type")::isAssignableFrom, encoder, decoder);
    }

    /**
     * Checks that no component is {@code null}.
     *
     * @throws NullPointerException if any component is {@code null}
     */
    public TypeSerializer {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(appliesTo, "appliesTo");
        Objects.requireNonNull(encoder, "encoder");
        Objects.requireNonNull(decoder, "decoder");
    }

    /**
     * Encodes {@code value} with the encoder after checking its class.
     *
     * @param value an instance of {@link #type()}
     * @return the wire data; may be {@code null}
     * @throws ClassCastException if {@code value} is not an instance of {@link #type()}
     */
    public Object encode(Object value) {
        return encoder.apply(type.cast(value));
    }

    /**
     * Decodes wire {@code data} with the decoder.
     *
     * @param data the decoded wire data; may be {@code null}
     * @return the value; whatever the decoder returns
     */
    public T decode(Object data) {
        return decoder.apply(data);
    }
}
