package rpcx.plugins.micrometer;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code service} and {@code method} tag values, at most {@code limit} distinct pairs: a peer that calls random
 * names must not create meters without end, so pairs past the limit are counted as {@code other}.
 */
final class MethodTags {
    static final String OTHER = "other";
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final int limit;

    MethodTags(int limit) {
        this.limit = limit;
    }

    /** {@code {service, method}} as tagged. */
    String[] of(String service, String method) {
        String key = service + "\u0000" + method;
        if (seen.contains(key) || (seen.size() < limit && seen.add(key))) {
            return new String[] {service, method};
        }
        return new String[] {OTHER, OTHER};
    }
}
