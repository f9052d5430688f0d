package rpcx.api.spi;

import java.util.Map;

/**
 * Picks one server for a call (Go's {@code Selector}). Thread-safe: {@link #select} runs concurrently with
 * itself and with {@link #updateServers}.
 */
public interface Selector extends AutoCloseable {
    /** The chosen server address ({@code network@host:port}), or null when there is none. */
    String select(SelectContext context);

    /** Replaces the candidate servers: address to URL-query metadata. */
    void updateServers(Map<String, String> servers);

    /** Stops background work the selector runs (RTT probes, say); the client calls it when it closes. */
    @Override
    default void close() {
    }
}
