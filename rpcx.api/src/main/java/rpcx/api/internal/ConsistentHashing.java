package rpcx.api.internal;

/**
 * The hash functions of the consistent-hash selector, public so they can be tested and reused (this package is
 * not exported): Go's {@code client.HashString} (FNV-1a 64), {@code client.Hash} (Lamping and Veach's jump
 * consistent hash) and the key {@code "/" + servicePath + "/" + serviceMethod + "/" + fmt.Sprintf("%v", args)}.
 */
public final class ConsistentHashing {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private ConsistentHashing() {
    }

    /**
     * FNV-1a 64 of the UTF-8 bytes of a string (Go's {@code fnv.New64a} over {@code []byte(s)}); a lone surrogate
     * counts as U+FFFD. {@code fnv1a64("") == 0xcbf29ce484222325}, {@code fnv1a64("a") == 0xaf63dc4c8601ec8c}.
     * Allocates nothing.
     */
    public static long fnv1a64(CharSequence s) {
        long h = FNV_OFFSET;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            int c = s.charAt(i);
            if (c < 0x80) {
                h = (h ^ c) * FNV_PRIME;
                continue;
            }
            if (Character.isHighSurrogate((char) c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                c = Character.toCodePoint((char) c, s.charAt(++i));
            } else if (Character.isSurrogate((char) c)) {
                c = 0xFFFD;
            }
            if (c < 0x800) {
                h = (h ^ (0xC0 | (c >> 6))) * FNV_PRIME;
            } else if (c < 0x10000) {
                h = (h ^ (0xE0 | (c >> 12))) * FNV_PRIME;
                h = (h ^ (0x80 | ((c >> 6) & 0x3F))) * FNV_PRIME;
            } else {
                h = (h ^ (0xF0 | (c >> 18))) * FNV_PRIME;
                h = (h ^ (0x80 | ((c >> 12) & 0x3F))) * FNV_PRIME;
                h = (h ^ (0x80 | ((c >> 6) & 0x3F))) * FNV_PRIME;
            }
            h = (h ^ (0x80 | (c & 0x3F))) * FNV_PRIME;
        }
        return h;
    }

    /**
     * Jump consistent hash (Lamping and Veach, 2014; Go's {@code client.Hash}): the bucket in {@code [0, buckets)}
     * of a 64-bit key (read as unsigned). Going from {@code n} to {@code n + 1} buckets moves only the keys that
     * land in the new bucket, about {@code 1/(n+1)} of them. {@code buckets <= 0} counts as 1, as in Go.
     */
    public static int jump(long key, int buckets) {
        int n = Math.max(buckets, 1);
        long b = 0;
        long j = 0;
        long k = key;
        while (j < n) {
            b = j;
            k = k * 2862933555777941757L + 1;
            j = (long) ((b + 1) * ((double) (1L << 31) / (double) ((k >>> 33) + 1)));
        }
        return (int) b;
    }

    /**
     * The deterministic rendering of call arguments the key uses: Go's {@code fmt.Sprintf("%v", args)} of the Go
     * value the Java value stands for, e.g. {@code {999}} for a record {@code Args(999)}, {@code {1 {2 x}}} for
     * nested structs, {@code [1 2 3]}, {@code map[a:1 b:2]}, {@code <nil>} for null. Equal arguments give equal
     * text in every JVM; no {@code toString()} of application classes and no identity hash is involved.
     */
    public static String argsKey(Object args) {
        return GoFormat.format(args);
    }

    /**
     * The text that is hashed: {@code "/" + servicePath + "/" + serviceMethod + "/" + argsKey(args)} (Go's
     * {@code genKey(servicePath, serviceMethod, args)}); a null path or method counts as empty.
     */
    public static String keyText(String servicePath, String serviceMethod, Object args) {
        StringBuilder sb = new StringBuilder(64);
        sb.append('/').append(servicePath == null ? "" : servicePath);
        sb.append('/').append(serviceMethod == null ? "" : serviceMethod);
        sb.append('/');
        GoFormat.append(sb, args, rpcx.api.GoType.AUTO, 0);
        return sb.toString();
    }

    /** The 64-bit key of a call: {@link #fnv1a64} of {@link #keyText}. */
    public static long key(String servicePath, String serviceMethod, Object args) {
        return fnv1a64(keyText(servicePath, serviceMethod, args));
    }
}
