package rpcx.codec.msgpack;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.msgpack.core.MessagePacker;

import rpcx.api.GoType;
import rpcx.api.spi.CodecException;
import rpcx.api.spi.CodecFailure;
import rpcx.api.spi.StructModel;

/**
 * Writes Java values the way vmihailenco/msgpack v5 (default options) writes the corresponding Go values:
 * structs as maps keyed by Go field name in declaration order, Go {@code int}/{@code uint} in the most compact form,
 * sized Go integers at their fixed width, str8 for 32..255-byte strings, bin for {@code []byte}, nil for
 * {@code nil}. One writer serves one encode call.
 */
final class MsgpackWriter {
    /** Deeper than this is almost surely a reference cycle; fail instead of overflowing the stack. */
    static final int MAX_DEPTH = 512;

    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    /** Per struct class: its model and each property's key, already encoded as a msgpack string. */
    private static final ClassValue<Struct> STRUCTS = new ClassValue<>() {
        @Override
        protected Struct computeValue(Class<?> type) {
            return StructModel.isStruct(type) ? new Struct(type) : null;
        }
    };

    private static final class Struct {
        final StructModel model;
        final List<StructModel.Property> properties;
        final byte[][] keys;
        final RuntimeException failure;

        Struct(Class<?> type) {
            StructModel m = null;
            RuntimeException f = null;
            try {
                m = StructModel.of(type);
            } catch (CodecException e) {
                f = e;
            }
            this.model = m;
            this.failure = f;
            this.properties = m == null ? List.of() : m.properties();
            this.keys = new byte[properties.size()][];
            for (int i = 0; i < keys.length; i++) {
                keys[i] = encodeString(properties.get(i).name());
            }
        }
    }

    private final MessagePacker out;
    private final byte[] scratch = new byte[9];

    MsgpackWriter(MessagePacker out) {
        this.out = out;
    }

    /** A string as a complete msgpack str value (header and UTF-8 bytes), fixstr/str8/str16/str32. */
    static byte[] encodeString(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        int n = utf8.length;
        int h = n < 32 ? 1 : n < 256 ? 2 : n < 65536 ? 3 : 5;
        byte[] b = new byte[h + n];
        if (h == 1) {
            b[0] = (byte) (0xa0 | n);
        } else if (h == 2) {
            b[0] = (byte) 0xd9;
            b[1] = (byte) n;
        } else if (h == 3) {
            b[0] = (byte) 0xda;
            b[1] = (byte) (n >>> 8);
            b[2] = (byte) n;
        } else {
            b[0] = (byte) 0xdb;
            b[1] = (byte) (n >>> 24);
            b[2] = (byte) (n >>> 16);
            b[3] = (byte) (n >>> 8);
            b[4] = (byte) n;
        }
        System.arraycopy(utf8, 0, b, h, n);
        return b;
    }

    /**
     * Writes one value. {@code goType} is the declared Go number type of the enclosing property (it also applies
     * to the number elements of collections, arrays and map values); {@link GoType#AUTO} picks the default for
     * the value's class.
     */
    void write(Object v, GoType goType, int depth) throws IOException {
        if (v == null) {
            out.packNil();
            return;
        }
        Class<?> c = v.getClass();
        if (c == String.class) {
            writeString((String) v);
        } else if (c == Long.class) {
            writeInteger((Long) v, goType == GoType.AUTO ? GoType.INT64 : goType, 64);
        } else if (c == Integer.class) {
            writeInteger((Integer) v, goType == GoType.AUTO ? GoType.INT : goType, 32);
        } else if (c == Boolean.class) {
            out.packBoolean((Boolean) v);
        } else if (c == Double.class) {
            writeFloat((Double) v, goType == GoType.AUTO ? GoType.FLOAT64 : goType);
        } else if (c == Float.class) {
            writeFloat((Float) v, goType == GoType.AUTO ? GoType.FLOAT32 : goType);
        } else if (c == byte[].class) {
            byte[] b = (byte[]) v;
            out.packBinaryHeader(b.length);
            out.writePayload(b);
        } else if (c == Short.class) {
            writeInteger((Short) v, goType == GoType.AUTO ? GoType.INT : goType, 16);
        } else if (c == Byte.class) {
            writeInteger((Byte) v, goType == GoType.AUTO ? GoType.INT : goType, 8);
        } else if (c == Character.class) {
            writeInteger((Character) v, goType == GoType.AUTO ? GoType.INT32 : goType, 32);
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
            writeCollection(col, goType, depth);
        } else if (c.isArray()) {
            writeArray(v, c, goType, depth);
        } else if (v instanceof Enum<?> e) {
            writeString(e.name());
        } else if (v instanceof BigInteger b) {
            writeBigInteger(b, goType == GoType.AUTO ? GoType.INT : goType);
        } else if (v instanceof Instant t) {
            out.packTimestamp(t);
        } else {
            throw new CodecFailure("cannot encode a " + c.getName() + ": msgpack carries records, POJOs, numbers,"
                    + " strings, booleans, byte[], collections, arrays, maps, enums and Instant");
        }
    }

    private void writeStruct(Object v, Struct s, int depth) throws IOException {
        if (s.failure != null) {
            throw new CodecFailure(s.failure.getMessage(), s.failure);
        }
        List<StructModel.Property> props = s.properties;
        int n = props.size();
        out.packMapHeader(n);
        for (int i = 0; i < n; i++) {
            StructModel.Property p = props.get(i);
            out.writePayload(s.keys[i]);
            try {
                write(p.get(v), p.goType(), depth + 1);
            } catch (CodecFailure f) {
                throw f.at("." + p.name());
            } catch (CodecException e) {
                throw new CodecFailure(e.getMessage(), e).at("." + p.name());
            }
        }
    }

    private void writeMap(Map<?, ?> m, GoType goType, int depth) throws IOException {
        out.packMapHeader(m.size());
        int written = 0;
        for (Map.Entry<?, ?> e : m.entrySet()) {
            Object k = e.getKey();
            try {
                write(k, GoType.AUTO, depth + 1);
                write(e.getValue(), goType, depth + 1);
            } catch (CodecFailure f) {
                throw f.at("[" + k + "]");
            }
            written++;
        }
        if (written != m.size()) {
            throw new CodecFailure("the map changed size while it was being encoded");
        }
    }

    private void writeCollection(Collection<?> col, GoType goType, int depth) throws IOException {
        int size = col.size();
        out.packArrayHeader(size);
        int i = 0;
        for (Object e : col) {
            if (i == size) {
                break;
            }
            try {
                write(e, goType, depth + 1);
            } catch (CodecFailure f) {
                throw f.at("[" + i + "]");
            }
            i++;
        }
        if (i != size) {
            throw new CodecFailure("the collection changed size while it was being encoded");
        }
    }

    private void writeArray(Object array, Class<?> c, GoType goType, int depth) throws IOException {
        if (c == int[].class) {
            int[] a = (int[]) array;
            out.packArrayHeader(a.length);
            for (int i = 0; i < a.length; i++) {
                writeIntegerAt(a[i], goType == GoType.AUTO ? GoType.INT : goType, 32, i);
            }
        } else if (c == long[].class) {
            long[] a = (long[]) array;
            out.packArrayHeader(a.length);
            for (int i = 0; i < a.length; i++) {
                writeIntegerAt(a[i], goType == GoType.AUTO ? GoType.INT64 : goType, 64, i);
            }
        } else if (c == short[].class) {
            short[] a = (short[]) array;
            out.packArrayHeader(a.length);
            for (int i = 0; i < a.length; i++) {
                writeIntegerAt(a[i], goType == GoType.AUTO ? GoType.INT : goType, 16, i);
            }
        } else if (c == char[].class) {
            char[] a = (char[]) array;
            out.packArrayHeader(a.length);
            for (int i = 0; i < a.length; i++) {
                writeIntegerAt(a[i], goType == GoType.AUTO ? GoType.INT32 : goType, 32, i);
            }
        } else if (c == double[].class) {
            double[] a = (double[]) array;
            out.packArrayHeader(a.length);
            for (double d : a) {
                writeFloat(d, goType == GoType.AUTO ? GoType.FLOAT64 : goType);
            }
        } else if (c == float[].class) {
            float[] a = (float[]) array;
            out.packArrayHeader(a.length);
            for (float f : a) {
                writeFloat(f, goType == GoType.AUTO ? GoType.FLOAT32 : goType);
            }
        } else if (c == boolean[].class) {
            boolean[] a = (boolean[]) array;
            out.packArrayHeader(a.length);
            for (boolean b : a) {
                out.packBoolean(b);
            }
        } else {
            Object[] a = (Object[]) array;
            out.packArrayHeader(a.length);
            for (int i = 0; i < a.length; i++) {
                try {
                    write(a[i], goType, depth + 1);
                } catch (CodecFailure f) {
                    throw f.at("[" + i + "]");
                }
            }
        }
    }

    private void writeIntegerAt(long v, GoType goType, int javaBits, int index) throws IOException {
        try {
            writeInteger(v, goType, javaBits);
        } catch (CodecFailure f) {
            throw f.at("[" + index + "]");
        }
    }

    private void writeString(String s) throws IOException {
        if (s.isEmpty()) {
            out.packRawStringHeader(0);
            return;
        }
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        out.packRawStringHeader(utf8.length);
        out.writePayload(utf8);
    }

    /**
     * Writes an integer as the given Go type. {@code javaBits} is the width of the Java type the value came from:
     * a negative value is written as an unsigned Go type only when the widths agree (Java's convention for
     * unsigned values, e.g. {@code long} holding a {@code uint64}).
     */
    private void writeInteger(long v, GoType goType, int javaBits) throws IOException {
        switch (goType) {
            case INT -> out.packLong(v);
            case INT64 -> fixed(0xd3, v, 8);
            case INT32 -> fixed(0xd2, checkSigned(v, 32, goType), 4);
            case INT16 -> fixed(0xd1, checkSigned(v, 16, goType), 2);
            case INT8 -> fixed(0xd0, checkSigned(v, 8, goType), 1);
            case UINT -> {
                if (v >= 0) {
                    out.packLong(v); // for non-negative values identical to Go's EncodeUint
                } else if (javaBits == 64) {
                    fixed(0xcf, v, 8);
                } else {
                    throw negative(v, goType);
                }
            }
            case UINT64 -> fixed(0xcf, checkUnsigned(v, 64, javaBits, goType), 8);
            case UINT32 -> fixed(0xce, checkUnsigned(v, 32, javaBits, goType), 4);
            case UINT16 -> fixed(0xcd, checkUnsigned(v, 16, javaBits, goType), 2);
            case UINT8 -> fixed(0xcc, checkUnsigned(v, 8, javaBits, goType), 1);
            case FLOAT32 -> out.packFloat(v);
            case FLOAT64 -> out.packDouble(v);
            default -> throw new CodecFailure("no Go type for integer " + v);
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

    private static long checkUnsigned(long v, int bits, int javaBits, GoType goType) {
        if (v < 0) {
            if (javaBits == bits) {
                return v; // the Java value holds the unsigned bits
            }
            throw negative(v, goType);
        }
        if (bits < 64 && v >= (1L << bits)) {
            throw new CodecFailure(v + " does not fit in Go " + goName(goType) + " (0.." + ((1L << bits) - 1) + ")");
        }
        return v;
    }

    private static CodecFailure negative(long v, GoType goType) {
        return new CodecFailure("negative value " + v + " for unsigned Go " + goName(goType));
    }

    static String goName(GoType t) {
        return t.name().toLowerCase(java.util.Locale.ROOT);
    }

    private void fixed(int code, long v, int bytes) throws IOException {
        byte[] b = scratch;
        b[0] = (byte) code;
        for (int i = bytes; i >= 1; i--) {
            b[i] = (byte) v;
            v >>>= 8;
        }
        out.writePayload(b, 0, bytes + 1);
    }

    private void writeFloat(double d, GoType goType) throws IOException {
        switch (goType) {
            case FLOAT32 -> out.packFloat((float) d);
            case FLOAT64 -> out.packDouble(d);
            default -> throw new CodecFailure("cannot write the floating-point value " + d + " as Go "
                    + goName(goType));
        }
    }

    private void writeBigInteger(BigInteger b, GoType goType) throws IOException {
        if (b.bitLength() < 64) {
            writeInteger(b.longValue(), goType, 0);
            return;
        }
        // 2^63 .. 2^64-1: only an unsigned (or compact, as Go's EncodeUint would) uint64 can carry it
        boolean fitsUint64 = b.signum() > 0 && b.compareTo(UINT64_MAX) <= 0;
        if (fitsUint64 && (goType == GoType.UINT || goType == GoType.UINT64 || goType == GoType.INT)) {
            fixed(0xcf, b.longValue(), 8);
            return;
        }
        throw new CodecFailure(b + " does not fit in Go " + goName(goType));
    }
}
