package rpcx.codec.json;

import java.io.IOException;
import java.lang.reflect.Array;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;

import rpcx.api.GoType;
import rpcx.api.spi.CodecException;
import rpcx.api.spi.CodecFailure;
import rpcx.api.spi.StructModel;
import rpcx.api.spi.StructTypes;

/**
 * Writes Java values as Go's {@code json.Marshal} writes the corresponding Go values: compact, struct fields in
 * declaration order under their JSON name ({@code omitempty} honoured, hidden fields left out), map keys sorted,
 * {@code []byte} as standard base64, {@code nil} as {@code null}, Go's float formatting and string escaping.
 */
final class JsonWriter {
    /** Deeper than this is almost surely a reference cycle; fail instead of overflowing the stack. */
    static final int MAX_DEPTH = 512;

    private static final ClassValue<Struct> STRUCTS = new ClassValue<>() {
        @Override
        protected Struct computeValue(Class<?> type) {
            return StructModel.isStruct(type) ? new Struct(type) : null;
        }
    };

    /** A struct's JSON fields, their names pre-serialized when they need no escaping. */
    private static final class Struct {
        final List<StructModel.Property> fields = new ArrayList<>();
        final List<SerializableString> names = new ArrayList<>();
        final RuntimeException failure;

        Struct(Class<?> type) {
            RuntimeException f = null;
            try {
                for (StructModel.Property p : StructModel.of(type).properties()) {
                    if (p.jsonName() != null) {
                        fields.add(p);
                        names.add(plain(p.jsonName()) ? new SerializedString(p.jsonName()) : null);
                    }
                }
            } catch (CodecException e) {
                f = e;
            }
            this.failure = f;
        }

        private static boolean plain(String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&') {
                    return false;
                }
            }
            return true;
        }
    }

    private final JsonGenerator out;

    JsonWriter(JsonGenerator out) {
        this.out = out;
    }

    /**
     * Writes one value. {@code goType} is the declared Go number type of the enclosing property (it also applies
     * to the number elements of collections, arrays and map values); AUTO picks the default for the value's class.
     */
    void write(Object v, GoType goType, int depth) throws IOException {
        if (v == null) {
            out.writeNull();
            return;
        }
        Class<?> c = v.getClass();
        if (c == String.class) {
            out.writeString((String) v);
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
            out.writeString(Base64.getEncoder().encodeToString((byte[]) v));
        } else if (c == Short.class) {
            writeInteger((Short) v, goType, 16);
        } else if (c == Byte.class) {
            writeInteger((Byte) v, goType, 8);
        } else if (c == Character.class) {
            writeInteger((Character) v, goType, 32);
        } else {
            writeComposite(v, c, goType, depth);
        }
    }

    private void writeComposite(Object v, Class<?> c, GoType goType, int depth) throws IOException {
        if (depth >= MAX_DEPTH) {
            throw new CodecFailure("values nested deeper than " + MAX_DEPTH + " levels (a reference cycle?)");
        }
        Struct s = STRUCTS.get(c);
        if (s != null) {
            writeStruct(v, s, depth);
        } else if (v instanceof Map<?, ?> m) {
            writeMap(m, goType, depth);
        } else if (v instanceof Collection<?> col) {
            out.writeStartArray();
            int i = 0;
            for (Object e : col) {
                writeAt(e, goType, depth, i++);
            }
            out.writeEndArray();
        } else if (c.isArray()) {
            int n = Array.getLength(v);
            out.writeStartArray();
            for (int i = 0; i < n; i++) {
                writeAt(Array.get(v, i), goType, depth, i);
            }
            out.writeEndArray();
        } else if (v instanceof Enum<?> e) {
            out.writeString(e.name());
        } else if (v instanceof BigInteger b) {
            if (b.bitLength() <= 63) {
                writeInteger(b.longValue(), goType, 0);
            } else {
                checkBigInteger(b, goType);
                out.writeNumber(b);
            }
        } else if (v instanceof Instant t) {
            out.writeString(rfc3339(t));
        } else {
            throw new CodecFailure("cannot encode a " + c.getName() + ": JSON carries records, POJOs, numbers,"
                    + " strings, booleans, byte[], collections, arrays, maps, enums and Instant");
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
        out.writeStartObject();
        List<StructModel.Property> fields = s.fields;
        for (int i = 0, n = fields.size(); i < n; i++) {
            StructModel.Property p = fields.get(i);
            try {
                Object value = p.get(v);
                if (p.jsonOmitEmpty() && isEmpty(value)) {
                    continue;
                }
                SerializableString name = s.names.get(i);
                if (name != null) {
                    out.writeFieldName(name);
                } else {
                    out.writeFieldName(p.jsonName());
                }
                write(value, p.goType(), depth + 1);
            } catch (CodecFailure f) {
                throw f.at("." + p.jsonName());
            } catch (CodecException e) {
                throw new CodecFailure(e.getMessage(), e).at("." + p.jsonName());
            }
        }
        out.writeEndObject();
    }

    /** Go's omitempty: false, 0, "", nil, and empty slices, maps and arrays. Structs are never empty. */
    private static boolean isEmpty(Object v) {
        if (v == null) {
            return true;
        }
        if (v instanceof Boolean b) {
            return !b;
        }
        if (v instanceof Number n) {
            return n instanceof BigInteger b ? b.signum() == 0 : n.doubleValue() == 0 && n.longValue() == 0;
        }
        if (v instanceof Character ch) {
            return ch == 0;
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
        return v.getClass().isArray() && Array.getLength(v) == 0;
    }

    /** Go sorts map keys (by their UTF-8 bytes, which is code point order). */
    private void writeMap(Map<?, ?> m, GoType goType, int depth) throws IOException {
        List<Map.Entry<String, Object>> entries = new ArrayList<>(m.size());
        for (Map.Entry<?, ?> e : m.entrySet()) {
            entries.add(Map.entry(keyText(e.getKey()), e.getValue() == null ? NULL : e.getValue()));
        }
        entries.sort((a, b) -> StructTypes.compareGoStrings(a.getKey(), b.getKey()));
        out.writeStartObject();
        for (Map.Entry<String, Object> e : entries) {
            out.writeFieldName(e.getKey());
            Object value = e.getValue() == NULL ? null : e.getValue();
            try {
                write(value, goType, depth + 1);
            } catch (CodecFailure f) {
                throw f.at("[" + e.getKey() + "]");
            }
        }
        out.writeEndObject();
    }

    private static final Object NULL = new Object();

    private static String keyText(Object k) {
        if (k instanceof String s) {
            return s;
        }
        if (k instanceof Long || k instanceof Integer || k instanceof Short || k instanceof Byte
                || k instanceof BigInteger) {
            return k.toString();
        }
        if (k instanceof Character ch) {
            return Integer.toString(ch);
        }
        if (k instanceof Enum<?> e) {
            return e.name();
        }
        throw new CodecFailure("JSON object keys must be strings, integers or enums, not "
                + (k == null ? "null" : k.getClass().getName()));
    }


    /** Go's time.Time MarshalJSON: RFC 3339 with nanoseconds, trailing zeros trimmed; Instants are UTC. */
    static String rfc3339(Instant t) {
        LocalDateTime d = LocalDateTime.ofEpochSecond(t.getEpochSecond(), 0, ZoneOffset.UTC);
        if (d.getYear() < 0 || d.getYear() > 9999) {
            throw new CodecFailure("Go's time.Time MarshalJSON accepts years 0..9999 only, not " + d.getYear());
        }
        StringBuilder sb = new StringBuilder(30);
        sb.append(String.format(Locale.ROOT, "%04d-%02d-%02dT%02d:%02d:%02d", d.getYear(), d.getMonthValue(),
                d.getDayOfMonth(), d.getHour(), d.getMinute(), d.getSecond()));
        int nanos = t.getNano();
        if (nanos != 0) {
            String f = String.format(Locale.ROOT, "%09d", nanos);
            int end = f.length();
            while (f.charAt(end - 1) == '0') {
                end--;
            }
            sb.append('.').append(f, 0, end);
        }
        return sb.append('Z').toString();
    }

    private void writeInteger(long v, GoType goType, int javaBits) throws IOException {
        switch (goType) {
            case AUTO, INT, INT64 -> out.writeNumber(v);
            case INT32 -> out.writeNumber(checkSigned(v, 32, goType));
            case INT16 -> out.writeNumber(checkSigned(v, 16, goType));
            case INT8 -> out.writeNumber(checkSigned(v, 8, goType));
            case UINT, UINT64 -> out.writeNumber(v >= 0 ? Long.toString(v) : unsignedBits(v, 64, javaBits, goType));
            case UINT32 -> writeUnsigned(v, 32, javaBits, goType);
            case UINT16 -> writeUnsigned(v, 16, javaBits, goType);
            case UINT8 -> writeUnsigned(v, 8, javaBits, goType);
            case FLOAT32 -> out.writeNumber(GoNumbers.float32(v));
            case FLOAT64 -> out.writeNumber(GoNumbers.float64(v));
            default -> throw new CodecFailure("no Go type for integer " + v);
        }
    }

    private void writeUnsigned(long v, int bits, int javaBits, GoType goType) throws IOException {
        if (v < 0) {
            out.writeNumber(unsignedBits(v, bits, javaBits, goType));
        } else if (v >= (1L << bits)) {
            throw new CodecFailure(v + " does not fit in Go " + goName(goType) + " (0.." + ((1L << bits) - 1) + ")");
        } else {
            out.writeNumber(v);
        }
    }

    /** A negative Java value of the unsigned Go type's width holds the unsigned bits (Java's convention). */
    private static String unsignedBits(long v, int bits, int javaBits, GoType goType) {
        if (javaBits != bits) {
            throw new CodecFailure("negative value " + v + " for unsigned Go " + goName(goType));
        }
        return bits == 64 ? Long.toUnsignedString(v) : Long.toString(v & ((1L << bits) - 1));
    }

    private static long checkSigned(long v, int bits, GoType goType) {
        long min = -(1L << (bits - 1));
        long max = (1L << (bits - 1)) - 1;
        if (v < min || v > max) {
            throw new CodecFailure(v + " does not fit in Go " + goName(goType) + " (" + min + ".." + max + ")");
        }
        return v;
    }

    private static void checkBigInteger(BigInteger b, GoType goType) {
        int bits = b.bitLength();
        boolean fits = bits <= 63
                || (b.signum() > 0 && bits == 64
                        && (goType == GoType.AUTO || goType == GoType.INT || goType == GoType.UINT
                                || goType == GoType.UINT64));
        boolean unsigned = goType == GoType.UINT || goType == GoType.UINT64;
        if (!fits || (unsigned && b.signum() < 0)) {
            throw new CodecFailure(b + " does not fit in Go " + goName(goType == GoType.AUTO ? GoType.INT : goType));
        }
    }

    static String goName(GoType t) {
        return t.name().toLowerCase(Locale.ROOT);
    }

    private void writeFloat(double d, GoType goType) throws IOException {
        switch (goType) {
            case FLOAT32 -> out.writeNumber(GoNumbers.float32((float) d));
            case FLOAT64 -> out.writeNumber(GoNumbers.float64(d));
            default -> throw new CodecFailure("cannot write the floating-point value " + d + " as Go "
                    + goName(goType));
        }
    }
}
