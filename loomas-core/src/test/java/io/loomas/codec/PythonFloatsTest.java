package io.loomas.codec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Doubles are written as Python's {@code repr(float)}, as recorded from CPython 3. */
class PythonFloatsTest {

    @ParameterizedTest
    @CsvSource({
        "0.1, 0.1",
        "1.0, 1.0",
        "100.0, 100.0",
        "1e16, 1e+16",
        "1e-05, 1e-05",
        "0.0001, 0.0001",
        "1234567890123456.0, 1234567890123456.0",
        "123456789012345678.0, 1.2345678901234568e+17",
        "4.9E-324, 5e-324",
        "1e22, 1e+22",
        "1e23, 1e+23",
        "2.5e-05, 2.5e-05",
        "-0.0, -0.0",
        "-1.5, -1.5",
        "9007199254740993.0, 9007199254740992.0",
        "0.30000000000000004, 0.30000000000000004",
        "2.2250738585072014e-308, 2.2250738585072014e-308",
        "1.7976931348623157e+308, 1.7976931348623157e+308",
        "1e-07, 1e-07",
        "4.35, 4.35",
    })
    void doubleIsWrittenAsPythonRepr(double value, String python) {
        assertThat(PythonFloats.repr(value)).isEqualTo(python);
    }
}
