package io.loomas.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomas.codec.Codec;
import io.loomas.codec.Serializers;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The examples of the codec's Javadoc, compiled and run: the Javadoc shows the marked regions. */
class CodecSnippets {
    record Point(int x, int y) {}

    @Test
    void serializers() {
        // @start region="serializers"
        Serializers serializers = Serializers.NONE
                .with(Point.class)                                    // type id 0
                .with(Instant.class, Instant::toString,
                      data -> Instant.parse((String) data));          // type id 1
        Codec codec = Codec.json().withSerializers(serializers);
        // @end
        Object value = List.of(new Point(1, 2), Instant.parse("2016-01-01T00:00:00Z"));
        assertThat(codec.decode(codec.encode(value))).isEqualTo(value);
    }
}
