package rpcx.api.internal;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Currency;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.UUID;

import rpcx.api.GoType;
import rpcx.api.spi.CodecException;
import rpcx.api.spi.StructModel;
import rpcx.api.spi.StructTypes;

/**
 * Renders a Java value the way Go's {@code fmt.Sprintf("%v", v)} renders the Go value a codec would make of it, so
 * that equal arguments give equal text in every JVM, run after run. Never calls {@code toString()} of an arbitrary
 * class and never uses identity hash codes.
 *
 * <ul>
 *   <li>{@code null}: {@code <nil>}; strings as they are; booleans {@code true}/{@code false};</li>
 *   <li>integers in decimal ({@code char} is a Go {@code rune}: its code, e.g. {@code 97}); unsigned Go types
 *       declared with {@link rpcx.api.GoField#type()} unsigned; {@code float}/{@code double} as Go's shortest
 *       {@code %g} ({@code 1.5}, {@code 1e+06}, {@code 1e-05}, {@code NaN}, {@code +Inf});</li>
 *   <li>enums by {@link Enum#name()};</li>
 *   <li>records and POJOs (see {@link StructModel}): {@code {v1 v2 ...}} over their Go properties, nested structs
 *       nested ({@code {1 {2 x}}}; a struct embedded with {@code GoField.embedded} appears inlined, since the
 *       model inlines it);</li>
 *   <li>lists, arrays, {@code byte[]} (unsigned, as Go's {@code []byte}): {@code [1 2 3]}; sets without an order
 *       of their own are sorted by the rendering of their elements;</li>
 *   <li>maps: {@code map[a:1 b:2]}, keys sorted as Go's {@code fmt} sorts them (numbers numerically, strings by
 *       code point, {@code false} before {@code true}, anything else by its rendering);</li>
 *   <li>{@link Optional}: its value or {@code <nil>}; JDK value types ({@code java.time}, {@link UUID}, {@link URI},
 *       {@link Locale}, {@link Currency}, {@link BigInteger}, {@link BigDecimal}): their {@code toString()};</li>
 *   <li>anything else (a class that is not a struct, or a struct the model cannot read): {@code <class-name>}, so
 *       all its instances render alike.</li>
 * </ul>
 * Nesting deeper than {@value #MAX_DEPTH} levels (a cycle, say) renders as {@code ...}.
 */
final class GoFormat {
    /** Deepest nesting rendered. */
    static final int MAX_DEPTH = 32;

    private GoFormat() {
    }

    /** The {@code %v} rendering of a value. */
    static String format(Object value) {
        StringBuilder sb = new StringBuilder(32);
        append(sb, value, GoType.AUTO, 0);
        return sb.toString();
    }

    /** Appends the {@code %v} rendering of a value; {@code type} is a declared Go number type or AUTO. */
    static void append(StringBuilder sb, Object v, GoType type, int depth) {
        if (v == null) {
            sb.append("<nil>");
        } else if (depth > MAX_DEPTH) {
            sb.append("...");
        } else if (v instanceof CharSequence cs) {
            sb.append(cs);
        } else if (v instanceof Boolean b) {
            sb.append(b.booleanValue());
        } else if (v instanceof Character c) {
            appendInteger(sb, c.charValue(), type);
        } else if (v instanceof Number n) {
            appendNumber(sb, n, type);
        } else if (v instanceof Enum<?> e) {
            sb.append(e.name());
        } else if (v instanceof byte[] bytes) {
            sb.append('[');
            for (int i = 0; i < bytes.length; i++) {
                if (i > 0) {
                    sb.append(' ');
                }
                sb.append(bytes[i] & 0xff);
            }
            sb.append(']');
        } else if (v.getClass().isArray()) {
            sb.append('[');
            int n = Array.getLength(v);
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    sb.append(' ');
                }
                append(sb, Array.get(v, i), type, depth + 1);
            }
            sb.append(']');
        } else if (v instanceof Collection<?> c) {
            appendCollection(sb, c, type, depth);
        } else if (v instanceof Map<?, ?> m) {
            appendMap(sb, m, type, depth);
        } else if (v instanceof Optional<?> o) {
            append(sb, o.orElse(null), type, depth + 1);
        } else if (isJdkValue(v.getClass())) {
            sb.append(v);
        } else {
            appendStruct(sb, v, depth);
        }
    }

    private static boolean isJdkValue(Class<?> c) {
        return c == UUID.class || c == URI.class || c == Locale.class || c == Currency.class
                || c.getPackageName().startsWith("java.time");
    }

    private static void appendStruct(StringBuilder sb, Object v, int depth) {
        Class<?> c = v.getClass();
        StructModel model = null;
        if (StructModel.isStruct(c)) {
            try {
                model = StructModel.of(c);
            } catch (CodecException unreadable) {
                model = null;
            }
        }
        if (model == null) {
            sb.append('<').append(c.getName()).append('>');
            return;
        }
        int mark = sb.length();
        try {
            sb.append('{');
            List<StructModel.Property> props = model.properties();
            for (int i = 0; i < props.size(); i++) {
                if (i > 0) {
                    sb.append(' ');
                }
                StructModel.Property p = props.get(i);
                Object pv = p.get(v);
                if (pv == null) {
                    appendZero(sb, p.rawType());
                } else {
                    append(sb, pv, p.goType(), depth + 1);
                }
            }
            sb.append('}');
        } catch (CodecException | IllegalArgumentException accessorFailed) {
            sb.setLength(mark);
            sb.append('<').append(c.getName()).append('>');
        }
    }

    /** What Go prints for the zero value of a property the Java object leaves null. */
    private static void appendZero(StringBuilder sb, Class<?> raw) {
        if (CharSequence.class.isAssignableFrom(raw)) {
            return; // Go's "" prints as nothing
        }
        if (raw.isArray() || Collection.class.isAssignableFrom(raw)) {
            sb.append("[]");
        } else if (Map.class.isAssignableFrom(raw)) {
            sb.append("map[]");
        } else if (raw == Boolean.class) {
            sb.append("false");
        } else if (Number.class.isAssignableFrom(raw) || raw == Character.class) {
            sb.append('0');
        } else {
            sb.append("<nil>");
        }
    }

    private static void appendCollection(StringBuilder sb, Collection<?> c, GoType type, int depth) {
        sb.append('[');
        boolean unordered = c instanceof Set && !(c instanceof SortedSet) && !(c instanceof LinkedHashSet);
        if (unordered) {
            List<String> items = new ArrayList<>(c.size());
            for (Object o : c) {
                StringBuilder item = new StringBuilder();
                append(item, o, type, depth + 1);
                items.add(item.toString());
            }
            items.sort(StructTypes::compareGoStrings);
            sb.append(String.join(" ", items));
        } else {
            boolean first = true;
            for (Object o : c) {
                if (!first) {
                    sb.append(' ');
                }
                first = false;
                append(sb, o, type, depth + 1);
            }
        }
        sb.append(']');
    }

    private static void appendMap(StringBuilder sb, Map<?, ?> m, GoType type, int depth) {
        List<Object[]> entries = new ArrayList<>(m.size());
        for (Map.Entry<?, ?> e : m.entrySet()) {
            StringBuilder k = new StringBuilder();
            append(k, e.getKey(), type, depth + 1);
            entries.add(new Object[] {e.getKey(), k.toString(), e.getValue()});
        }
        entries.sort(keyOrder(entries)); // always Go's order, even for a SortedMap with a comparator of its own
        sb.append("map[");
        for (int i = 0; i < entries.size(); i++) {
            if (i > 0) {
                sb.append(' ');
            }
            Object[] e = entries.get(i);
            sb.append((String) e[1]).append(':');
            append(sb, e[2], type, depth + 1);
        }
        sb.append(']');
    }

    /** Go's {@code internal/fmtsort} order when every key is of one kind, else the order of the renderings. */
    private static Comparator<Object[]> keyOrder(List<Object[]> entries) {
        boolean ints = true;
        boolean numbers = true;
        boolean strings = true;
        boolean bools = true;
        for (Object[] e : entries) {
            Object k = e[0];
            boolean integral = k instanceof Byte || k instanceof Short || k instanceof Integer || k instanceof Long
                    || k instanceof BigInteger || k instanceof Character;
            ints &= integral;
            numbers &= integral || k instanceof Float || k instanceof Double;
            strings &= k instanceof CharSequence;
            bools &= k instanceof Boolean;
        }
        Comparator<Object[]> byText = (a, b) -> StructTypes.compareGoStrings((String) a[1], (String) b[1]);
        if (ints) {
            return (a, b) -> toBig(a[0]).compareTo(toBig(b[0]));
        }
        if (numbers) {
            // NaN sorts first, as in Go
            return (a, b) -> {
                double x = ((Number) a[0]).doubleValue();
                double y = ((Number) b[0]).doubleValue();
                if (Double.isNaN(x) || Double.isNaN(y)) {
                    return Boolean.compare(!Double.isNaN(x), !Double.isNaN(y));
                }
                int c = Double.compare(x, y);
                return c != 0 ? c : byText.compare(a, b);
            };
        }
        if (bools) {
            return (a, b) -> Boolean.compare((Boolean) a[0], (Boolean) b[0]);
        }
        return byText; // strings by code point (= Go's byte order of UTF-8); anything else by its rendering
    }

    private static BigInteger toBig(Object k) {
        if (k instanceof BigInteger b) {
            return b;
        }
        if (k instanceof Character c) {
            return BigInteger.valueOf(c.charValue());
        }
        return BigInteger.valueOf(((Number) k).longValue());
    }


    private static void appendNumber(StringBuilder sb, Number n, GoType type) {
        if (n instanceof Double || n instanceof Float) {
            boolean f32 = n instanceof Float || type == GoType.FLOAT32;
            sb.append(formatFloat(n.doubleValue(), f32));
        } else if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) {
            appendInteger(sb, n.longValue(), type);
        } else if (n.getClass().getModule() == Object.class.getModule()) {
            sb.append(n); // BigInteger, BigDecimal, the atomics and adders of java.base print their value
        } else {
            sb.append(formatFloat(n.doubleValue(), false)); // a Number class of the application's own
        }
    }

    private static void appendInteger(StringBuilder sb, long v, GoType type) {
        switch (type) {
            case UINT8 -> sb.append(v & 0xffL);
            case UINT16 -> sb.append(v & 0xffffL);
            case UINT32 -> sb.append(v & 0xffff_ffffL);
            case UINT, UINT64 -> sb.append(Long.toUnsignedString(v));
            case FLOAT32 -> sb.append(formatFloat((float) v, true));
            case FLOAT64 -> sb.append(formatFloat((double) v, false));
            default -> sb.append(v);
        }
    }

    /**
     * The shortest decimal that reads back as {@code d} (as a {@code float} when {@code f32}), the one nearest to
     * the exact binary value when several are that short: what Go's {@code strconv} shortest formatting produces.
     * ({@code Double.toString} of Java 17 is sometimes a digit longer, e.g. {@code 4.9E-324}.)
     */
    static BigDecimal shortest(double d, boolean f32) {
        BigDecimal exact = new BigDecimal(f32 ? (double) (float) d : d);
        for (int p = 1; p <= 17; p++) {
            BigDecimal r = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
            BigDecimal unit = r.ulp();
            BigDecimal best = null;
            for (BigDecimal c : new BigDecimal[] {r, r.subtract(unit), r.add(unit)}) {
                if (readsBack(c, d, f32) && (best == null
                        || c.subtract(exact).abs().compareTo(best.subtract(exact).abs()) < 0)) {
                    best = c;
                }
            }
            if (best != null) {
                return best.stripTrailingZeros();
            }
        }
        return exact.round(new MathContext(17, RoundingMode.HALF_EVEN)).stripTrailingZeros();
    }

    private static boolean readsBack(BigDecimal c, double d, boolean f32) {
        if (c.signum() == 0) {
            return false;
        }
        String s = c.toString();
        return f32 ? Float.parseFloat(s) == (float) d : Double.parseDouble(s) == d;
    }

    /**
     * Go's {@code %v} of a {@code float64} (or of a {@code float32} when {@code f32}): the shortest decimal that
     * reads back as the same number, in {@code %e} form ({@code 1.234567e+06}) when the decimal exponent is below
     * -4 or at least 6 (the shortest {@code %g} rule), else in {@code %f} form; {@code NaN}, {@code +Inf},
     * {@code -Inf}, {@code 0}, {@code -0}.
     */
    static String formatFloat(double d, boolean f32) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "+Inf" : "-Inf";
        }
        if (d == 0) {
            return 1 / d < 0 ? "-0" : "0";
        }
        BigDecimal bd = shortest(d, f32);
        boolean neg = bd.signum() < 0;
        String digits = bd.unscaledValue().abs().toString();
        int nd = digits.length();
        int dp = nd - bd.scale(); // value = 0.digits * 10^dp
        int exp = dp - 1;
        StringBuilder sb = new StringBuilder(nd + 8);
        if (neg) {
            sb.append('-');
        }
        if (exp < -4 || exp >= 6) {
            sb.append(digits.charAt(0));
            if (nd > 1) {
                sb.append('.').append(digits, 1, nd);
            }
            sb.append('e').append(exp < 0 ? '-' : '+');
            int e = Math.abs(exp);
            if (e < 10) {
                sb.append('0');
            }
            sb.append(e);
        } else {
            if (dp > 0) {
                sb.append(digits, 0, Math.min(dp, nd));
                for (int i = nd; i < dp; i++) {
                    sb.append('0');
                }
            } else {
                sb.append('0');
            }
            if (nd > dp) {
                sb.append('.');
                for (int i = dp; i < 0; i++) {
                    sb.append('0');
                }
                sb.append(digits, Math.max(dp, 0), nd);
            }
        }
        return sb.toString();
    }
}
