package rpcx.plugins;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import rpcx.api.ClientConnection;
import rpcx.api.ServerPlugin;
import rpcx.api.protocol.Message;

/**
 * Serves a service method under other names (Go's {@code serverplugin.AliasPlugin}): a request for
 * {@code aliasPath.aliasMethod} is handled as {@code servicePath.serviceMethod}.
 *
 * <pre>{@code server.addPlugin(new Alias().alias("Calculator", "Times", "Arith", "Mul"));}</pre>
 *
 * <p>It rewrites the request frame in {@link #postReadRequest}, so everything after it — the other plugins, the
 * dispatch, {@link rpcx.api.CallContext#servicePath()} — sees the real names. One step only: an alias of an alias
 * is not followed. Aliases may be added and removed while the server runs (thread-safe).
 *
 * <p><b>The reply carries the real names</b>, as Go's does: Go's plugin declares a reverse mapping in
 * {@code PreWriteResponse}, but with the old three-argument signature, which the server no longer calls, so it never
 * runs. Clients match replies by sequence number, so this does not matter to them.
 *
 * <p>Other differences from Go: the alias is looked up by the pair of names, not by the joined string
 * {@code aliasPath + "." + aliasMethod} (so {@code "a.b"/"c"} and {@code "a"/"b.c"} are different aliases); the
 * request metadata is not marked with Go's {@code __aliasAppliedKey}, which served only the reverse mapping.
 * Heartbeats and response frames are left alone.
 */
public final class Alias implements ServerPlugin {
    private record Name(String servicePath, String serviceMethod) {
        @Override
        public String toString() {
            return servicePath + "." + serviceMethod;
        }
    }

    private final ConcurrentHashMap<Name, Name> aliases = new ConcurrentHashMap<>();

    /** A plugin without aliases. */
    public Alias() {
    }

    /**
     * Serves {@code servicePath.serviceMethod} under {@code aliasPath.aliasMethod} too (replacing an alias of the
     * same name). The names must not be empty.
     */
    public Alias alias(String aliasPath, String aliasMethod, String servicePath, String serviceMethod) {
        aliases.put(name(aliasPath, aliasMethod, "alias"), name(servicePath, serviceMethod, "service"));
        return this;
    }

    private static Name name(String path, String method, String what) {
        Objects.requireNonNull(path, what + " path");
        Objects.requireNonNull(method, what + " method");
        if (path.isEmpty() || method.isEmpty()) {
            throw new IllegalArgumentException("the " + what + " path and method must not be empty: \""
                    + path + "\".\"" + method + "\"");
        }
        return new Name(path, method);
    }

    /** Removes an alias; whether there was one. */
    public boolean remove(String aliasPath, String aliasMethod) {
        return aliases.remove(new Name(aliasPath, aliasMethod)) != null;
    }

    /** The aliases, {@code "aliasPath.aliasMethod" -> "servicePath.serviceMethod"}, sorted. */
    public Map<String, String> aliases() {
        Map<String, String> out = new TreeMap<>();
        aliases.forEach((a, s) -> out.put(a.toString(), s.toString()));
        return out;
    }

    /** The request with the real names when it is addressed to an alias, else the request itself. */
    @Override
    public Message postReadRequest(ClientConnection connection, Message request) {
        if (request.isHeartbeat() || request.isResponse() || aliases.isEmpty()) {
            return request;
        }
        Name target = aliases.get(new Name(request.servicePath(), request.serviceMethod()));
        if (target == null) {
            return request;
        }
        return request.withService(target.servicePath(), target.serviceMethod());
    }

    @Override
    public String toString() {
        return "Alias" + aliases();
    }
}
