package rpcx.api;

import java.util.Map;

/**
 * A reply with what came along with it.
 *
 * @param value    the decoded reply
 * @param metadata the response metadata
 * @param server   the server that answered, as {@code network@host:port}
 * @param <R>      the reply type
 */
public record Response<R>(R value, Map<String, String> metadata, String server) {
}
