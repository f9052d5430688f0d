package rpcx.codec.msgpack;

import java.io.IOException;
import java.lang.reflect.Array;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.msgpack.core.ExtensionTypeHeader;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessageInsufficientBufferException;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

import rpcx.api.GoType;
import rpcx.api.spi.CodecException;
import rpcx.api.spi.CodecFailure;
import rpcx.api.spi.StructModel;
import rpcx.api.spi.StructTypes;

/**
 * Reads one msgpack value into a declared Java type, accepting every form a MessagePack peer may use for it: any
 * integer width for any integer type (range-checked), integers and both float widths for floating-point types,
 * str or bin for strings and {@code byte[]}, map- or array-encoded structs (unknown keys skipped), nil as the
 * zero of a primitive or {@code null}. One reader serves one decode call.
 */
final class MsgpackReader {
    /**
     * Each struct's property names as UTF-8, in property order, so map keys are matched against them without a
     * String per key; null where a name does not look its property up exactly (such keys take the slow path).
     */
    private static final ClassValue<byte[][]> KEY_BYTES = new ClassValue<>() {
        @Override
        protected byte[][] computeValue(Class<?> type) {
            StructModel model = StructModel.of(type);
            List<StructModel.Property> props = model.properties();
            byte[][] keys = new byte[props.size()][];
            for (int i = 0; i < keys.length; i++) {
                String name = props.get(i).name();
                keys[i] = model.byName(name) == props.get(i) ? name.getBytes(StandardCharsets.UTF_8) : null;
            }
            return keys;
        }
    };

    /** Holds the key being matched. */
    private byte[] keyScratch = new byte[64];

    private static final int EXT_TIMESTAMP = -1;

    private final MessageUnpacker in;
    private final long length;

    MsgpackReader(MessageUnpacker in, int length) {
        this.in = in;
        this.length = length;
    }

    /** Reads a value of the declared type; {@code goType} is the declared Go number type (AUTO: by Java type). */
    Object read(Type type, GoType goType, int depth) {
        try {
            return readValue(type, StructModel.rawClass(type), goType, depth);
        } catch (MessageInsufficientBufferException e) {
            throw new CodecFailure("the data ends in the middle of a value (truncated payload?)", e);
        } catch (MessagePackException e) {
            throw new CodecFailure("invalid msgpack: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new CodecFailure("cannot read the payload: " + e, e);
        }
    }

    private Object readValue(Type type, Class<?> raw, GoType goType, int depth) throws IOException {
        MessageFormat f = in.getNextFormat();
        if (f == MessageFormat.NEVER_USED) {
            throw new CodecFailure("invalid msgpack: byte 0xc1 is never used");
        }
        ValueType vt = f.getValueType();
        if (vt == ValueType.NIL) {
            in.unpackNil();
            return raw.isPrimitive() ? StructModel.zeroValue(raw) : null;
        }
        if (raw == Object.class) {
            return readNatural(f, depth);
        }
        if (raw == String.class) {
            return readString(f, vt);
        }
        if (raw == long.class || raw == Long.class) {
            return readIntegral(f, vt, raw, goType, 64);
        }
        if (raw == int.class || raw == Integer.class) {
            return (int) readIntegral(f, vt, raw, goType, 32);
        }
        if (raw == boolean.class || raw == Boolean.class) {
            if (vt != ValueType.BOOLEAN) {
                throw mismatch("a boolean", raw, f);
            }
            return in.unpackBoolean();
        }
        if (raw == double.class || raw == Double.class) {
            return readDouble(f, vt, raw);
        }
        if (raw == float.class || raw == Float.class) {
            double d = readDouble(f, vt, raw);
            return (float) d;
        }
        if (raw == byte[].class) {
            return readBytes(f, vt, depth);
        }
        if (raw == short.class || raw == Short.class) {
            return (short) readIntegral(f, vt, raw, goType, 16);
        }
        if (raw == byte.class || raw == Byte.class) {
            return (byte) readIntegral(f, vt, raw, goType, 8);
        }
        if (raw == char.class || raw == Character.class) {
            long v = readInteger(f, vt, raw, false);
            if (v < 0 || v > Character.MAX_VALUE) {
                throw new CodecFailure(v + " does not fit in a char (0..65535)");
            }
            return (char) v;
        }
        if (depth >= MsgpackWriter.MAX_DEPTH) {
            throw new CodecFailure("values nested deeper than " + MsgpackWriter.MAX_DEPTH + " levels");
        }
        if (raw.isEnum()) {
            return readEnum(f, vt, raw);
        }
        if (Map.class.isAssignableFrom(raw)) {
            return readMap(f, vt, type, raw, goType, depth);
        }
        if (StructTypes.isCollection(raw)) {
            return readCollection(f, vt, type, raw, goType, depth);
        }
        if (raw.isArray()) {
            return readArray(f, vt, type, raw, goType, depth);
        }
        if (raw == BigInteger.class) {
            return readBigInteger(f, vt);
        }
        if (raw == Instant.class) {
            if (vt != ValueType.EXTENSION) {
                throw mismatch("a timestamp (ext -1)", raw, f);
            }
            ExtensionTypeHeader h = in.unpackExtensionTypeHeader();
            if (h.getType() != EXT_TIMESTAMP) {
                throw new CodecFailure("expected a timestamp (ext type -1) for Instant, got ext type " + h.getType());
            }
            return in.unpackTimestamp(h);
        }
        if (StructModel.isStruct(raw)) {
            return readStruct(f, vt, raw, depth);
        }
        if (raw.isInterface() || raw == Number.class) {
            Object v = readNatural(f, depth);
            if (v != null && !raw.isInstance(v)) {
                throw new CodecFailure("a msgpack " + vt.name().toLowerCase() + " decodes to " + v.getClass().getName()
                        + ", which is not a " + raw.getName());
            }
            return v;
        }
        throw new CodecFailure("cannot decode into " + type.getTypeName() + ": msgpack decodes into records, POJOs,"
                + " numbers, strings, booleans, byte[], collections, arrays, maps, enums, Instant and Object");
    }

    // ------------------------------------------------------------------------------------------------ scalars

    private CodecFailure mismatch(String expected, Type target, MessageFormat f) {
        return new CodecFailure("expected " + expected + " for " + StructTypes.name(target) + ", got " + describe(f));
    }

    private static String describe(MessageFormat f) {
        return switch (f.getValueType()) {
            case INTEGER -> "an integer";
            case FLOAT -> "a float";
            case STRING -> "a string";
            case BINARY -> "binary data";
            case ARRAY -> "an array";
            case MAP -> "a map";
            case BOOLEAN -> "a boolean";
            case EXTENSION -> "an extension value";
            case NIL -> "nil";
        };
    }

    /** Refuses a length that cannot be real before anything is allocated for it. */
    private void checkAvailable(long count, int minBytesEach, String what, String unit) {
        long remaining = length - in.getTotalReadBytes();
        if (count < 0 || count * minBytesEach > remaining) {
            throw new CodecFailure(what + " of " + (count < 0 ? Integer.toUnsignedString((int) count) : count) + " "
                    + unit + " is announced, but only " + remaining + " bytes are left (truncated or corrupt"
                    + " payload)");
        }
    }

    private byte[] readRaw(ValueType vt) throws IOException {
        int n = vt == ValueType.STRING ? in.unpackRawStringHeader() : in.unpackBinaryHeader();
        checkAvailable(n, 1, vt == ValueType.STRING ? "a string" : "binary data", "bytes");
        return in.readPayload(n);
    }

    private String readString(MessageFormat f, ValueType vt) throws IOException {
        if (vt != ValueType.STRING && vt != ValueType.BINARY) {
            throw mismatch("a string", String.class, f);
        }
        return new String(readRaw(vt), StandardCharsets.UTF_8);
    }

    private byte[] readBytes(MessageFormat f, ValueType vt, int depth) throws IOException {
        if (vt == ValueType.BINARY || vt == ValueType.STRING) {
            return readRaw(vt);
        }
        if (vt == ValueType.ARRAY) {
            return (byte[]) readArray(f, vt, byte[].class, byte[].class, GoType.AUTO, depth);
        }
        throw mismatch("binary data", byte[].class, f);
    }

    /**
     * Any integer form (or an integral float) as a long. A uint64 above Long.MAX_VALUE is an error unless
     * {@code keepUint64Bits}, when the long keeps its 64 bits.
     */
    private long readInteger(MessageFormat f, ValueType vt, Class<?> target, boolean keepUint64Bits)
            throws IOException {
        if (vt == ValueType.INTEGER) {
            if (f == MessageFormat.UINT64) {
                BigInteger b = in.unpackBigInteger();
                if (b.bitLength() > 63) {
                    if (keepUint64Bits) {
                        return b.longValue();
                    }
                    throw new CodecFailure(b + " does not fit in " + StructTypes.name(target)
                            + (target == long.class || target == Long.class
                                    ? " (declare @GoField(type = GoType.UINT64) to keep uint64 bits in a long)" : ""));
                }
                return b.longValue();
            }
            return in.unpackLong();
        }
        if (vt == ValueType.FLOAT) {
            double d = in.unpackDouble();
            if (d != Math.rint(d) || Double.isInfinite(d) || d < -0x1p63 || d >= 0x1p63) {
                throw new CodecFailure("the float " + d + " is not an integer that fits in " + StructTypes.name(target));
            }
            return (long) d;
        }
        throw mismatch("an integer", target, f);
    }

    /**
     * Reads an integer for a Java integral type of {@code bits} width. Values must fit the Java type; a Go unsigned
     * type of the same width ({@code uint8} in a byte, ..., {@code uint64} in a long) may also use the unsigned
     * range, stored in the Java value's bits.
     */
    private long readIntegral(MessageFormat f, ValueType vt, Class<?> target, GoType goType, int bits)
            throws IOException {
        long v = readInteger(f, vt, target, bits == 64 && (goType == GoType.UINT64 || goType == GoType.UINT));
        if (bits == 64) {
            return v;
        }
        long min = -(1L << (bits - 1));
        long max = (1L << (bits - 1)) - 1;
        if (v >= min && v <= max) {
            return v;
        }
        if (v > max && v < (1L << bits) && isUnsignedOfWidth(goType, bits)) {
            return v;
        }
        throw new CodecFailure(v + " does not fit in " + StructTypes.name(target) + " (" + min + ".." + max + ")");
    }

    private static boolean isUnsignedOfWidth(GoType t, int bits) {
        return switch (bits) {
            case 8 -> t == GoType.UINT8;
            case 16 -> t == GoType.UINT16;
            case 32 -> t == GoType.UINT32;
            default -> false;
        };
    }

    private double readDouble(MessageFormat f, ValueType vt, Class<?> target) throws IOException {
        if (vt == ValueType.FLOAT) {
            return in.unpackDouble();
        }
        if (vt == ValueType.INTEGER) {
            if (f == MessageFormat.UINT64) {
                return in.unpackBigInteger().doubleValue();
            }
            return in.unpackLong();
        }
        throw mismatch("a number", target, f);
    }

    private BigInteger readBigInteger(MessageFormat f, ValueType vt) throws IOException {
        if (vt == ValueType.INTEGER) {
            return in.unpackBigInteger();
        }
        if (vt == ValueType.FLOAT) {
            double d = in.unpackDouble();
            try {
                return new BigDecimal(d).toBigIntegerExact();
            } catch (ArithmeticException | NumberFormatException e) {
                throw new CodecFailure("the float " + d + " is not an integer");
            }
        }
        throw mismatch("an integer", BigInteger.class, f);
    }

    private Object readEnum(MessageFormat f, ValueType vt, Class<?> raw) throws IOException {
        if (vt == ValueType.STRING || vt == ValueType.BINARY) {
            return StructTypes.enumByName(raw, readString(f, vt));
        }
        if (vt == ValueType.INTEGER) {
            return StructTypes.enumByOrdinal(raw, readInteger(f, vt, raw, false));
        }
        throw mismatch("a string (enum constant name)", raw, f);
    }

    // ------------------------------------------------------------------------------------------------ containers

    /** Without a declared type: Long (BigInteger above Long.MAX_VALUE), Double, String, byte[], Boolean, List, Map. */
    private Object readNatural(MessageFormat f, int depth) throws IOException {
        switch (f.getValueType()) {
            case NIL:
                in.unpackNil();
                return null;
            case BOOLEAN:
                return in.unpackBoolean();
            case INTEGER:
                if (f == MessageFormat.UINT64) {
                    BigInteger b = in.unpackBigInteger();
                    return b.bitLength() > 63 ? b : (Object) b.longValue();
                }
                return in.unpackLong();
            case FLOAT:
                return in.unpackDouble();
            case STRING:
                return new String(readRaw(ValueType.STRING), StandardCharsets.UTF_8);
            case BINARY:
                return readRaw(ValueType.BINARY);
            case EXTENSION: {
                ExtensionTypeHeader h = in.unpackExtensionTypeHeader();
                if (h.getType() == EXT_TIMESTAMP) {
                    return in.unpackTimestamp(h);
                }
                throw new CodecFailure("cannot decode msgpack extension type " + h.getType() + " into Object");
            }
            default:
                break;
        }
        if (depth >= MsgpackWriter.MAX_DEPTH) {
            throw new CodecFailure("values nested deeper than " + MsgpackWriter.MAX_DEPTH + " levels");
        }
        if (f.getValueType() == ValueType.ARRAY) {
            int n = in.unpackArrayHeader();
            checkAvailable(n, 1, "an array", "elements");
            List<Object> list = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                list.add(element(Object.class, GoType.AUTO, depth, i));
            }
            return list;
        }
        int n = in.unpackMapHeader();
        checkAvailable(n, 2, "a map", "entries");
        Map<Object, Object> map = new LinkedHashMap<>(Math.max(4, n * 4 / 3 + 1));
        for (int i = 0; i < n; i++) {
            Object k = element(Object.class, GoType.AUTO, depth, i);
            map.put(k, value(Object.class, GoType.AUTO, depth, k));
        }
        return map;
    }

    private Object element(Type type, GoType goType, int depth, int index) {
        try {
            return read(type, goType, depth + 1);
        } catch (CodecFailure e) {
            throw e.at("[" + index + "]");
        }
    }

    private Object value(Type type, GoType goType, int depth, Object key) {
        try {
            return read(type, goType, depth + 1);
        } catch (CodecFailure e) {
            throw e.at("[" + key + "]");
        }
    }

    private Object readMap(MessageFormat f, ValueType vt, Type type, Class<?> raw, GoType goType, int depth)
            throws IOException {
        if (vt != ValueType.MAP) {
            throw mismatch("a map", type, f);
        }
        int n = in.unpackMapHeader();
        checkAvailable(n, 2, "a map", "entries");
        Type keyType = StructTypes.argument(type, 0);
        Type valueType = StructTypes.argument(type, 1);
        Map<Object, Object> map = StructTypes.newMap(raw, n);
        for (int i = 0; i < n; i++) {
            Object k;
            try {
                k = read(keyType, GoType.AUTO, depth + 1);
            } catch (CodecFailure e) {
                throw e.at("[key " + i + "]");
            }
            Object v = value(valueType, goType, depth, k);
            try {
                map.put(k, v);
            } catch (RuntimeException e) {
                throw new CodecFailure("cannot put into " + raw.getSimpleName() + ": " + e, e).at("[" + k + "]");
            }
        }
        return map;
    }

    private Object readCollection(MessageFormat f, ValueType vt, Type type, Class<?> raw, GoType goType, int depth)
            throws IOException {
        if (vt != ValueType.ARRAY) {
            throw mismatch("an array", type, f);
        }
        int n = in.unpackArrayHeader();
        checkAvailable(n, 1, "an array", "elements");
        Type elementType = StructTypes.argument(type, 0);
        Collection<Object> out = StructTypes.newCollection(raw, n);
        for (int i = 0; i < n; i++) {
            Object e = element(elementType, goType, depth, i);
            try {
                out.add(e);
            } catch (RuntimeException ex) {
                throw new CodecFailure("cannot add to " + raw.getSimpleName() + ": " + ex, ex).at("[" + i + "]");
            }
        }
        return out;
    }

    private Object readArray(MessageFormat f, ValueType vt, Type type, Class<?> raw, GoType goType, int depth)
            throws IOException {
        if (vt != ValueType.ARRAY) {
            throw mismatch("an array", type, f);
        }
        int n = in.unpackArrayHeader();
        checkAvailable(n, 1, "an array", "elements");
        Type componentType = StructTypes.component(type, raw);
        Class<?> componentRaw = raw.getComponentType();
        Object array = Array.newInstance(componentRaw, n);
        for (int i = 0; i < n; i++) {
            Object e = element(componentType, goType, depth, i);
            if (e == null && componentRaw.isPrimitive()) {
                continue;
            }
            Array.set(array, i, e);
        }
        return array;
    }

    private Object readStruct(MessageFormat f, ValueType vt, Class<?> raw, int depth) throws IOException {
        StructModel model;
        try {
            model = StructModel.of(raw);
        } catch (CodecException e) {
            throw new CodecFailure(e.getMessage(), e);
        }
        StructModel.Builder b = model.builder();
        if (vt == ValueType.MAP) {
            int n = in.unpackMapHeader();
            checkAvailable(n, 2, "a map", "entries");
            byte[][] keys = KEY_BYTES.get(raw);
            List<StructModel.Property> props = model.properties();
            for (int i = 0; i < n; i++) {
                MessageFormat kf = in.getNextFormat();
                ValueType kvt = kf == MessageFormat.NEVER_USED ? ValueType.NIL : kf.getValueType();
                if (kvt != ValueType.STRING && kvt != ValueType.BINARY) {
                    throw new CodecFailure("a struct's map keys must be strings (Go field names), got " + describe(kf)
                            + " as key " + i);
                }
                int len = kvt == ValueType.STRING ? in.unpackRawStringHeader() : in.unpackBinaryHeader();
                checkAvailable(len, 1, kvt == ValueType.STRING ? "a string" : "binary data", "bytes");
                if (keyScratch.length < len) {
                    keyScratch = new byte[Math.max(len, 2 * keyScratch.length)];
                }
                in.readPayload(keyScratch, 0, len);
                // keys usually come in field order (Go and our writer emit them so): try that one first
                int known = findKey(keys, keyScratch, len, i);
                String key;
                StructModel.Property p;
                if (known >= 0) {
                    p = props.get(known);
                    key = p.name();
                } else {
                    key = new String(keyScratch, 0, len, StandardCharsets.UTF_8);
                    p = model.byName(key);
                }
                if (p == null) {
                    in.skipValue();
                    continue;
                }
                set(b, p, key, depth);
            }
        } else if (vt == ValueType.ARRAY) {
            int n = in.unpackArrayHeader();
            checkAvailable(n, 1, "an array", "elements");
            List<StructModel.Property> props = model.properties();
            for (int i = 0; i < n; i++) {
                if (i < props.size()) {
                    set(b, props.get(i), props.get(i).name(), depth);
                } else {
                    in.skipValue();
                }
            }
        } else {
            throw mismatch("a map (struct)", raw, f);
        }
        try {
            return b.build();
        } catch (CodecException e) {
            throw new CodecFailure(e.getMessage(), e);
        }
    }

    /** The index of the property whose name has these UTF-8 bytes (trying {@code hint} first), or -1. */
    private static int findKey(byte[][] keys, byte[] key, int len, int hint) {
        if (hint < keys.length && sameKey(keys[hint], key, len)) {
            return hint;
        }
        for (int j = 0; j < keys.length; j++) {
            if (sameKey(keys[j], key, len)) {
                return j;
            }
        }
        return -1;
    }

    private static boolean sameKey(byte[] name, byte[] key, int len) {
        return name != null && name.length == len && Arrays.equals(name, 0, len, key, 0, len);
    }

    private void set(StructModel.Builder b, StructModel.Property p, String key, int depth) {
        try {
            b.set(p, read(p.genericType(), p.goType(), depth + 1));
        } catch (CodecFailure e) {
            throw e.at("." + key);
        } catch (CodecException e) {
            throw new CodecFailure(e.getMessage(), e).at("." + key);
        }
    }
}
