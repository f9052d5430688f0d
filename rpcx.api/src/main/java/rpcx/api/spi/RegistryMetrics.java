package rpcx.api.spi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;

import rpcx.api.ServerNode;

/**
 * What Go's registry plugins (etcd, ZooKeeper, Consul) publish with each periodic re-put when their
 * {@code Metrics} option is set: {@code calls} and {@code connections} as the mean rate per second since the plugin
 * started, formatted {@code %.2f}; and how they merge it into a node's current value. For registry modules.
 */
public final class RegistryMetrics {
    private final long started = System.nanoTime();
    private final LongAdder calls = new LongAdder();
    private final LongAdder connections = new LongAdder();

    /** Counts a call (Go's plugins do in {@code PreCall}). */
    public void call() {
        calls.increment();
    }

    /** Counts an accepted connection (Go's plugins do in {@code HandleConnAccept}). */
    public void connection() {
        connections.increment();
    }

    /** {@code calls} and {@code connections}: mean rates per second since this was created, {@code %.2f}. */
    public Map<String, String> rates() {
        double seconds = Math.max(1e-9, (System.nanoTime() - started) / 1e9);
        Map<String, String> m = new TreeMap<>();
        m.put("calls", String.format(Locale.ROOT, "%.2f", calls.sum() / seconds));
        m.put("connections", String.format(Locale.ROOT, "%.2f", connections.sum() / seconds));
        return m;
    }

    /**
     * A node's value as Go's re-put writes it: the current query string parsed, {@code extra} set in it (each key
     * replacing all its values), encoded again with keys sorted ({@code url.Values.Encode}).
     */
    public static String merge(String current, Map<String, String> extra) {
        Map<String, List<String>> v = new LinkedHashMap<>(ServerNode.parseQuery(current));
        extra.forEach((k, x) -> v.put(k, List.of(x)));
        return ServerNode.encodeQuery(v);
    }
}
