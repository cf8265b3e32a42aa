package io.loomas.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.PrettyPrinter;
import java.io.IOException;

/**
 * The separators of Python's {@code json.dumps}: {@code ", "} between items and {@code ": "}
 * between a key and its value, on one line without indentation.
 *
 * <p>Thread-safe (stateless); one instance serves every generator.
 */
final class PythonSeparators implements PrettyPrinter {

    static final PythonSeparators INSTANCE = new PythonSeparators();

    private PythonSeparators() {
    }

    @Override
    public void writeRootValueSeparator(JsonGenerator gen) {
        // one root value per payload: nothing to separate
    }

    @Override
    public void writeStartObject(JsonGenerator gen) throws IOException {
        gen.writeRaw('{');
    }

    @Override
    public void writeEndObject(JsonGenerator gen, int nrOfEntries) throws IOException {
        gen.writeRaw('}');
    }

    @Override
    public void writeObjectEntrySeparator(JsonGenerator gen) throws IOException {
        gen.writeRaw(", ");
    }

    @Override
    public void writeObjectFieldValueSeparator(JsonGenerator gen) throws IOException {
        gen.writeRaw(": ");
    }

    @Override
    public void writeStartArray(JsonGenerator gen) throws IOException {
        gen.writeRaw('[');
    }

    @Override
    public void writeEndArray(JsonGenerator gen, int nrOfValues) throws IOException {
        gen.writeRaw(']');
    }

    @Override
    public void writeArrayValueSeparator(JsonGenerator gen) throws IOException {
        gen.writeRaw(", ");
    }

    @Override
    public void beforeArrayValues(JsonGenerator gen) {
        // no line break or indentation
    }

    @Override
    public void beforeObjectEntries(JsonGenerator gen) {
        // no line break or indentation
    }
}
