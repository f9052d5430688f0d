package com.example.rpcx.codec.cbor;

import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;

import rpcx.api.GoType;
import rpcx.api.spi.CodecException;
import rpcx.api.spi.CodecFailure;
import rpcx.api.spi.StructModel;

/**
 * Writes Java values as Go's {@code cbor.Marshal} (fxamacker/cbor/v2, default options) writes the corresponding Go
 * values, using preferred serialization (every integer, length and tag in its shortest form) and definite lengths:
 *
 * <ul>
 *   <li>struct: a map, fields in declaration order, keyed by the {@code json} tag name or else the Go field name
 *       ({@link StructModel.Property#jsonName()}; fxamacker reads the {@code cbor} tag, then the {@code json} tag,
 *       then the field name), {@code omitempty} honoured, hidden ({@code json:"-"}) fields left out;</li>
 *   <li>{@code long}/{@code int}/{@code short}/{@code byte}: major type 0 or 1, range-checked against the declared
 *       Go type ({@code @GoField(type = GoType.INT8)} ...); unsigned Go types keep their bits in a Java value of the
 *       same width;</li>
 *   <li>{@code double}: float64 ({@code fb}), {@code float}: float32 ({@code fa});</li>
 *   <li>{@code String}: text string, {@code byte[]}: byte string, {@code boolean}: {@code f4}/{@code f5},
 *       {@code null}: {@code f6} (a nil pointer, slice or map);</li>
 *   <li>collections and arrays: an array; {@code Map<String, ?>}: a map whose keys are sorted in the bytewise order
 *       of their encodings (RFC 8949 section 4.2.1; Go leaves map order random by default, so any order decodes).</li>
 * </ul>
 *
 * Anything else fails with a {@link CodecFailure} naming the path to the value.
 */
final class CborWriter {
    /** A struct's CBOR keys, pre-encoded, and the properties behind them. */
    private record Struct(List<StructModel.Property> fields, List<SerializableString> keys, RuntimeException failure) {
    }

    private static final ClassValue<Struct> STRUCTS = new ClassValue<>() {
        @Override
        protected Struct computeValue(Class<?> type) {
            if (!StructModel.isStruct(type)) {
                return null;
            }
            try {
                List<StructModel.Property> fields = new ArrayList<>();
                List<SerializableString> keys = new ArrayList<>();
                for (StructModel.Property p : StructModel.of(type).properties()) {
                    if (p.jsonName() != null) {
                        fields.add(p);
                        keys.add(new SerializedString(p.jsonName()));
                    }
                }
                return new Struct(List.copyOf(fields), List.copyOf(keys), null);
            } catch (CodecException e) {
                return new Struct(List.of(), List.of(), e);
            }
        }
    };

    private final CBORGenerator out;

    CborWriter(CBORGenerator out) {
        this.out = out;
    }

    /**
     * Writes one value. {@code goType} is the declared Go number type of the enclosing property (it also applies to
     * the numbers inside a collection, array or map); AUTO takes the default of the value's Java class.
     * {@code depth} is the number of arrays and maps around the value.
     */
    void write(Object v, GoType goType, int depth) throws IOException {
        if (v == null) {
            out.writeNull();
            return;
        }
        Class<?> c = v.getClass();
        if (c == String.class) {
            writeText((String) v);
        } else if (c == Long.class) {
            writeInteger((Long) v, goType, 64);
        } else if (c == Integer.class) {
            writeInteger((Integer) v, goType, 32);
        } else if (c == Boolean.class) {
            out.writeBoolean((Boolean) v);
        } else if (c == Double.class) {
            writeFloat((Double) v, goType == GoType.AUTO ? GoType.FLOAT64 : goType);
        } else if (c == Float.class) {
            writeFloat((Float) v, goType == GoType.AUTO ? GoType.FLOAT32 : goType);
        } else if (c == byte[].class) {
            byte[] b = (byte[]) v;
            out.writeBinary(b, 0, b.length);
        } else if (c == Short.class) {
            writeInteger((Short) v, goType, 16);
        } else if (c == Byte.class) {
            writeInteger((Byte) v, goType, 8);
        } else {
            writeComposite(v, c, goType, depth);
        }
    }

    private void writeComposite(Object v, Class<?> c, GoType goType, int depth) throws IOException {
        Struct s = STRUCTS.get(c);
        boolean container = s != null || v instanceof Map<?, ?> || v instanceof Collection<?> || c.isArray();
        if (!container) {
            throw new CodecFailure("cannot encode a " + c.getName() + ": the CBOR codec carries records and POJOs,"
                    + " String, boolean, long/int/short/byte, double/float, byte[], collections, arrays,"
                    + " Map<String, ?> and null");
        }
        if (depth >= CborReader.MAX_NESTED_LEVELS) {
            throw new CodecFailure("values nested deeper than " + CborReader.MAX_NESTED_LEVELS
                    + " arrays and maps (Go's cbor decoder refuses that by default; a reference cycle?)");
        }
        if (s != null) {
            writeStruct(v, s, depth);
        } else if (v instanceof Map<?, ?> m) {
            writeMap(m, goType, depth);
        } else if (v instanceof Collection<?> col) {
            Object[] items = col.toArray();
            out.writeStartArray(v, items.length);
            for (int i = 0; i < items.length; i++) {
                writeAt(items[i], goType, depth, i);
            }
            out.writeEndArray();
        } else {
            int n = Array.getLength(v);
            out.writeStartArray(v, n);
            for (int i = 0; i < n; i++) {
                writeAt(Array.get(v, i), goType, depth, i);
            }
            out.writeEndArray();
        }
    }

    private void writeAt(Object e, GoType goType, int depth, int index) throws IOException {
        try {
            write(e, goType, depth + 1);
        } catch (CodecFailure f) {
            throw f.at("[" + index + "]");
        }
    }

    private void writeStruct(Object v, Struct s, int depth) throws IOException {
        if (s.failure != null) {
            throw new CodecFailure(s.failure.getMessage(), s.failure);
        }
        List<StructModel.Property> fields = s.fields;
        Object[] values = new Object[fields.size()];
        boolean[] omit = new boolean[fields.size()];
        int count = 0;
        for (int i = 0; i < values.length; i++) {
            StructModel.Property p = fields.get(i);
            try {
                values[i] = p.get(v);
            } catch (CodecException e) {
                throw new CodecFailure(e.getMessage(), e).at("." + p.jsonName());
            }
            omit[i] = p.jsonOmitEmpty() && isEmpty(values[i], 0);
            count += omit[i] ? 0 : 1;
        }
        out.writeStartObject(v, count);
        for (int i = 0; i < values.length; i++) {
            if (!omit[i]) {
                StructModel.Property p = fields.get(i);
                out.writeFieldName(s.keys.get(i));
                try {
                    write(values[i], p.goType(), depth + 1);
                } catch (CodecFailure f) {
                    throw f.at("." + p.jsonName());
                }
            }
        }
        out.writeEndObject();
    }

    /**
     * fxamacker's {@code omitempty} (OmitEmptyCBORValue, the default): false, 0, "", nil, empty slices, maps and
     * arrays, and a struct whose fields are all {@code omitempty} and empty (it would encode to an empty map).
     */
    private static boolean isEmpty(Object v, int depth) {
        if (v == null) {
            return true;
        }
        if (v instanceof Boolean b) {
            return !b;
        }
        if (v instanceof Number n) {
            return n.doubleValue() == 0 && n.longValue() == 0;
        }
        if (v instanceof CharSequence cs) {
            return cs.length() == 0;
        }
        if (v instanceof Collection<?> col) {
            return col.isEmpty();
        }
        if (v instanceof Map<?, ?> m) {
            return m.isEmpty();
        }
        if (v.getClass().isArray()) {
            return Array.getLength(v) == 0;
        }
        Struct s = STRUCTS.get(v.getClass());
        if (s == null || s.failure != null || depth >= CborReader.MAX_NESTED_LEVELS) {
            return false;
        }
        for (StructModel.Property p : s.fields) {
            if (!p.jsonOmitEmpty() || !isEmpty(p.get(v), depth + 1)) {
                return false;
            }
        }
        return true;
    }

    /** Go's {@code map[string]T}; keys in the bytewise order of their CBOR encodings (RFC 8949 4.2.1). */
    private void writeMap(Map<?, ?> m, GoType goType, int depth) throws IOException {
        List<Object[]> entries = new ArrayList<>(m.size()); // {encoded key, key, value}
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new CodecFailure("map keys must be strings (Go map[string]T), not "
                        + (e.getKey() == null ? "null" : e.getKey().getClass().getName()));
            }
            entries.add(new Object[] {encodedText(key), key, e.getValue()});
        }
        entries.sort((a, b) -> Arrays.compareUnsigned((byte[]) a[0], (byte[]) b[0]));
        out.writeStartObject(m, entries.size());
        for (Object[] e : entries) {
            String key = (String) e[1];
            out.writeFieldName(new SerializedString(key));
            try {
                write(e[2], goType, depth + 1);
            } catch (CodecFailure f) {
                throw f.at("[" + key + "]");
            }
        }
        out.writeEndObject();
    }

    /** The CBOR encoding of a text string: head (major type 3, shortest length form) and UTF-8 bytes. */
    private static byte[] encodedText(String s) {
        byte[] utf8 = utf8(s);
        long n = utf8.length;
        int head = n < 24 ? 1 : n <= 0xff ? 2 : n <= 0xffff ? 3 : 5;
        byte[] b = new byte[head + utf8.length];
        switch (head) {
            case 1 -> b[0] = (byte) (0x60 | n);
            case 2 -> {
                b[0] = 0x78;
                b[1] = (byte) n;
            }
            case 3 -> {
                b[0] = 0x79;
                b[1] = (byte) (n >> 8);
                b[2] = (byte) n;
            }
            default -> {
                b[0] = 0x7a;
                for (int i = 0; i < 4; i++) {
                    b[1 + i] = (byte) (n >> (24 - 8 * i));
                }
            }
        }
        System.arraycopy(utf8, 0, b, head, utf8.length);
        return b;
    }

    /**
     * A text string with a definite length. (Jackson's {@code writeString} splits strings longer than a few
     * thousand characters into an indefinite-length string of chunks, which Go decodes too but never writes.)
     */
    private void writeText(String s) throws IOException {
        byte[] utf8 = utf8(s);
        out.writeUTF8String(utf8, 0, utf8.length);
    }

    /** UTF-8 of a string; an unpaired surrogate has no UTF-8 form and Go's decoder rejects invalid UTF-8. */
    private static byte[] utf8(String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (Character.isSurrogate(ch)) {
                if (Character.isHighSurrogate(ch) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    throw new CodecFailure("the string has an unpaired surrogate at index " + i
                            + ", which is not valid UTF-8 (a CBOR text string must be)");
                }
            }
        }
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private void writeInteger(long v, GoType goType, int javaBits) throws IOException {
        switch (goType) {
            case AUTO, INT, INT64 -> out.writeNumber(v);
            case INT32 -> out.writeNumber(checkSigned(v, 32, goType));
            case INT16 -> out.writeNumber(checkSigned(v, 16, goType));
            case INT8 -> out.writeNumber(checkSigned(v, 8, goType));
            case UINT, UINT64 -> {
                if (v < 0 && javaBits != 64) {
                    throw new CodecFailure("negative value " + v + " for Go " + goName(goType));
                }
                out.writeNumberUnsigned(v); // a negative long holds uint64 bits above Long.MAX_VALUE
            }
            case UINT32 -> out.writeNumber(checkUnsigned(v, 32, javaBits, goType));
            case UINT16 -> out.writeNumber(checkUnsigned(v, 16, javaBits, goType));
            case UINT8 -> out.writeNumber(checkUnsigned(v, 8, javaBits, goType));
            case FLOAT32 -> out.writeNumber((float) v);
            case FLOAT64 -> out.writeNumber((double) v);
            default -> throw new CodecFailure("no Go type for the integer " + v);
        }
    }

    private static long checkSigned(long v, int bits, GoType goType) {
        long min = -(1L << (bits - 1));
        long max = (1L << (bits - 1)) - 1;
        if (v < min || v > max) {
            throw new CodecFailure(v + " does not fit in Go " + goName(goType) + " (" + min + ".." + max + ")");
        }
        return v;
    }

    /** A negative Java value of the unsigned Go type's width holds the unsigned bits (Java's convention). */
    private static long checkUnsigned(long v, int bits, int javaBits, GoType goType) {
        long mask = (1L << bits) - 1;
        if (v < 0 && javaBits == bits) {
            return v & mask;
        }
        if (v < 0 || v > mask) {
            throw new CodecFailure(v + " does not fit in Go " + goName(goType) + " (0.." + mask + ")");
        }
        return v;
    }

    /**
     * float32 as {@code fa} and float64 as {@code fb}, as Go writes them by default. NaN and infinities keep that
     * width here too, where Go converts them to half precision ({@code f97e00}, {@code f97c00}, {@code f9fc00}):
     * Jackson's generator cannot write a half float. Both sides decode either form to the same value.
     */
    private void writeFloat(double d, GoType goType) throws IOException {
        switch (goType) {
            case FLOAT32 -> out.writeNumber((float) d);
            case FLOAT64 -> out.writeNumber(d);
            default -> throw new CodecFailure("cannot write the floating-point value " + d + " as Go "
                    + goName(goType));
        }
    }

    static String goName(GoType t) {
        return t.name().toLowerCase(Locale.ROOT);
    }
}
