package rpcx.codec.json;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;

/**
 * String escaping exactly as Go's {@code json.Marshal}: {@code \"}, {@code \\}, {@code \b}, {@code \f},
 * {@code \n}, {@code \r}, {@code \t}; other control characters as <code>&#92;u00XX</code> with lowercase
 * hex; the HTML characters {@code <}, {@code >}, {@code &} as <code>&#92;u003c</code>,
 * <code>&#92;u003e</code>, <code>&#92;u0026</code>; the line separators U+2028 and U+2029 as
 * <code>&#92;u2028</code>, <code>&#92;u2029</code>. Everything else, including non-ASCII characters and
 * {@code /}, is written as is (UTF-8).
 */
final class GoEscapes extends CharacterEscapes {
    private static final long serialVersionUID = 1L;

    static final GoEscapes INSTANCE = new GoEscapes();

    private static final int[] ASCII = CharacterEscapes.standardAsciiEscapesForJSON();
    private static final SerializedString[] CUSTOM = new SerializedString[128];
    private static final SerializedString LS = new SerializedString("\\u2028");
    private static final SerializedString PS = new SerializedString("\\u2029");

    static {
        for (int c = 0; c < 0x20; c++) {
            if (c != '\b' && c != '\f' && c != '\n' && c != '\r' && c != '\t') {
                ASCII[c] = ESCAPE_CUSTOM;
                CUSTOM[c] = new SerializedString(String.format("\\u%04x", c));
            }
        }
        for (char c : new char[] {'<', '>', '&'}) {
            ASCII[c] = ESCAPE_CUSTOM;
            CUSTOM[c] = new SerializedString(String.format("\\u%04x", (int) c));
        }
    }

    private GoEscapes() {
    }

    @Override
    public int[] getEscapeCodesForAscii() {
        return ASCII.clone();
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
        if (ch < 128) {
            return CUSTOM[ch];
        }
        if (ch == 0x2028) {
            return LS;
        }
        if (ch == 0x2029) {
            return PS;
        }
        return null;
    }
}
