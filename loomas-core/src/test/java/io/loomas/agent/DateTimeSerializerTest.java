package io.loomas.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomas.codec.Codec;
import io.loomas.codec.CodecException;
import io.loomas.codec.Serializers;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** The container's date-time serializer writes what aiomas writes, at type id 0. */
class DateTimeSerializerTest {
    private final Codec json = Codec.json().withSerializers(Serializers.NONE.with(DateTimeSerializer.create()));

    private String encode(Object value) {
        return new String(json.encode(value), StandardCharsets.UTF_8);
    }

    @Test
    void datesAreIsoTextWithAnOffsetAtTypeIdZero() {
        OffsetDateTime t = OffsetDateTime.of(2016, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
        assertThat(encode(t)).isEqualTo("{\"__type__\": [0, \"2016-01-01T00:00:00+00:00\"]}");
        assertThat(encode(t.withNano(123_456_789))).isEqualTo("{\"__type__\": [0, \"2016-01-01T00:00:00.123456+00:00\"]}");
        assertThat(encode(Instant.parse("2016-01-01T00:00:00Z"))).isEqualTo("{\"__type__\": [0, \"2016-01-01T00:00:00+00:00\"]}");
        assertThat(encode(ZonedDateTime.of(2016, 6, 1, 12, 0, 0, 0, ZoneId.of("Europe/Berlin"))))
                .isEqualTo("{\"__type__\": [0, \"2016-06-01T12:00:00+02:00\"]}");
    }

    @Test
    void datesDecodeToOffsetDateTimes() {
        Object decoded = json.decode("{\"__type__\": [0, \"2016-01-01T00:00:00.5+01:00\"]}".getBytes(StandardCharsets.UTF_8));
        assertThat(decoded).isEqualTo(OffsetDateTime.of(2016, 1, 1, 0, 0, 0, 500_000_000, ZoneOffset.ofHours(1)));
        assertThatThrownBy(() -> json.decode("{\"__type__\": [0, \"yesterday\"]}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(CodecException.class).hasMessageContaining("malformed date-time: \"yesterday\"");
    }
}
