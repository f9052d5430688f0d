package rpcx.api;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Per-call settings: Go's {@code context} on the client side. A timeout becomes the call's deadline and travels
 * to the server as {@code __ServerTimeout}; metadata travels as request metadata.
 *
 * @param timeout       how long the call may take; null = no deadline (Go's {@code context.Background()})
 * @param metadata      request metadata
 * @param serializeType payload codec for this call; -1 = the client's
 */
public record CallOptions(Duration timeout, Map<String, String> metadata, int serializeType) {
    /** No deadline, no metadata, the client's codec. */
    public static final CallOptions NONE = new CallOptions(null, Map.of(), -1);

    /** Validates and copies. */
    public CallOptions {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        if (serializeType < -1 || serializeType > 15) {
            throw new IllegalArgumentException("serializeType must be -1 or 0..15");
        }
    }

    /** Options with a deadline {@code timeout} from now. */
    public static CallOptions timeout(Duration timeout) {
        return new CallOptions(timeout, Map.of(), -1);
    }

    /** These options with another timeout. */
    public CallOptions withTimeout(Duration t) {
        return new CallOptions(t, metadata, serializeType);
    }

    /** These options plus one metadata entry. */
    public CallOptions withMetadata(String key, String value) {
        Map<String, String> m = new HashMap<>(metadata);
        m.put(key, value);
        return new CallOptions(timeout, m, serializeType);
    }

    /** These options with another codec for this call. */
    public CallOptions withSerializeType(int type) {
        return new CallOptions(timeout, metadata, type);
    }
}
