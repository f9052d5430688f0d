package rpcx.codec.json;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

import rpcx.api.spi.CodecFailure;

/**
 * Number text as Go's {@code encoding/json} writes it: the shortest decimal that reads back to the same
 * float64/float32 (the closest one when several are as short), in plain notation for magnitudes in [1e-6, 1e21)
 * and in Go's exponent form ({@code 1e+21}, {@code 1e-7}) outside, {@code -0} for negative zero.
 */
final class GoNumbers {
    private GoNumbers() {
    }

    /** A Go float64. */
    static String float64(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new CodecFailure("Go's encoding/json cannot encode " + d + " (json: unsupported value)");
        }
        if (d == 0) {
            return 1 / d < 0 ? "-0" : "0";
        }
        double abs = Math.abs(d);
        return format(shortest(d), abs < 1e-6 || abs >= 1e21);
    }

    /** A Go float32. */
    static String float32(float f) {
        if (Float.isNaN(f) || Float.isInfinite(f)) {
            throw new CodecFailure("Go's encoding/json cannot encode " + f + " (json: unsupported value)");
        }
        if (f == 0) {
            return 1 / f < 0 ? "-0" : "0";
        }
        float abs = Math.abs(f);
        return format(shortest(f), abs < 1e-6f || abs >= 1e21f);
    }

    /**
     * The shortest decimal that parses back to {@code d}, the closest to {@code d} among those. Double.toString
     * of JDK 17 and earlier is sometimes a digit too long (e.g. {@code 4.9E-324} for Go's {@code 5e-324}) or, at
     * 17 digits, not the closest; shorter candidates are tried, and long results are checked against the exact
     * binary value.
     */
    static BigDecimal shortest(double d) {
        return shortest(Double.toString(d), new BigDecimal(d), c -> c.doubleValue() == d, EXACT_CHECK_DIGITS_64);
    }

    /** The shortest decimal that parses back to {@code f} as a float32, the closest to {@code f} among those. */
    static BigDecimal shortest(float f) {
        return shortest(Float.toString(f), new BigDecimal(f), c -> c.floatValue() == f, EXACT_CHECK_DIGITS_32);
    }

    /**
     * Shortens the JDK's decimal {@code start} while it still {@code roundTrips}; long or shortened results are
     * replaced by the rounding of the {@code exact} binary value when that round-trips too.
     */
    private static BigDecimal shortest(String start, BigDecimal exact, java.util.function.Predicate<BigDecimal> roundTrips,
                                       int exactCheckDigits) {
        BigDecimal dec = new BigDecimal(start).stripTrailingZeros();
        int p = dec.precision();
        boolean changed = false;
        while (p > 1) {
            BigDecimal shorter = null;
            for (RoundingMode mode : SHORTER) {
                BigDecimal c = dec.round(new MathContext(p - 1, mode));
                if (roundTrips.test(c)) {
                    shorter = c;
                    break;
                }
            }
            if (shorter == null) {
                break;
            }
            dec = shorter;
            p--;
            changed = true;
        }
        if (changed || p >= exactCheckDigits) {
            BigDecimal closest = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
            if (roundTrips.test(closest)) {
                dec = closest;
            }
        }
        return dec.stripTrailingZeros();
    }

    private static final RoundingMode[] SHORTER = {RoundingMode.HALF_EVEN, RoundingMode.DOWN, RoundingMode.UP};
    /** From this many digits on, Double.toString (JDK 17) may not give the closest decimal. */
    private static final int EXACT_CHECK_DIGITS_64 = 17;
    /** From this many digits on, Float.toString (JDK 17) may not give the closest decimal. */
    private static final int EXACT_CHECK_DIGITS_32 = 8;

    private static String format(BigDecimal v, boolean exponentForm) {
        if (!exponentForm) {
            return v.toPlainString();
        }
        String digits = v.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - v.scale();
        StringBuilder sb = new StringBuilder(digits.length() + 8);
        if (v.signum() < 0) {
            sb.append('-');
        }
        sb.append(digits.charAt(0));
        if (digits.length() > 1) {
            sb.append('.').append(digits, 1, digits.length());
        }
        sb.append('e').append(exponent < 0 ? '-' : '+');
        int e = Math.abs(exponent);
        if (exponent > 0 && e < 10) {
            sb.append('0'); // strconv writes at least two exponent digits; Go's json trims only e-0X
        }
        return sb.append(e).toString();
    }
}
