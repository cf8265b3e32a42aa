package io.loomas.codec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The serializer registry and registered types on both codecs. */
class SerializersTest {

    record Point(int x, int y) {
    }

    record Line(Point from, Point to, List<Long> weights) {
    }

    interface Service {
        String path();
    }

    record LocalService(String path) implements Service {
    }

    static final class Box {
        final Object content;

        Box(Object content) {
            this.content = content;
        }
    }

    private static Codec codec(String name, Serializers serializers) {
        return Codec.byName(name).withSerializers(serializers);
    }

    @Test
    void typeIdIsThePositionOfRegistration() {
        Serializers serializers = Serializers.NONE.with(Point.class)
                .with(Instant.class, Instant::toString, data -> Instant.parse((String) data));

        assertThat(serializers.size()).isEqualTo(2);
        assertThat(serializers.get(0).type()).isEqualTo(Point.class);
        assertThat(serializers.get(1).type()).isEqualTo(Instant.class);
    }

    @Test
    void registrationLeavesTheOriginalRegistryUnchanged() {
        Serializers base = Serializers.NONE.with(Point.class);

        base.with(Line.class);

        assertThat(base.size()).isEqualTo(1);
        assertThat(Serializers.NONE.size()).isZero();
    }

    @Test
    void registeredRecordIsWrittenAsTypedMapOfComponents() {
        Codec json = codec("json", Serializers.NONE.with(Point.class));

        assertThat(new String(json.encode(new Point(1, 2)), UTF_8))
                .isEqualTo("{\"__type__\": [0, {\"x\": 1, \"y\": 2}]}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "msgpack"})
    void registeredRecordsRoundTripWithConvertedComponents(String name) {
        Codec codec = codec(name, Serializers.NONE.with(Point.class).with(Line.class));
        Line line = new Line(new Point(1, 2), new Point(3, 4), List.of(5L, 6L));

        assertThat(codec.decode(codec.encode(line))).isEqualTo(line);
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "msgpack"})
    void unregisteredRecordDecodesAsPlainMap(String name) {
        Codec codec = Codec.byName(name);

        assertThat(codec.decode(codec.encode(new Point(1, 2)))).isEqualTo(Map.of("x", 1, "y", 2));
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "msgpack"})
    void customSerializerEncodesNestedValuesRecursively(String name) {
        Serializers serializers = Serializers.NONE
                .with(Point.class)
                .with(Box.class, box -> List.of("box", box.content), data -> new Box(((List<?>) data).get(1)));
        Codec codec = codec(name, serializers);

        Object decoded = codec.decode(codec.encode(new Box(List.of(new Point(1, 2), "x"))));

        assertThat(decoded).isInstanceOf(Box.class);
        assertThat(((Box) decoded).content).isEqualTo(List.of(new Point(1, 2), "x"));
    }

    @Test
    void serializerForAnInterfaceServesItsImplementations() {
        Serializers serializers = Serializers.NONE.with(Service.class, Service::path,
                data -> new LocalService((String) data));
        Codec json = codec("json", serializers);

        assertThat(new String(json.encode(new LocalService("agents/0")), UTF_8))
                .isEqualTo("{\"__type__\": [0, \"agents/0\"]}");
    }

    @Test
    void exactRegistrationWinsOverAnEarlierSupertype() {
        Serializers serializers = Serializers.NONE
                .with(Service.class, Service::path, data -> new LocalService((String) data))
                .with(LocalService.class);

        assertThat(new String(codec("json", serializers).encode(new LocalService("a")), UTF_8))
                .isEqualTo("{\"__type__\": [1, {\"path\": \"a\"}]}");
    }

    @Test
    void registeredTypeTakesPrecedenceOverBuiltInRules() {
        Serializers serializers = Serializers.NONE.with(byte[].class,
                bytes -> java.util.Base64.getEncoder().encodeToString(bytes),
                data -> java.util.Base64.getDecoder().decode((String) data));
        Codec json = codec("json", serializers);

        assertThat(new String(json.encode(new byte[] {1, 2}), UTF_8)).isEqualTo("{\"__type__\": [0, \"AQI=\"]}");
        assertThat(json.decode(json.encode(new byte[] {1, 2}))).isEqualTo(new byte[] {1, 2});
    }

    @Test
    void duplicateRegistrationIsRejectedNamingTheExistingId() {
        Serializers serializers = Serializers.NONE.with(Point.class);

        assertThatThrownBy(() -> serializers.with(Point.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("type is already registered: io.loomas.codec.SerializersTest$Point has type id 0"
                        + " (expected: each class registered once)");
    }

    @Test
    void withAllAppendsInOrder() {
        Serializers first = Serializers.NONE.with(Point.class);
        Serializers second = Serializers.NONE.with(Line.class);

        Serializers both = first.withAll(second);

        assertThat(both.size()).isEqualTo(2);
        assertThat(both.get(1).type()).isEqualTo(Line.class);
        assertThatThrownBy(() -> both.withAll(first)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "msgpack"})
    void unknownTypeIdIsAProtocolErrorNamingTheRange(String name) {
        Codec sender = codec(name, Serializers.NONE.with(Point.class).with(Line.class));
        Codec receiver = codec(name, Serializers.NONE.with(Point.class));
        byte[] payload = sender.encode(new Line(new Point(0, 0), new Point(1, 1), List.of()));

        assertThatThrownBy(() -> receiver.decode(payload))
                .isInstanceOf(CodecException.class)
                .hasMessage("unknown __type__ id: 1 (expected: 0..0); both peers must register"
                        + " the same serializers in the same order");
    }

    @Test
    void typedMapWithoutSerializersNamesTheEmptyRange() {
        assertThatThrownBy(() -> Codec.json().decode("{\"__type__\": [0, 1]}".getBytes(UTF_8)))
                .isInstanceOf(CodecException.class)
                .hasMessageStartingWith("unknown __type__ id: 0 (expected: none, no serializers are registered)");
    }

    @Test
    void malformedTypeValueIsRejected() {
        Codec json = codec("json", Serializers.NONE.with(Point.class));

        assertThatThrownBy(() -> json.decode("{\"__type__\": \"x\"}".getBytes(UTF_8)))
                .isInstanceOf(CodecException.class)
                .hasMessage("malformed __type__ value: \"x\" (String) (expected: [type id, data])");
    }

    @Test
    void mapWithTypeKeyAndOtherKeysStaysAMap() {
        Object value = Codec.json().decode("{\"__type__\": [0, 1], \"b\": 2}".getBytes(UTF_8));

        assertThat(value).isEqualTo(Map.of("__type__", List.of(0, 1), "b", 2));
    }

    @Test
    void failingEncoderIsReportedWithTheType() {
        Codec json = codec("json", Serializers.NONE.with(Box.class, box -> {
            throw new IllegalStateException("no");
        }, data -> null));

        assertThatThrownBy(() -> json.encode(new Box(1)))
                .isInstanceOf(CodecException.class)
                .hasMessageStartingWith("serializer for io.loomas.codec.SerializersTest$Box (type id 0) failed to encode")
                .hasCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void nonRecordClassIsRejectedByTheRecordOverload() {
        @SuppressWarnings({"unchecked", "rawtypes"})
        Class<? extends Record> notRecord = (Class) Record.class;

        assertThatThrownBy(() -> Serializers.NONE.with(notRecord))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("type is not a record class: java.lang.Record");
    }
}
