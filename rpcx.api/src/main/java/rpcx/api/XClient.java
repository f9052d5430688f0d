package rpcx.api;

import java.lang.reflect.Type;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import rpcx.api.internal.CodecSet;
import rpcx.api.internal.Executors2;
import rpcx.api.internal.Providers;
import rpcx.api.protocol.Message;
import rpcx.api.spi.CircuitBreaker;
import rpcx.api.spi.SelectContext;
import rpcx.api.spi.Selector;
import rpcx.api.spi.ServiceDiscovery;

/**
 * A client of one service across its servers (Go's {@code XClient}): discovery gives the servers, the
 * {@code state=inactive} and {@code group} filters trim them, a selector picks one per call, and the fail mode
 * decides what happens after a failure. One connection per server, multiplexed; dropped connections are
 * re-dialled by the next call.
 *
 * <pre>{@code
 * try (XClient xclient = XClient.create("ServiceUser", FailMode.FAILTRY, SelectMode.RANDOM_SELECT,
 *         new Peer2PeerDiscovery("tcp@localhost:8972", ""), ClientOptions.defaults())) {
 *     Reply reply = xclient.call("UserInfo", new Args(999), Reply.class);
 * }
 * }</pre>
 */
public final class XClient implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("rpcx.client");

    private final String servicePath;
    private final FailMode failMode;
    private final Selector selector;
    private final ServiceDiscovery discovery;
    private final ClientOptions options;
    private final CodecSet codecs;
    private final Map<String, Client> clients = new ConcurrentHashMap<>();
    private final Map<String, Object> dialLocks = new ConcurrentHashMap<>();
    private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();
    private final AutoCloseable watch;
    private volatile Map<String, String> servers = Map.of();
    private volatile String authToken;
    private volatile boolean closed;

    private XClient(Builder b) {
        this.servicePath = Objects.requireNonNull(b.servicePath, "servicePath");
        this.failMode = Objects.requireNonNull(b.failMode, "failMode");
        this.discovery = Objects.requireNonNull(b.discovery, "discovery");
        this.options = Objects.requireNonNull(b.options, "options");
        if (b.selector != null) {
            this.selector = b.selector;
        } else if (b.selectMode == SelectMode.SELECT_BY_USER) {
            throw new RpcConfigurationException("SelectMode.SELECT_BY_USER needs a selector: call Builder.selector(...)");
        } else {
            this.selector = Providers.selector(b.selectMode.providerName()).create();
        }
        this.codecs = CodecSet.load(options.codecs());
        codecs.require(options.serializeType()); // a missing codec module fails now, not on the first call
        updateServers(discovery.servers());
        this.watch = discovery.watch(this::updateServers);
    }

    /** Go's {@code NewXClient(servicePath, failMode, selectMode, discovery, option)}. */
    public static XClient create(String servicePath, FailMode failMode, SelectMode selectMode, ServiceDiscovery discovery,
                                 ClientOptions options) {
        return builder(servicePath).failMode(failMode).selectMode(selectMode).discovery(discovery).options(options).build();
    }

    /** A builder for a client of one service. */
    public static Builder builder(String servicePath) {
        return new Builder(servicePath);
    }

    /** Sends this token as {@code __AUTH} with every call (Go's {@code XClient.Auth}). */
    public XClient auth(String token) {
        this.authToken = token;
        return this;
    }

    /** The service this client calls. */
    public String servicePath() {
        return servicePath;
    }

    /** The servers currently eligible (after the state and group filters): address to metadata. */
    public Map<String, String> servers() {
        return servers;
    }

    private void updateServers(List<ServerNode> nodes) {
        Map<String, String> eligible = new HashMap<>();
        for (ServerNode n : nodes) {
            if (!n.isMetadataWellFormed()) {
                eligible.put(n.address(), n.metadata()); // Go skips the filters when url.ParseQuery fails
                continue;
            }
            Map<String, List<String>> meta = n.metadataValues();
            List<String> state = meta.get("state");
            if (state != null && !state.isEmpty() && "inactive".equals(state.get(0))) {
                continue;
            }
            if (!options.group().isEmpty() && !meta.getOrDefault("group", List.of()).contains(options.group())) {
                continue;
            }
            eligible.put(n.address(), n.metadata());
        }
        this.servers = Map.copyOf(eligible);
        selector.updateServers(this.servers);
        for (Map.Entry<String, Client> e : clients.entrySet()) {
            if (!eligible.containsKey(e.getKey()) && clients.remove(e.getKey(), e.getValue())) {
                e.getValue().retire(); // in-flight calls finish; then it closes
            }
        }
    }

    /** Calls a method with the fail mode, no deadline. */
    public <R> R call(String method, Object args, Class<R> replyType) {
        return call(method, args, replyType, CallOptions.NONE);
    }

    /** Calls a method with the fail mode; the options' timeout bounds all attempts together. */
    public <R> R call(String method, Object args, Class<R> replyType, CallOptions callOptions) {
        Response<R> r = invoke(method, args, replyType, callOptions);
        return r.value();
    }

    /** Calls a method with the fail mode and returns the reply with its metadata and the server that answered. */
    public <R> Response<R> invoke(String method, Object args, Type replyType, CallOptions callOptions) {
        CallOptions o = withAuth(callOptions);
        Client.Deadline deadline = Client.Deadline.of(o);
        return switch (failMode) {
            case FAILFAST -> attempt(select(method, args), method, args, replyType, o, deadline);
            case FAILTRY -> retrying(select(method, args), method, args, replyType, o, deadline);
            case FAILOVER -> retrying(null, method, args, replyType, o, deadline);
            case FAILBACKUP -> backup(method, args, replyType, o, deadline);
        };
    }

    /** One attempt without fail mode, not blocking (Go's {@code Go}); the future completes off the I/O threads. */
    public <R> CompletableFuture<R> callAsync(String method, Object args, Type replyType, CallOptions callOptions) {
        CallOptions o = withAuth(callOptions);
        Client.Deadline deadline = Client.Deadline.of(o);
        return Client.cancelling(this.<R>attemptAsync(method, args, replyType, o, deadline), Response::value);
    }

    /** Sends a oneway call (Go's {@code Oneshot}); completes once written. */
    public CompletableFuture<Void> oneway(String method, Object args, CallOptions callOptions) {
        CallOptions o = withAuth(callOptions);
        return CompletableFuture.supplyAsync(() -> client(select(method, args)), Executors2.callbacks())
                .thenCompose(c -> c.oneway(servicePath, method, args, o));
    }

    private CallOptions withAuth(CallOptions o) {
        String token = authToken;
        return token == null ? o : o.withMetadata(Message.AUTH_KEY, token);
    }

    private String select(String method, Object args) {
        String k = selector.select(new SelectContext(servicePath, method, args));
        if (k == null) {
            throw new NoServerAvailableException("rpcx: can not found any server for service " + servicePath
                    + " (discovery lists " + discovery.servers().size() + ", " + servers.size()
                    + " left after the state/group filters)");
        }
        return k;
    }

    private <R> Response<R> attempt(String server, String method, Object args, Type replyType, CallOptions o,
                                    Client.Deadline deadline) {
        Client c = client(server);
        try {
            return c.invokeUntil(servicePath, method, args, replyType, o, deadline);
        } catch (TransportException e) {
            drop(server, c);
            throw e;
        }
    }

    /** Failtry (fixed server) or Failover (server == null: select again each attempt). */
    private <R> Response<R> retrying(String fixed, String method, Object args, Type replyType, CallOptions o,
                                     Client.Deadline deadline) {
        RpcException last = null;
        for (int i = 0; i <= options.retries(); i++) {
            if (i > 0) {
                pause(deadline);
            }
            if (deadline.expired()) {
                break;
            }
            try {
                String server = fixed != null ? fixed : select(method, args);
                return attempt(server, method, args, replyType, o, deadline);
            } catch (RpcException e) {
                last = e;
                if (!e.isRetryable()) {
                    throw e;
                }
                LOG.log(System.Logger.Level.DEBUG, () -> "rpcx: attempt failed for " + servicePath + "." + method + ": " + e.getMessage());
            }
        }
        if (last == null) {
            throw new RpcTimeoutException("call " + servicePath + "." + method + " timed out after " + deadline.timeoutMillis() + " ms");
        }
        throw last;
    }

    private void pause(Client.Deadline deadline) {
        long ms = options.retryInterval().toMillis();
        if (ms <= 0) {
            return;
        }
        if (deadline.has()) {
            ms = Math.min(ms, Math.max(0, deadline.remainingMillis()));
        }
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RpcCancelledException("interrupted between retries");
        }
    }

    /** Failbackup: a second attempt on a fresh selection when the first is slower than backupLatency. */
    private <R> Response<R> backup(String method, Object args, Type replyType, CallOptions o, Client.Deadline deadline) {
        CompletableFuture<Response<R>> first = attemptAsync(method, args, replyType, o, deadline);
        CompletableFuture<Response<R>> winner = new CompletableFuture<>();
        first.whenComplete((r, e) -> complete(winner, r, e));
        CompletableFuture.delayedExecutor(options.backupLatency().toNanos(), TimeUnit.NANOSECONDS).execute(() -> {
            if (!winner.isDone()) {
                this.<R>attemptAsync(method, args, replyType, o, deadline).whenComplete((r, e) -> complete(winner, r, e));
            }
        });
        try {
            return winner.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RpcCancelledException("interrupted while waiting for a reply");
        } catch (java.util.concurrent.ExecutionException e) {
            throw Server.unwrap(e, "call " + servicePath + "." + method);
        }
    }

    private static <R> void complete(CompletableFuture<R> winner, R value, Throwable error) {
        if (error != null) {
            winner.completeExceptionally(error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                    ? error.getCause() : error);
        } else {
            winner.complete(value);
        }
    }

    private <R> CompletableFuture<Response<R>> attemptAsync(String method, Object args, Type replyType, CallOptions o,
                                                           Client.Deadline deadline) {
        String server;
        try {
            server = select(method, args);
        } catch (RpcException e) {
            return CompletableFuture.failedFuture(e);
        }
        Client cached = clients.get(server);
        CompletableFuture<Client> c = cached != null && cached.isOpen()
                ? CompletableFuture.completedFuture(cached)
                : CompletableFuture.supplyAsync(() -> client(server), Executors2.callbacks());
        return c.thenCompose(cl -> cl.<R>invokeAsync(servicePath, method, args, replyType, o, deadline)
                .whenComplete((r, e) -> {
                    if (e instanceof TransportException || (e != null && e.getCause() instanceof TransportException)) {
                        drop(server, cl);
                    }
                }));
    }

    /** The connection to a server, dialling it when there is none (and feeding the breaker on dial failures, as Go). */
    private Client client(String server) {
        if (closed) {
            throw new RpcCancelledException("XClient for " + servicePath + " is closed");
        }
        CircuitBreaker breaker = breaker(server);
        if (breaker != null && !breaker.ready()) {
            throw new BreakerOpenException(server);
        }
        Client c = clients.get(server);
        if (c != null && c.isOpen()) {
            return c;
        }
        synchronized (dialLocks.computeIfAbsent(server, k -> new Object())) {
            c = clients.get(server);
            if (c != null && c.isOpen()) {
                return c;
            }
            try {
                c = Client.connect(server, options, codecs);
            } catch (RpcException e) {
                if (breaker != null) {
                    breaker.fail();
                }
                throw e;
            }
            if (breaker != null) {
                breaker.success();
            }
            clients.put(server, c);
            if (closed) {
                c.close();
            }
            return c;
        }
    }

    private CircuitBreaker breaker(String server) {
        if (options.breakerFactory() == null) {
            return null;
        }
        return breakers.computeIfAbsent(server, k -> options.breakerFactory().get());
    }

    /** Forgets a connection after a transport error; calls still in flight on it finish (or fail) on their own. */
    private void drop(String server, Client c) {
        clients.remove(server, c);
        c.retire();
    }

    /** Closes every connection and stops watching discovery. */
    @Override
    public void close() {
        closed = true;
        try {
            watch.close();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, "rpcx: closing discovery watch failed", e);
        }
        for (Client c : clients.values()) {
            c.close();
        }
        clients.clear();
    }

    /** Builds an {@link XClient}; defaults: Failtry, RandomSelect, {@link ClientOptions#defaults()}. */
    public static final class Builder {
        private final String servicePath;
        private FailMode failMode = FailMode.FAILTRY;
        private SelectMode selectMode = SelectMode.RANDOM_SELECT;
        private Selector selector;
        private ServiceDiscovery discovery;
        private ClientOptions options = ClientOptions.defaults();

        private Builder(String servicePath) {
            this.servicePath = servicePath;
        }

        /** The fail mode. */
        public Builder failMode(FailMode mode) {
            this.failMode = mode;
            return this;
        }

        /** The select mode (its selector provider must be on the module path). */
        public Builder selectMode(SelectMode mode) {
            this.selectMode = mode;
            return this;
        }

        /** A user selector (Go's {@code SelectByUser} + {@code SetSelector}). */
        public Builder selector(Selector userSelector) {
            this.selector = userSelector;
            this.selectMode = SelectMode.SELECT_BY_USER;
            return this;
        }

        /** Where the servers come from. */
        public Builder discovery(ServiceDiscovery d) {
            this.discovery = d;
            return this;
        }

        /** Client options. */
        public Builder options(ClientOptions o) {
            this.options = o;
            return this;
        }

        /** Builds the client (no connection is made before the first call). */
        public XClient build() {
            return new XClient(this);
        }
    }
}
