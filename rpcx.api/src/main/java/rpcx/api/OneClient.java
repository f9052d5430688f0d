package rpcx.api;

import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import rpcx.api.spi.ServiceDiscovery;

/**
 * One client for many services (Go's {@code OneClient}): calls name the service as well as the method, and an
 * {@link XClient} per service is created on first use, with the discovery template's
 * {@link ServiceDiscovery#forService(String)} clone, the same fail mode, select mode and options.
 *
 * <pre>{@code
 * try (OneClient client = OneClient.create(FailMode.FAILOVER, SelectMode.ROUND_ROBIN, discovery, ClientOptions.defaults())) {
 *     Reply r = client.call("ServiceUser", "UserInfo", new Args(999), Reply.class);
 *     Arith.Reply m = client.call("Arith", "Mul", new Arith.Args(10, 20), Arith.Reply.class);
 * }
 * }</pre>
 */
public final class OneClient implements AutoCloseable {
    private final FailMode failMode;
    private final SelectMode selectMode;
    private final ServiceDiscovery template;
    private final ClientOptions options;
    private final Map<String, XClient> clients = new ConcurrentHashMap<>();
    private final Map<String, ServiceDiscovery> clones = new ConcurrentHashMap<>();
    private volatile String authToken;
    private volatile boolean closed;

    private OneClient(FailMode failMode, SelectMode selectMode, ServiceDiscovery template, ClientOptions options) {
        this.failMode = Objects.requireNonNull(failMode, "failMode");
        this.selectMode = Objects.requireNonNull(selectMode, "selectMode");
        this.template = Objects.requireNonNull(template, "discovery");
        this.options = Objects.requireNonNull(options, "options");
        if (selectMode == SelectMode.SELECT_BY_USER) {
            throw new RpcConfigurationException("OneClient needs a select mode with a selector provider; for a user"
                    + " selector build the XClient of that service with XClient.builder(...).selector(...)");
        }
    }

    /** Go's {@code NewOneClient(failMode, selectMode, discovery, option)}. */
    public static OneClient create(FailMode failMode, SelectMode selectMode, ServiceDiscovery discovery, ClientOptions options) {
        return new OneClient(failMode, selectMode, discovery, options);
    }

    /** Sends this token as {@code __AUTH} with every call of every service (Go's {@code OneClient.Auth}). */
    public OneClient auth(String token) {
        this.authToken = token;
        clients.values().forEach(x -> x.auth(token));
        return this;
    }

    /** The client of one service, created on first use. */
    public XClient xclient(String servicePath) {
        if (closed) {
            throw new RpcCancelledException("OneClient is closed");
        }
        return clients.computeIfAbsent(servicePath, sp -> {
            ServiceDiscovery d = template.forService(sp);
            if (d != template) {
                clones.put(sp, d);
            }
            XClient x = XClient.builder(sp).failMode(failMode).selectMode(selectMode).discovery(d).options(options).build();
            String token = authToken;
            return token == null ? x : x.auth(token);
        });
    }

    /** Calls {@code servicePath.method} with the fail mode, no deadline. */
    public <R> R call(String servicePath, String method, Object args, Class<R> replyType) {
        return xclient(servicePath).call(method, args, replyType);
    }

    /** Calls {@code servicePath.method} with the fail mode and the call options. */
    public <R> R call(String servicePath, String method, Object args, Class<R> replyType, CallOptions callOptions) {
        return xclient(servicePath).call(method, args, replyType, callOptions);
    }

    /** Calls and returns the reply with its metadata and the server that answered. */
    public <R> Response<R> invoke(String servicePath, String method, Object args, Type replyType, CallOptions callOptions) {
        return xclient(servicePath).invoke(method, args, replyType, callOptions);
    }

    /** One attempt without fail mode, not blocking (Go's {@code Go}). */
    public <R> CompletableFuture<R> callAsync(String servicePath, String method, Object args, Type replyType,
                                              CallOptions callOptions) {
        return xclient(servicePath).callAsync(method, args, replyType, callOptions);
    }

    /** A oneway call (Go's {@code Oneshot}). */
    public CompletableFuture<Void> oneway(String servicePath, String method, Object args, CallOptions callOptions) {
        return xclient(servicePath).oneway(method, args, callOptions);
    }

    /** {@link XClient#broadcast} on the service's servers. */
    public <R> R broadcast(String servicePath, String method, Object args, Class<R> replyType, CallOptions callOptions) {
        return xclient(servicePath).broadcast(method, args, replyType, callOptions);
    }

    /** {@link XClient#fork} on the service's servers. */
    public <R> R fork(String servicePath, String method, Object args, Class<R> replyType, CallOptions callOptions) {
        return xclient(servicePath).fork(method, args, replyType, callOptions);
    }

    /** {@link XClient#inform} on the service's servers. */
    public <R> List<Receipt<R>> inform(String servicePath, String method, Object args, Type replyType, CallOptions callOptions) {
        return xclient(servicePath).inform(method, args, replyType, callOptions);
    }

    /** Closes every service's client and the discovery clones made for them (not the template). */
    @Override
    public void close() {
        closed = true;
        clients.values().forEach(XClient::close);
        clients.clear();
        clones.values().forEach(ServiceDiscovery::close);
        clones.clear();
    }
}
