package io.loomas.agent;

import io.loomas.codec.CodecException;
import io.loomas.codec.TypeSerializer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.time.temporal.Temporal;

/**
 * The date-time serializer every container connection has at type id 0, as aiomas does: ISO-8601
 * text with an offset, {@code "2016-01-01T00:00:00+00:00"} (with six fraction digits when there are
 * microseconds). {@link OffsetDateTime}, {@link ZonedDateTime} and {@link Instant} (as UTC) are sent;
 * an {@link OffsetDateTime} arrives.
 */
final class DateTimeSerializer {
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");
    private static final DateTimeFormatter OFFSET = DateTimeFormatter.ofPattern("xxx");

    private DateTimeSerializer() {}

    static TypeSerializer<Temporal> create() {
        return new TypeSerializer<>(Temporal.class, DateTimeSerializer::applies, DateTimeSerializer::encode,
                DateTimeSerializer::decode);
    }

    private static boolean applies(Class<?> type) {
        return type == OffsetDateTime.class || type == ZonedDateTime.class || type == Instant.class;
    }

    static String encode(Object value) {
        OffsetDateTime t = switch (value) {
            case OffsetDateTime o -> o;
            case ZonedDateTime z -> z.toOffsetDateTime();
            case Instant i -> i.atOffset(ZoneOffset.UTC);
            default -> throw new CodecException("not a date-time: " + value);
        };
        t = t.truncatedTo(ChronoUnit.MICROS);
        String text = SECONDS.format(t);
        int micros = t.getNano() / 1000;
        if (micros != 0) {
            text += String.format(".%06d", micros);
        }
        return text + OFFSET.format(t);
    }

    static OffsetDateTime decode(Object data) {
        if (!(data instanceof String text)) {
            throw new CodecException("date-time is not text: " + data + " (expected: ISO-8601 with an offset)");
        }
        try {
            return OffsetDateTime.parse(text);
        } catch (DateTimeParseException e) {
            throw new CodecException("malformed date-time: \"" + text + "\" (expected: ISO-8601 with an offset,"
                    + " like 2016-01-01T00:00:00+00:00)", e);
        }
    }
}
