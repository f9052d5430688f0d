package rpcx.codec.json;

import java.io.IOException;
import java.lang.reflect.Array;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

import rpcx.api.GoType;
import rpcx.api.spi.CodecException;
import rpcx.api.spi.CodecFailure;
import rpcx.api.spi.StructModel;
import rpcx.api.spi.StructTypes;

/**
 * Reads one JSON value into a declared Java type the way Go's {@code encoding/json} decoder does for the
 * corresponding Go type, and a little more leniently for numbers: integer types accept any integral JSON number
 * (also {@code 2.0} or {@code 1e3}, range-checked), floating-point types accept any number. Object keys match
 * struct fields by JSON name exactly, then case-insensitively; unknown keys are skipped. {@code null} is the zero
 * of a primitive and {@code null} otherwise. One reader serves one decode call.
 */
final class JsonReader {
    private final JsonParser in;

    JsonReader(JsonParser in) {
        this.in = in;
    }

    /** Reads the value at the current token (its first token) through its last token. */
    Object read(Type type, GoType goType, int depth) {
        try {
            return readValue(type, StructModel.rawClass(type), goType, depth);
        } catch (JsonProcessingException e) {
            throw new CodecFailure("invalid JSON: " + e.getOriginalMessage() + where(e.getLocation()), e);
        } catch (IOException e) {
            throw new CodecFailure("cannot read the payload: " + e, e);
        }
    }

    static String where(JsonLocation loc) {
        if (loc == null || loc == JsonLocation.NA) {
            return "";
        }
        return " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
    }

    private Object readValue(Type type, Class<?> raw, GoType goType, int depth) throws IOException {
        JsonToken t = in.currentToken();
        if (t == null) {
            throw new CodecFailure("the data ends where a value should start (truncated payload?)");
        }
        if (t == JsonToken.VALUE_NULL) {
            return raw.isPrimitive() ? StructModel.zeroValue(raw) : null;
        }
        if (raw == Object.class) {
            return readNatural(t, depth);
        }
        if (raw == String.class) {
            if (t != JsonToken.VALUE_STRING) {
                throw mismatch("a string", type, t);
            }
            return in.getText();
        }
        if (raw == long.class || raw == Long.class) {
            return readIntegral(t, raw, goType, 64);
        }
        if (raw == int.class || raw == Integer.class) {
            return (int) readIntegral(t, raw, goType, 32);
        }
        if (raw == boolean.class || raw == Boolean.class) {
            if (t == JsonToken.VALUE_TRUE) {
                return Boolean.TRUE;
            }
            if (t == JsonToken.VALUE_FALSE) {
                return Boolean.FALSE;
            }
            throw mismatch("true or false", type, t);
        }
        if (raw == double.class || raw == Double.class) {
            return readDouble(t, raw);
        }
        if (raw == float.class || raw == Float.class) {
            double d = readDouble(t, raw);
            float f = (float) d;
            if (Float.isInfinite(f)) {
                throw new CodecFailure(in.getText() + " is out of range for float (Go float32)");
            }
            return f;
        }
        if (raw == byte[].class) {
            return readBytes(t, depth);
        }
        if (raw == short.class || raw == Short.class) {
            return (short) readIntegral(t, raw, goType, 16);
        }
        if (raw == byte.class || raw == Byte.class) {
            return (byte) readIntegral(t, raw, goType, 8);
        }
        if (raw == char.class || raw == Character.class) {
            long v = readInteger(t, raw, false);
            if (v < 0 || v > Character.MAX_VALUE) {
                throw new CodecFailure(v + " does not fit in a char (0..65535)");
            }
            return (char) v;
        }
        if (depth >= JsonWriter.MAX_DEPTH) {
            throw new CodecFailure("values nested deeper than " + JsonWriter.MAX_DEPTH + " levels");
        }
        if (raw.isEnum()) {
            return readEnum(t, raw);
        }
        if (Map.class.isAssignableFrom(raw)) {
            return readMap(t, type, raw, goType, depth);
        }
        if (StructTypes.isCollection(raw)) {
            return readCollection(t, type, raw, goType, depth);
        }
        if (raw.isArray()) {
            return readArray(t, type, raw, goType, depth);
        }
        if (raw == BigInteger.class) {
            return readBigInteger(t);
        }
        if (raw == Instant.class) {
            if (t != JsonToken.VALUE_STRING) {
                throw mismatch("an RFC 3339 time string", type, t);
            }
            String s = in.getText();
            try {
                return OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeParseException e) {
                throw new CodecFailure("\"" + s + "\" is not an RFC 3339 time", e);
            }
        }
        if (StructModel.isStruct(raw)) {
            return readStruct(t, raw, depth);
        }
        if (raw.isInterface() || raw == Number.class) {
            Object v = readNatural(t, depth);
            if (v != null && !raw.isInstance(v)) {
                throw new CodecFailure("a JSON " + kind(t) + " decodes to " + v.getClass().getName() + ", which is not a "
                        + raw.getName());
            }
            return v;
        }
        throw new CodecFailure("cannot decode into " + type.getTypeName() + ": JSON decodes into records, POJOs, numbers,"
                + " strings, booleans, byte[], collections, arrays, maps, enums, Instant and Object");
    }

    // ------------------------------------------------------------------------------------------------ scalars

    private static CodecFailure mismatch(String expected, Type target, JsonToken t) {
        return new CodecFailure("expected " + expected + " for " + StructTypes.name(target) + ", got " + kind(t));
    }

    private static String kind(JsonToken t) {
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.name();
        };
    }

    /** An integral JSON number as a long; a uint64 above Long.MAX_VALUE only when {@code keepUint64Bits}. */
    private long readInteger(JsonToken t, Class<?> target, boolean keepUint64Bits) throws IOException {
        if (t == JsonToken.VALUE_NUMBER_INT) {
            if (in.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                return in.getLongValue();
            }
            return bigToLong(in.getBigIntegerValue(), target, keepUint64Bits);
        }
        if (t == JsonToken.VALUE_NUMBER_FLOAT) {
            return bigToLong(integral(in.getDecimalValue(), target), target, keepUint64Bits);
        }
        throw mismatch("a number", target, t);
    }

    private BigInteger integral(BigDecimal d, Type target) throws IOException {
        BigDecimal s = d.stripTrailingZeros();
        if (s.scale() > 0 || s.precision() - s.scale() > 21) {
            throw new CodecFailure(in.getText() + " is not an integer that fits in " + StructTypes.name(target));
        }
        return s.toBigIntegerExact();
    }

    private static long bigToLong(BigInteger b, Class<?> target, boolean keepUint64Bits) {
        if (b.bitLength() <= 63) {
            return b.longValue();
        }
        if (keepUint64Bits && b.signum() > 0 && b.bitLength() == 64) {
            return b.longValue();
        }
        throw new CodecFailure(b + " does not fit in " + StructTypes.name(target)
                + (target == long.class || target == Long.class
                        ? " (declare @GoField(type = GoType.UINT64) to keep uint64 bits in a long)" : ""));
    }

    /**
     * An integer for a Java integral type of {@code bits} width; a Go unsigned type of the same width may use the
     * unsigned range, stored in the Java value's bits.
     */
    private long readIntegral(JsonToken t, Class<?> target, GoType goType, int bits) throws IOException {
        long v = readInteger(t, target, bits == 64 && (goType == GoType.UINT64 || goType == GoType.UINT));
        if (bits == 64) {
            return v;
        }
        long min = -(1L << (bits - 1));
        long max = (1L << (bits - 1)) - 1;
        if (v >= min && v <= max) {
            return v;
        }
        boolean unsignedOfWidth = switch (bits) {
            case 8 -> goType == GoType.UINT8;
            case 16 -> goType == GoType.UINT16;
            case 32 -> goType == GoType.UINT32;
            default -> false;
        };
        if (v > max && v < (1L << bits) && unsignedOfWidth) {
            return v;
        }
        throw new CodecFailure(v + " does not fit in " + StructTypes.name(target) + " (" + min + ".." + max + ")");
    }

    private double readDouble(JsonToken t, Class<?> target) throws IOException {
        if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
            throw mismatch("a number", target, t);
        }
        double d = in.getDoubleValue();
        if (Double.isInfinite(d)) {
            throw new CodecFailure(in.getText() + " is out of range for double (Go float64)");
        }
        return d;
    }

    private BigInteger readBigInteger(JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NUMBER_INT) {
            return in.getBigIntegerValue();
        }
        if (t == JsonToken.VALUE_NUMBER_FLOAT) {
            return integral(in.getDecimalValue(), BigInteger.class);
        }
        throw mismatch("a number", BigInteger.class, t);
    }

    private byte[] readBytes(JsonToken t, int depth) throws IOException {
        if (t == JsonToken.VALUE_STRING) {
            String s = in.getText();
            if (s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
                s = s.replace("\n", "").replace("\r", ""); // Go's base64 decoder skips line breaks
            }
            try {
                return Base64.getDecoder().decode(s);
            } catch (IllegalArgumentException e) {
                throw new CodecFailure("[]byte must be standard base64: " + e.getMessage(), e);
            }
        }
        if (t == JsonToken.START_ARRAY) {
            return (byte[]) readArray(t, byte[].class, byte[].class, GoType.AUTO, depth);
        }
        throw mismatch("a base64 string", byte[].class, t);
    }

    private Object readEnum(JsonToken t, Class<?> raw) throws IOException {
        if (t == JsonToken.VALUE_STRING) {
            return StructTypes.enumByName(raw, in.getText());
        }
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            return StructTypes.enumByOrdinal(raw, readInteger(t, raw, false));
        }
        throw mismatch("a string (enum constant name)", raw, t);
    }

    // ------------------------------------------------------------------------------------------------ containers

    /** Without a declared type: Long (BigInteger beyond long), Double, String, Boolean, List, Map. */
    private Object readNatural(JsonToken t, int depth) throws IOException {
        switch (t) {
            case VALUE_STRING:
                return in.getText();
            case VALUE_NUMBER_INT:
                return in.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? in.getBigIntegerValue()
                        : (Object) in.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return readDouble(t, Object.class);
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                break;
        }
        if (depth >= JsonWriter.MAX_DEPTH) {
            throw new CodecFailure("values nested deeper than " + JsonWriter.MAX_DEPTH + " levels");
        }
        if (t == JsonToken.START_ARRAY) {
            List<Object> list = new ArrayList<>();
            int i = 0;
            while (in.nextToken() != JsonToken.END_ARRAY) {
                list.add(element(Object.class, GoType.AUTO, depth, i++));
            }
            return list;
        }
        if (t == JsonToken.START_OBJECT) {
            Map<String, Object> map = new LinkedHashMap<>();
            while (in.nextToken() == JsonToken.FIELD_NAME) {
                String key = in.currentName();
                in.nextToken();
                map.put(key, member(Object.class, GoType.AUTO, depth, "[" + key + "]"));
            }
            return map;
        }
        throw new CodecFailure("unexpected JSON token " + t);
    }

    private Object element(Type type, GoType goType, int depth, int index) {
        try {
            return read(type, goType, depth + 1);
        } catch (CodecFailure e) {
            throw e.at("[" + index + "]");
        }
    }

    private Object member(Type type, GoType goType, int depth, String segment) {
        try {
            return read(type, goType, depth + 1);
        } catch (CodecFailure e) {
            throw e.at(segment);
        }
    }

    private Object readMap(JsonToken t, Type type, Class<?> raw, GoType goType, int depth) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            throw mismatch("an object", type, t);
        }
        Type keyType = StructTypes.argument(type, 0);
        Type valueType = StructTypes.argument(type, 1);
        Class<?> keyRaw = StructModel.rawClass(keyType);
        Map<Object, Object> map = StructTypes.newMap(raw, 8);
        while (in.nextToken() == JsonToken.FIELD_NAME) {
            String name = in.currentName();
            Object key = key(name, keyRaw);
            in.nextToken();
            Object v = member(valueType, goType, depth, "[" + name + "]");
            try {
                map.put(key, v);
            } catch (RuntimeException e) {
                throw new CodecFailure("cannot put into " + raw.getSimpleName() + ": " + e, e).at("[" + name + "]");
            }
        }
        return map;
    }

    /** Go's map keys: strings, or integers written as strings, or (here) enum names. */
    private static Object key(String name, Class<?> keyRaw) {
        if (keyRaw == String.class || keyRaw == Object.class || keyRaw == CharSequence.class) {
            return name;
        }
        try {
            if (keyRaw == Long.class) {
                return Long.parseLong(name);
            }
            if (keyRaw == Integer.class) {
                return Integer.parseInt(name);
            }
            if (keyRaw == Short.class) {
                return Short.parseShort(name);
            }
            if (keyRaw == Byte.class) {
                return Byte.parseByte(name);
            }
            if (keyRaw == BigInteger.class) {
                return new BigInteger(name);
            }
        } catch (NumberFormatException e) {
            throw new CodecFailure("the key \"" + name + "\" is not a " + keyRaw.getSimpleName(), e);
        }
        if (keyRaw.isEnum()) {
            for (Object c : keyRaw.getEnumConstants()) {
                if (((Enum<?>) c).name().equals(name)) {
                    return c;
                }
            }
            throw new CodecFailure("the key \"" + name + "\" is not a constant of " + keyRaw.getSimpleName());
        }
        throw new CodecFailure("JSON object keys cannot become " + keyRaw.getName()
                + " (use String, an integer type or an enum)");
    }

    private Object readCollection(JsonToken t, Type type, Class<?> raw, GoType goType, int depth)
            throws IOException {
        if (t != JsonToken.START_ARRAY) {
            throw mismatch("an array", type, t);
        }
        Type elementType = StructTypes.argument(type, 0);
        Collection<Object> out = StructTypes.newCollection(raw, 8);
        int i = 0;
        while (in.nextToken() != JsonToken.END_ARRAY) {
            Object e = element(elementType, goType, depth, i);
            try {
                out.add(e);
            } catch (RuntimeException ex) {
                throw new CodecFailure("cannot add to " + raw.getSimpleName() + ": " + ex, ex).at("[" + i + "]");
            }
            i++;
        }
        return out;
    }

    private Object readArray(JsonToken t, Type type, Class<?> raw, GoType goType, int depth) throws IOException {
        if (t != JsonToken.START_ARRAY) {
            throw mismatch("an array", type, t);
        }
        Type componentType = StructTypes.component(type, raw);
        Class<?> componentRaw = raw.getComponentType();
        List<Object> items = new ArrayList<>();
        while (in.nextToken() != JsonToken.END_ARRAY) {
            items.add(element(componentType, goType, depth, items.size()));
        }
        Object array = Array.newInstance(componentRaw, items.size());
        for (int i = 0; i < items.size(); i++) {
            Object e = items.get(i);
            if (e != null || !componentRaw.isPrimitive()) {
                Array.set(array, i, e);
            }
        }
        return array;
    }

    private Object readStruct(JsonToken t, Class<?> raw, int depth) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            throw mismatch("an object", raw, t);
        }
        StructModel model;
        try {
            model = StructModel.of(raw);
        } catch (CodecException e) {
            throw new CodecFailure(e.getMessage(), e);
        }
        StructModel.Builder b = model.builder();
        while (in.nextToken() == JsonToken.FIELD_NAME) {
            String name = in.currentName();
            in.nextToken();
            StructModel.Property p = model.byJsonName(name);
            if (p == null) {
                in.skipChildren();
                continue;
            }
            try {
                b.set(p, read(p.genericType(), p.goType(), depth + 1));
            } catch (CodecFailure e) {
                throw e.at("." + name);
            } catch (CodecException e) {
                throw new CodecFailure(e.getMessage(), e).at("." + name);
            }
        }
        try {
            return b.build();
        } catch (CodecException e) {
            throw new CodecFailure(e.getMessage(), e);
        }
    }
}
