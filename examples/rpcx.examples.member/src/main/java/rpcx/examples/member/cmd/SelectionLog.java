package rpcx.examples.member.cmd;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import rpcx.api.ClientPlugin;
import rpcx.api.spi.CircuitBreaker;
import rpcx.api.spi.SelectContext;
import rpcx.api.spi.Selector;

/**
 * What the tutorial's patched {@code xclient.go} printed, without patching anything: a {@link ClientPlugin} that
 * records, for the call being made, every server the selector picked and every failed dial (Go logs those as
 * {@code WARN : failed to dial server: ...}), and keeps each server's circuit breaker so the example can say why
 * a pick was skipped. For examples that make one call at a time: {@link #begin()} before each call.
 *
 * <pre>{@code
 * SelectionLog log = new SelectionLog();
 * ClientOptions option = ClientOptions.defaults()
 *         .withBreaker(log.observe(CircuitBreakers.consecutive(2, Duration.ofSeconds(30))))
 *         .withPlugin(log);
 * }</pre>
 */
public final class SelectionLog implements ClientPlugin {
    private final List<String> picks = new CopyOnWriteArrayList<>();
    private final List<String> dialFailures = new CopyOnWriteArrayList<>();
    private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();
    private CircuitBreaker unbound; // guarded by this: made for the server about to be dialled

    /** Creates an empty log. */
    public SelectionLog() {
    }

    /**
     * The breaker factory, unchanged, except that each breaker it makes is remembered for the server whose dial
     * follows (the client makes a server's breaker just before it first dials it).
     */
    public Supplier<CircuitBreaker> observe(Supplier<CircuitBreaker> factory) {
        return () -> {
            CircuitBreaker b = factory.get();
            synchronized (this) {
                unbound = b;
            }
            return b;
        };
    }

    /** Forgets the picks and failed dials of the previous call. */
    public void begin() {
        picks.clear();
        dialFailures.clear();
    }

    /** The servers the selector picked during this call, in order (the client asks again when a pick is unusable). */
    public List<String> picks() {
        return List.copyOf(picks);
    }

    /** The last pick of this call, or null. */
    public String lastPick() {
        List<String> p = picks();
        return p.isEmpty() ? null : p.get(p.size() - 1);
    }

    /** The messages of the dials that failed during this call. */
    public List<String> dialFailures() {
        return List.copyOf(dialFailures);
    }

    /** The state of a server's breaker, or null when the server was never dialled. */
    public CircuitBreaker.State breakerState(String server) {
        CircuitBreaker b = breakers.get(server);
        return b == null ? null : b.state();
    }

    /**
     * {@code " (skipped localhost:8973: breaker open)"} for each pick of this call that the client passed over on
     * its way to {@code server}, or an empty string.
     */
    public String skipped(String server) {
        StringBuilder sb = new StringBuilder();
        for (String p : picks().stream().distinct().toList()) {
            if (!p.equals(server)) {
                sb.append(sb.length() == 0 ? " (skipped " : "; ").append(p).append(": ")
                        .append(breakerState(p) == CircuitBreaker.State.OPEN ? "breaker open" : "reconnect backoff");
            }
        }
        return sb.length() == 0 ? "" : sb.append(')').toString();
    }

    @Override
    public Selector wrapSelector(Selector selector) {
        return new Selector() {
            @Override
            public String select(SelectContext context) {
                String k = selector.select(context);
                if (k != null) {
                    picks.add(k);
                }
                return k;
            }

            @Override
            public void updateServers(Map<String, String> servers) {
                selector.updateServers(servers);
            }

            @Override
            public void close() {
                selector.close();
            }
        };
    }

    @Override
    public void connectionCreated(String address) {
        bind(address);
    }

    @Override
    public void connectionFailed(String address, Throwable error) {
        bind(address);
        dialFailures.add(error.getMessage());
    }

    private synchronized void bind(String address) {
        if (unbound != null) {
            breakers.putIfAbsent(address, unbound);
            unbound = null;
        }
    }
}
