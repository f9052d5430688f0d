package com.example.rpcx.codec.cbor;

import java.io.IOException;
import java.lang.reflect.Array;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser.NumberType;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;

import rpcx.api.GoType;
import rpcx.api.spi.CodecException;
import rpcx.api.spi.CodecFailure;
import rpcx.api.spi.StructModel;
import rpcx.api.spi.StructTypes;

/**
 * Reads one CBOR data item into a declared Java type the way Go's {@code cbor.Unmarshal} (fxamacker/cbor/v2,
 * default options) fills the corresponding Go type:
 *
 * <ul>
 *   <li>structs from maps: keys match the {@code json} tag or Go field name exactly, else case-insensitively;
 *       unknown keys are skipped; missing fields keep their Go zero value;</li>
 *   <li>integer types from CBOR integers only (a float into an int is an error, as in Go), range-checked against
 *       the declared Go type and the Java type; floating-point types from floats (half, single, double) or
 *       integers;</li>
 *   <li>{@code String} from text strings, {@code byte[]} from byte strings (definite or indefinite length);</li>
 *   <li>{@code null} (and {@code undefined}) gives {@code null}, or zero for a primitive;</li>
 *   <li>{@code Object} gets Long, Double, String, Boolean, byte[], List or Map&lt;String, Object&gt;.</li>
 * </ul>
 *
 * <p>Bounded, as Go's decoder is by default: at most {@value #MAX_NESTED_LEVELS} nested arrays and maps, at most
 * {@value #MAX_CONTAINER_ITEMS} elements in one array or pairs in one map; and, a Java-side guard, at most
 * {@value #MAX_VALUES} values in one payload. Lengths are never used to allocate ahead: a byte string that declares
 * 2 GiB fails at the end of the data. One reader serves one decode call.
 */
final class CborReader {
    /** fxamacker/cbor's default MaxNestedLevels. */
    static final int MAX_NESTED_LEVELS = 32;
    /** fxamacker/cbor's default MaxArrayElements and MaxMapPairs. */
    static final int MAX_CONTAINER_ITEMS = 131_072;
    /** Values (of any kind) in one payload: bounds the objects a small payload can make us create. */
    static final int MAX_VALUES = 1 << 20;

    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    private final CBORParser in;
    private int values;

    CborReader(CBORParser in) {
        this.in = in;
    }

    /** Reads the data item starting at the current token. */
    Object read(Type type) throws IOException {
        return read(type, GoType.AUTO, 0);
    }

    private Object read(Type type, GoType goType, int depth) throws IOException {
        JsonToken t = in.currentToken();
        if (t == null) {
            throw new CodecFailure("the data ends where a value should start (truncated payload?)");
        }
        if (++values > MAX_VALUES) {
            throw new CodecFailure("more than " + MAX_VALUES + " values in one payload");
        }
        Class<?> raw = StructModel.rawClass(type);
        if (t == JsonToken.VALUE_NULL) {
            return raw.isPrimitive() ? StructModel.zeroValue(raw) : null;
        }
        if (raw == Object.class) {
            return readNatural(t, depth);
        }
        if (raw == String.class) {
            if (t != JsonToken.VALUE_STRING) {
                throw mismatch("a text string", type, t);
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
            if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
                return t == JsonToken.VALUE_TRUE;
            }
            throw mismatch("true or false", type, t);
        }
        if (raw == double.class || raw == Double.class) {
            return readDouble(t, raw);
        }
        if (raw == float.class || raw == Float.class) {
            double d = readDouble(t, raw);
            float f = (float) d;
            if (Float.isInfinite(f) && !Double.isInfinite(d)) {
                throw new CodecFailure(d + " overflows float (Go float32)");
            }
            return f;
        }
        if (raw == byte[].class) {
            if (!CborCodec.isBytes(in, t)) {
                throw mismatch("a byte string", type, t);
            }
            return in.getBinaryValue();
        }
        if (raw == short.class || raw == Short.class) {
            return (short) readIntegral(t, raw, goType, 16);
        }
        if (raw == byte.class || raw == Byte.class) {
            return (byte) readIntegral(t, raw, goType, 8);
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
        if (StructModel.isStruct(raw)) {
            return readStruct(t, raw, depth);
        }
        throw new CodecFailure("cannot decode into " + type.getTypeName() + ": the CBOR codec decodes into records"
                + " and POJOs, String, boolean, long/int/short/byte, double/float, byte[], collections, arrays,"
                + " Map<String, ?> and Object");
    }

    // ------------------------------------------------------------------------------------------------ scalars

    private static CodecFailure mismatch(String expected, Type target, JsonToken t) {
        return new CodecFailure("expected " + expected + " for " + StructTypes.name(target) + ", got " + kind(t));
    }

    private static String kind(JsonToken t) {
        return switch (t) {
            case START_OBJECT -> "a map";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a text string";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> "a float";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            case VALUE_EMBEDDED_OBJECT -> "a byte string or a simple value";
            default -> t.name();
        };
    }

    /**
     * A CBOR integer for a Java integral type of {@code javaBits}: within the declared Go type's range, and within
     * the Java type's range, except that an unsigned Go type of the Java type's width keeps its bits.
     */
    private long readIntegral(JsonToken t, Class<?> target, GoType goType, int javaBits) throws IOException {
        if (t != JsonToken.VALUE_NUMBER_INT) {
            throw mismatch("an integer", target, t);
        }
        boolean unsigned = goType == GoType.UINT || goType == GoType.UINT64 || goType == GoType.UINT32
                || goType == GoType.UINT16 || goType == GoType.UINT8;
        if (in.getNumberType() == NumberType.BIG_INTEGER) {
            BigInteger b = in.getBigIntegerValue();
            if (javaBits == 64 && (goType == GoType.UINT || goType == GoType.UINT64) && b.signum() >= 0
                    && b.compareTo(TWO_64) < 0) {
                return b.longValue(); // uint64 bits in a long
            }
            throw new CodecFailure(b + " overflows " + StructTypes.name(target)
                    + (javaBits == 64 && b.signum() > 0 && b.compareTo(TWO_64) < 0
                            ? " (declare @GoField(type = GoType.UINT64) to keep uint64 bits in a long)" : ""));
        }
        long v = in.getLongValue();
        int goBits = switch (goType) {
            case INT8, UINT8 -> 8;
            case INT16, UINT16 -> 16;
            case INT32, UINT32 -> 32;
            default -> 64;
        };
        if (unsigned && v < 0) {
            throw new CodecFailure(v + " overflows Go " + CborWriter.goName(goType));
        }
        if (goBits < 64) {
            long min = unsigned ? 0 : -(1L << (goBits - 1));
            long max = unsigned ? (1L << goBits) - 1 : (1L << (goBits - 1)) - 1;
            if (v < min || v > max) {
                throw new CodecFailure(v + " overflows Go " + CborWriter.goName(goType));
            }
        }
        if (javaBits == 64) {
            return v;
        }
        long min = -(1L << (javaBits - 1));
        long max = (1L << (javaBits - 1)) - 1;
        if ((v >= min && v <= max) || (unsigned && goBits == javaBits)) {
            return v;
        }
        throw new CodecFailure(v + " does not fit in " + StructTypes.name(target) + " (" + min + ".." + max + ")");
    }

    /** A float of any width, or an integer (Go fills a float from a CBOR integer too). */
    private double readDouble(JsonToken t, Class<?> target) throws IOException {
        if (t == JsonToken.VALUE_NUMBER_INT) {
            return in.getNumberType() == NumberType.BIG_INTEGER ? in.getBigIntegerValue().doubleValue()
                    : in.getLongValue();
        }
        if (t == JsonToken.VALUE_NUMBER_FLOAT && in.getNumberType() != NumberType.BIG_DECIMAL) {
            return in.getDoubleValue();
        }
        if (t == JsonToken.VALUE_NUMBER_FLOAT) {
            throw new CodecFailure("decimal fractions (tag 4) are not supported; expected a float for "
                    + StructTypes.name(target));
        }
        throw mismatch("a float", target, t);
    }

    // ------------------------------------------------------------------------------------------------ containers

    /** Without a declared type: Long, Double, String, Boolean, byte[], List or Map. */
    private Object readNatural(JsonToken t, int depth) throws IOException {
        switch (t) {
            case VALUE_STRING:
                return in.getText();
            case VALUE_NUMBER_INT:
                if (in.getNumberType() == NumberType.BIG_INTEGER) {
                    throw new CodecFailure(in.getBigIntegerValue() + " does not fit in a long (Object decodes"
                            + " integers as Long; declare a long with @GoField(type = GoType.UINT64) for uint64)");
                }
                return in.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return readDouble(t, Object.class);
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case START_ARRAY:
                return readCollection(t, List.class, List.class, GoType.AUTO, depth);
            case START_OBJECT:
                return readMap(t, Map.class, Map.class, GoType.AUTO, depth);
            default:
                if (CborCodec.isBytes(in, t)) {
                    return in.getBinaryValue();
                }
                throw new CodecFailure("unsupported CBOR item: " + (t == JsonToken.VALUE_EMBEDDED_OBJECT
                        ? "simple value " + in.getEmbeddedObject() : kind(t)));
        }
    }

    private void enter(int depth) {
        if (depth + 1 > MAX_NESTED_LEVELS) {
            throw new CodecFailure("more than " + MAX_NESTED_LEVELS + " nested arrays and maps");
        }
    }

    private static void count(int items, String what) {
        if (items > MAX_CONTAINER_ITEMS) {
            throw new CodecFailure("more than " + MAX_CONTAINER_ITEMS + " " + what);
        }
    }

    /** Reads the element at the current token. */
    private Object element(Type type, GoType goType, int depth, int index) throws IOException {
        try {
            return read(type, goType, depth + 1);
        } catch (CodecFailure e) {
            throw e.at("[" + index + "]");
        }
    }

    private Object readMap(JsonToken t, Type type, Class<?> raw, GoType goType, int depth) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            throw mismatch("a map", type, t);
        }
        enter(depth);
        Class<?> keyRaw = StructModel.rawClass(StructTypes.argument(type, 0));
        if (keyRaw != String.class && keyRaw != Object.class && keyRaw != CharSequence.class) {
            throw new CodecFailure("map keys decode as String (Go map[string]T), not " + keyRaw.getName());
        }
        Type valueType = StructTypes.argument(type, 1);
        Map<Object, Object> map = raw == Map.class ? new LinkedHashMap<>() : StructTypes.newMap(raw, 8);
        int n = 0;
        while (in.nextToken() == JsonToken.FIELD_NAME) {
            count(++n, "pairs in one map");
            String key = in.currentName();
            in.nextToken();
            Object v;
            try {
                v = read(valueType, goType, depth + 1);
            } catch (CodecFailure e) {
                throw e.at("[" + key + "]");
            }
            try {
                map.put(key, v);
            } catch (RuntimeException e) {
                throw new CodecFailure("cannot put into " + raw.getSimpleName() + ": " + e, e).at("[" + key + "]");
            }
        }
        endOfMap();
        return map;
    }

    private void endOfMap() {
        if (in.currentToken() != JsonToken.END_OBJECT) {
            throw new CodecFailure("the data ends inside a map (truncated payload?)");
        }
    }

    private Object readCollection(JsonToken t, Type type, Class<?> raw, GoType goType, int depth)
            throws IOException {
        if (t != JsonToken.START_ARRAY) {
            throw mismatch("an array", type, t);
        }
        enter(depth);
        Type elementType = StructTypes.argument(type, 0);
        Collection<Object> out = raw == List.class ? new ArrayList<>() : StructTypes.newCollection(raw, 8);
        for (int i = 0; in.nextToken() != JsonToken.END_ARRAY; i++) {
            count(i + 1, "elements in one array");
            Object e = element(elementType, goType, depth, i);
            try {
                out.add(e);
            } catch (RuntimeException ex) {
                throw new CodecFailure("cannot add to " + raw.getSimpleName() + ": " + ex, ex).at("[" + i + "]");
            }
        }
        return out;
    }

    private Object readArray(JsonToken t, Type type, Class<?> raw, GoType goType, int depth) throws IOException {
        if (t != JsonToken.START_ARRAY) {
            throw mismatch("an array", type, t);
        }
        enter(depth);
        Type componentType = StructTypes.component(type, raw);
        Class<?> componentRaw = raw.getComponentType();
        List<Object> items = new ArrayList<>();
        while (in.nextToken() != JsonToken.END_ARRAY) {
            count(items.size() + 1, "elements in one array");
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
            throw mismatch("a map", raw, t);
        }
        enter(depth);
        StructModel model;
        try {
            model = StructModel.of(raw);
        } catch (CodecException e) {
            throw new CodecFailure(e.getMessage(), e);
        }
        StructModel.Builder b = model.builder();
        int n = 0;
        while (in.nextToken() == JsonToken.FIELD_NAME) {
            count(++n, "pairs in one map");
            String name = in.currentName();
            JsonToken vt = in.nextToken();
            StructModel.Property p = model.byJsonName(name);
            if (p == null) {
                skip(vt);
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
        endOfMap();
        try {
            return b.build();
        } catch (CodecException e) {
            throw new CodecFailure(e.getMessage(), e);
        }
    }

    /**
     * Skips the value of an unknown key, as Go does, whatever well-formed item it is. Nesting stays bounded (the
     * parser's own limit), and nothing is kept.
     */
    private void skip(JsonToken t) throws IOException {
        if (t == null) {
            throw new CodecFailure("the data ends where a value should start (truncated payload?)");
        }
        in.skipChildren();
    }
}
