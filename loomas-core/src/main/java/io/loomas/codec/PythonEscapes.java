package io.loomas.codec;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;

/**
 * The string escapes of Python's {@code json.dumps} with {@code ensure_ascii=True}: {@code \"},
 * {@code \\}, {@code \b}, {@code \f}, {@code \n}, {@code \r}, {@code \t}, and {@code \u005Cu}
 * with four <em>lower-case</em> hex digits for every other character outside printable ASCII
 * (control characters, DEL and all non-ASCII; characters beyond the BMP as two surrogates).
 *
 * <p>Jackson's own {@code ESCAPE_NON_ASCII} writes upper-case hex digits and {@code \u005Cu0008}
 * for backspace, so it cannot produce Python's bytes; these escapes can.
 *
 * <p>Thread-safe (immutable).
 */
final class PythonEscapes extends CharacterEscapes {

    static final PythonEscapes INSTANCE = new PythonEscapes();

    private static final long serialVersionUID = 1L;

    private final int[] asciiCodes;
    private final SerializableString[] asciiEscapes = new SerializableString[128];

    private PythonEscapes() {
        asciiCodes = standardAsciiEscapesForJSON();
        for (int ch = 0; ch < 0x20; ch++) {
            asciiCodes[ch] = ESCAPE_CUSTOM;
            asciiEscapes[ch] = hex(ch);
        }
        asciiCodes[0x7f] = ESCAPE_CUSTOM;
        asciiEscapes[0x7f] = hex(0x7f);
        asciiEscapes['\b'] = new SerializedString("\\b");
        asciiEscapes['\f'] = new SerializedString("\\f");
        asciiEscapes['\n'] = new SerializedString("\\n");
        asciiEscapes['\r'] = new SerializedString("\\r");
        asciiEscapes['\t'] = new SerializedString("\\t");
    }

    private static SerializedString hex(int ch) {
        char[] text = {'\\', 'u', digit(ch >> 12), digit(ch >> 8), digit(ch >> 4), digit(ch)};
        return new SerializedString(new String(text));
    }

    private static char digit(int nibble) {
        return "0123456789abcdef".charAt(nibble & 0xf);
    }

    @Override
    public int[] getEscapeCodesForAscii() {
        return asciiCodes;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
        return ch < 128 ? asciiEscapes[ch] : hex(ch);
    }
}
