package rpcx.api;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

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
 * re-dialled by a later call, after the reconnect backoff. Servers whose circuit breaker is open, or that are in
 * reconnect backoff, are skipped while others are left. {@link #broadcast}, {@link #fork} and {@link #inform}
 * call every server at once.
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
    /** Fan-out calls wait at most this long, however long their own timeout: Go's hard one-minute cap. */
    static final Duration FAN_OUT_CAP = Duration.ofMinutes(1);

    private final String servicePath;
    private final FailMode failMode;
    private final Selector selector;
    private final ServiceDiscovery discovery;
    private final ClientOptions options;
    private final CodecSet codecs;
    private final Map<String, Client> clients = new ConcurrentHashMap<>();
    private final Map<String, Object> dialLocks = new ConcurrentHashMap<>();
    private final Map<String, ServerHealth> health = new ConcurrentHashMap<>();
    private final List<ClientPlugin> plugins;
    private final AutoCloseable watch;
    private volatile String stickyServer;
    private volatile Map<String, String> servers = Map.of();
    private volatile String authToken;
    private volatile boolean closed;

    private XClient(Builder b) {
        this.servicePath = Objects.requireNonNull(b.servicePath, "servicePath");
        this.failMode = Objects.requireNonNull(b.failMode, "failMode");
        this.discovery = Objects.requireNonNull(b.discovery, "discovery");
        this.options = Objects.requireNonNull(b.options, "options");
        if (b.selector != null) {
            this.selector = wrap(b.selector, options.plugins());
        } else if (b.selectMode == SelectMode.SELECT_BY_USER) {
            throw new RpcConfigurationException("SelectMode.SELECT_BY_USER needs a selector: call Builder.selector(...)");
        } else {
            String name = b.selectorName != null ? b.selectorName : b.selectMode.providerName();
            this.selector = wrap(Providers.selector(name).create(b.selectorSettings), options.plugins());
        }
        this.plugins = options.plugins();
        this.codecs = CodecSet.load(options.codecs());
        codecs.require(options.serializeType()); // a missing codec module fails now, not on the first call
        updateServers(discovery.servers());
        this.watch = discovery.watch(this::updateServers);
    }

    private static Selector wrap(Selector selector, List<ClientPlugin> plugins) {
        Selector s = selector;
        for (ClientPlugin p : plugins) {
            s = Objects.requireNonNull(p.wrapSelector(s), "ClientPlugin.wrapSelector returned null");
        }
        return s;
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

    /** The options this client was made with. */
    public ClientOptions options() {
        return options;
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
        health.keySet().retainAll(eligible.keySet()); // a server that comes back starts with a fresh breaker
        String sticky = stickyServer;
        if (sticky != null && !eligible.containsKey(sticky)) {
            stickyServer = null;
        }
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

    private void preCall(String method, Object args) {
        for (ClientPlugin p : plugins) {
            p.preCall(servicePath, method, args);
        }
    }

    private void postCall(String method, Object args, Object reply, Throwable error) {
        for (ClientPlugin p : plugins) {
            try {
                p.postCall(servicePath, method, args, reply, error);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "rpcx: client plugin postCall failed", e);
            }
        }
    }

    /** One attempt without fail mode, not blocking (Go's {@code Go}); the future completes off the I/O threads. */
    public <R> CompletableFuture<R> callAsync(String method, Object args, Type replyType, CallOptions callOptions) {
        CallOptions o = withAuth(callOptions);
        Client.Deadline deadline = Client.Deadline.of(o);
        return Client.cancelling(this.<R>attemptAsync(method, args, replyType, o, deadline), Response::value);
    }

    /** Sends a oneway call to one selected server (Go's {@code Oneshot}); completes once written. */
    public CompletableFuture<Void> oneway(String method, Object args, CallOptions callOptions) {
        CallOptions o = withAuth(callOptions);
        return CompletableFuture.supplyAsync(() -> client(select(method, args)), Executors2.callbacks())
                .thenCompose(c -> c.oneway(servicePath, method, args, o));
    }

    /**
     * Calls every server at once and succeeds only if all succeed (Go's {@code Broadcast}); returns the first
     * reply. Fails as soon as one server fails, with that error. Servers that
     * cannot be dialled are left out, as in Go. Without a timeout in the options, the wait is capped at one minute,
     * as in Go. Fail mode and selector do not apply.
     *
     * @throws NoServerAvailableException when no server can be reached
     */
    public <R> R broadcast(String method, Object args, Class<R> replyType, CallOptions callOptions) {
        List<CompletableFuture<Response<R>>> calls = fanOut(method, args, replyType, callOptions);
        CompletableFuture<R> result = new CompletableFuture<>();
        AtomicReference<R> first = new AtomicReference<>();
        AtomicInteger left = new AtomicInteger(calls.size());
        for (CompletableFuture<Response<R>> call : calls) {
            call.whenComplete((r, e) -> {
                if (e != null) {
                    result.completeExceptionally(Server.unwrap(e, "broadcast " + servicePath + "." + method));
                } else {
                    first.compareAndSet(null, r.value());
                    if (left.decrementAndGet() == 0) {
                        result.complete(first.get());
                    }
                }
            });
        }
        return await(result, method);
    }

    /**
     * Calls every server at once and returns the first successful reply (Go's {@code Fork}); fails only when all
     * fail, with the first error (the others suppressed). Servers that cannot be dialled are left out, as in Go;
     * without a timeout in the options, the wait is capped at one minute.
     *
     * @throws NoServerAvailableException when no server can be reached
     */
    public <R> R fork(String method, Object args, Class<R> replyType, CallOptions callOptions) {
        List<CompletableFuture<Response<R>>> calls = fanOut(method, args, replyType, callOptions);
        CompletableFuture<R> result = new CompletableFuture<>();
        AtomicInteger left = new AtomicInteger(calls.size());
        List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        for (CompletableFuture<Response<R>> call : calls) {
            call.whenComplete((r, e) -> {
                if (e == null) {
                    result.complete(r.value());
                } else {
                    errors.add(e);
                    if (left.decrementAndGet() == 0) {
                        RpcException all = Server.unwrap(errors.get(0), "fork " + servicePath + "." + method);
                        errors.subList(1, errors.size()).forEach(all::addSuppressed);
                        result.completeExceptionally(all);
                    }
                }
            });
        }
        return await(result, method);
    }

    /**
     * Calls every server at once and returns what each answered (Go's {@code Inform}), once all have answered or
     * failed. Servers that cannot be dialled are left out, as in Go; without a timeout in the options, each call
     * is capped at one minute.
     *
     * @throws NoServerAvailableException when no server can be reached
     */
    public <R> List<Receipt<R>> inform(String method, Object args, Type replyType, CallOptions callOptions) {
        List<String> addresses = new ArrayList<>();
        List<CompletableFuture<Response<R>>> calls = fanOut(method, args, replyType, callOptions, addresses);
        List<Receipt<R>> receipts = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            try {
                receipts.add(new Receipt<>(addresses.get(i), calls.get(i).join().value(), null));
            } catch (RuntimeException e) {
                receipts.add(new Receipt<>(addresses.get(i), null, Server.unwrap(e, "inform " + addresses.get(i))));
            }
        }
        return receipts;
    }

    private <R> List<CompletableFuture<Response<R>>> fanOut(String method, Object args, Type replyType, CallOptions callOptions) {
        return fanOut(method, args, replyType, callOptions, new ArrayList<>());
    }

    /** The options of a fan-out call: its timeout, at most {@link #FAN_OUT_CAP} (Go: {@code WithTimeout(ctx, time.Minute)}). */
    static CallOptions capped(CallOptions callOptions) {
        Duration t = callOptions.timeout();
        return t == null || t.compareTo(FAN_OUT_CAP) > 0 ? callOptions.withTimeout(FAN_OUT_CAP) : callOptions;
    }

    /** One call per reachable server (dialled in parallel); fills {@code addresses} in the same order. */
    private <R> List<CompletableFuture<Response<R>>> fanOut(String method, Object args, Type replyType, CallOptions callOptions,
                                                           List<String> addresses) {
        CallOptions o = withAuth(capped(callOptions));
        Client.Deadline deadline = Client.Deadline.of(o);
        Map<String, CompletableFuture<Client>> dials = new java.util.TreeMap<>();
        for (String server : servers.keySet()) {
            dials.put(server, CompletableFuture.supplyAsync(() -> client(server), Executors2.callbacks()));
        }
        List<CompletableFuture<Response<R>>> calls = new ArrayList<>();
        for (Map.Entry<String, CompletableFuture<Client>> d : dials.entrySet()) {
            Client c;
            try {
                c = d.getValue().join();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> "rpcx: " + d.getKey() + " left out of the fan-out: " + e.getMessage());
                continue;
            }
            addresses.add(d.getKey());
            calls.add(wrapped(d.getKey(), c, method, args, replyType, o, deadline));
        }
        if (calls.isEmpty()) {
            throw new NoServerAvailableException("rpcx: no server of " + servicePath + " could be reached (discovery lists "
                    + discovery.servers().size() + ", " + servers.size() + " left after the state/group filters)");
        }
        return calls;
    }

    private <R> R await(CompletableFuture<R> f, String method) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RpcCancelledException("interrupted while waiting for " + servicePath + "." + method);
        } catch (java.util.concurrent.ExecutionException e) {
            throw Server.unwrap(e, servicePath + "." + method);
        }
    }

    private CallOptions withAuth(CallOptions o) {
        String token = authToken;
        return token == null ? o : o.withMetadata(Message.AUTH_KEY, token);
    }

    /**
     * The selector's choice, skipping servers whose breaker is open or that are in reconnect backoff: the selector
     * is asked again a few times, then any usable server is taken; when none is left, the error says why.
     */
    private String select(String method, Object args) {
        Map<String, String> eligible = servers;
        String sticky = stickyServer;
        if (options.sticky() && sticky != null && eligible.containsKey(sticky) && usable(sticky)) {
            return sticky;
        }
        SelectContext ctx = new SelectContext(servicePath, method, args);
        String k = selector.select(ctx);
        if (k == null) {
            throw new NoServerAvailableException("rpcx: can not found any server for service " + servicePath
                    + " (discovery lists " + discovery.servers().size() + ", " + eligible.size()
                    + " left after the state/group filters)");
        }
        if (!usable(k)) {
            String first = k;
            k = null;
            for (int i = Math.min(eligible.size(), 16); i > 0 && k == null; i--) {
                String again = selector.select(ctx);
                k = again != null && usable(again) ? again : null;
            }
            if (k == null) {
                List<String> usable = eligible.keySet().stream().filter(this::usable).toList();
                if (usable.isEmpty()) {
                    throw unusable(first);
                }
                k = usable.get(ThreadLocalRandom.current().nextInt(usable.size()));
            }
        }
        if (options.sticky()) {
            stickyServer = k;
        }
        return k;
    }

    private boolean usable(String server) {
        ServerHealth h = health.get(server);
        return h == null || h.usable(clients.get(server));
    }

    private RpcException unusable(String server) {
        ServerHealth h = health.get(server);
        if (h != null && h.breaker != null && h.breaker.state() == CircuitBreaker.State.OPEN) {
            return new BreakerOpenException(server);
        }
        long wait = h == null ? 0 : TimeUnit.NANOSECONDS.toMillis(Math.max(0, h.nextDialAt - System.nanoTime()));
        return new TransportException("rpcx: every server of " + servicePath + " is unreachable or has its breaker open;"
                + " " + server + " is dialled again in " + wait + " ms");
    }

    private <R> Response<R> attempt(String server, String method, Object args, Type replyType, CallOptions o,
                                    Client.Deadline deadline) {
        Client c = client(server);
        preCall(method, args);
        try {
            Response<R> r = c.invokeUntil(servicePath, method, args, replyType, o, deadline);
            outcome(server, c, null);
            postCall(method, args, r.value(), null);
            return r;
        } catch (RpcException e) {
            outcome(server, c, e);
            postCall(method, args, null, e);
            throw e;
        }
    }

    /** Feeds the server's breaker with a call's outcome and forgets a broken connection. */
    private void outcome(String server, Client c, Throwable error) {
        Throwable e = error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error;
        boolean healthy = e == null || (e instanceof RpcException r && r.kind() == RpcException.Kind.SERVICE);
        ServerHealth h = health.get(server);
        if (h != null && h.breaker != null && options.breakerCountsCalls()) {
            if (healthy) {
                h.breaker.success();
            } else if (!(e instanceof RpcException r && (r.kind() == RpcException.Kind.CANCELLED
                    || r.kind() == RpcException.Kind.CONFIGURATION))) {
                h.breaker.fail();
            }
        }
        if (e instanceof TransportException) {
            drop(server, c);
        }
        if (!healthy && server.equals(stickyServer)) {
            stickyServer = null;
        }
    }

    /** Failtry (fixed server) or Failover (server == null: select again each attempt). */
    private <R> Response<R> retrying(String fixed, String method, Object args, Type replyType, CallOptions o,
                                     Client.Deadline deadline) {
        return retrying(fixed, method, args, deadline, server -> this.<R>attempt(server, method, args, replyType, o, deadline));
    }

    private <T> T retrying(String fixed, String method, Object args, Client.Deadline deadline,
                           java.util.function.Function<String, T> attemptOn) {
        RpcException last = null;
        for (int i = 0; i <= options.retries(); i++) {
            if (i > 0) {
                pause(deadline);
            }
            if (deadline.expired()) {
                break;
            }
            try {
                return attemptOn.apply(fixed != null ? fixed : select(method, args));
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

    /**
     * Sends a pre-built request frame and returns the response frame (Go's {@code XClient.SendRaw}, what gateways
     * use): the frame's service, method, codec and payload go out as they are (with {@code __AUTH} added when
     * {@link #auth} is set); Failover and Failtry apply, Failbackup acts as Failfast, as in Go. A response with the
     * error status is returned, not thrown; transport failures throw.
     */
    public Message sendRaw(Message request) {
        Message r = request;
        String token = authToken;
        if (token != null) {
            Map<String, String> meta = new HashMap<>(r.metadata());
            meta.put(Message.AUTH_KEY, token);
            r = r.withMetadata(meta);
        }
        Message frame = r;
        String method = frame.serviceMethod();
        java.util.function.Function<String, Message> once = server -> rawAttempt(server, frame);
        return switch (failMode) {
            case FAILFAST, FAILBACKUP -> once.apply(select(method, frame.payload()));
            case FAILTRY -> retrying(select(method, frame.payload()), method, frame.payload(), Client.Deadline.NONE, once);
            case FAILOVER -> retrying(null, method, frame.payload(), Client.Deadline.NONE, once);
        };
    }

    private Message rawAttempt(String server, Message request) {
        Client c = client(server);
        preCall(request.serviceMethod(), request.payload());
        try {
            Message res = c.sendRaw(request).get();
            outcome(server, c, null);
            postCall(request.serviceMethod(), request.payload(), res, null);
            return res;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RpcCancelledException("interrupted while waiting for " + servicePath + "." + request.serviceMethod());
        } catch (java.util.concurrent.ExecutionException e) {
            RpcException error = Server.unwrap(e, "sendRaw " + servicePath + "." + request.serviceMethod());
            outcome(server, c, error);
            postCall(request.serviceMethod(), request.payload(), null, error);
            throw error;
        }
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
        return attemptAsync(server, method, args, replyType, o, deadline);
    }

    /** One attempt on a given server, dialling off the caller's thread when there is no open connection. */
    private <R> CompletableFuture<Response<R>> attemptAsync(String server, String method, Object args, Type replyType,
                                                           CallOptions o, Client.Deadline deadline) {
        Client cached = clients.get(server);
        CompletableFuture<Client> c;
        if (cached != null && cached.isOpen()) {
            try {
                c = CompletableFuture.completedFuture(checked(server, cached));
            } catch (RpcException e) {
                return CompletableFuture.failedFuture(e);
            }
        } else {
            c = CompletableFuture.supplyAsync(() -> client(server), Executors2.callbacks());
        }
        return c.thenCompose(cl -> wrapped(server, cl, method, args, replyType, o, deadline));
    }

    /** One call on a connection, between the plugins' pre- and post-call hooks, feeding the server's breaker. */
    private <R> CompletableFuture<Response<R>> wrapped(String server, Client c, String method, Object args, Type replyType,
                                                      CallOptions o, Client.Deadline deadline) {
        try {
            preCall(method, args);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return c.<R>invokeAsync(servicePath, method, args, replyType, o, deadline).whenComplete((r, e) -> {
            outcome(server, c, e);
            postCall(method, args, r == null ? null : r.value(), e == null ? null : Server.unwrap(e, method));
        });
    }

    /**
     * The connection to a server, dialling it when there is none. The breaker is asked before every call (or, as
     * in Go when breakers count dials only, before every dial); a failed dial feeds the breaker and starts the
     * reconnect backoff.
     */
    private Client client(String server) {
        if (closed) {
            throw new RpcCancelledException("XClient for " + servicePath + " is closed");
        }
        Client c = clients.get(server);
        if (c != null && c.isOpen()) {
            return checked(server, c);
        }
        ServerHealth h = health(server);
        synchronized (dialLocks.computeIfAbsent(server, k -> new Object())) {
            c = clients.get(server);
            if (c != null && c.isOpen()) {
                return checked(server, c);
            }
            if (h.breaker != null && !h.breaker.ready()) {
                throw new BreakerOpenException(server);
            }
            long wait = h.nextDialAt - System.nanoTime();
            if (h.dialFailures > 0 && wait > 0) {
                throw new TransportException("rpcx: " + server + " is unreachable (" + h.dialFailures
                        + " failed dials); dialled again in " + TimeUnit.NANOSECONDS.toMillis(wait) + " ms");
            }
            try {
                c = Client.connect(server, options, codecs);
            } catch (RpcException e) {
                h.dialFailed(options);
                if (h.breaker != null) {
                    h.breaker.fail();
                }
                throw e;
            }
            h.dialSucceeded();
            clients.put(server, c);
            if (closed) {
                c.close();
            }
            return c;
        }
    }

    /** An open connection may be used when the breaker lets the call through (breakers counting calls only). */
    private Client checked(String server, Client c) {
        if (options.breakerCountsCalls()) {
            ServerHealth h = health.get(server);
            if (h != null && h.breaker != null && !h.breaker.ready()) {
                throw new BreakerOpenException(server);
            }
        }
        return c;
    }

    private ServerHealth health(String server) {
        return health.computeIfAbsent(server, k -> new ServerHealth(
                options.breakerFactory() == null ? null : options.breakerFactory().get()));
    }

    /** The breaker and reconnect state of one server. */
    private static final class ServerHealth {
        final CircuitBreaker breaker;
        /** Guarded by the server's dial lock. */
        volatile int dialFailures;
        volatile long nextDialAt;

        ServerHealth(CircuitBreaker breaker) {
            this.breaker = breaker;
        }

        void dialFailed(ClientOptions o) {
            dialFailures++;
            long base = o.reconnectBackoff().toNanos();
            long backoff = base <= 0 ? 0 : Math.min(o.reconnectBackoffMax().toNanos(), base << Math.min(30, dialFailures - 1));
            nextDialAt = System.nanoTime() + backoff;
        }

        void dialSucceeded() {
            dialFailures = 0;
        }

        /** Worth selecting: the breaker is not open, and there is a connection or the backoff has passed. */
        boolean usable(Client open) {
            if (breaker != null && breaker.state() == CircuitBreaker.State.OPEN) {
                return false;
            }
            return (open != null && open.isOpen()) || dialFailures == 0 || nextDialAt - System.nanoTime() <= 0;
        }
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
        selector.close();
    }

    /** Builds an {@link XClient}; defaults: Failtry, RandomSelect, {@link ClientOptions#defaults()}. */
    public static final class Builder {
        private final String servicePath;
        private FailMode failMode = FailMode.FAILTRY;
        private SelectMode selectMode = SelectMode.RANDOM_SELECT;
        private String selectorName;
        private Selector selector;
        private Map<String, String> selectorSettings = Map.of();
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
            this.selectorName = null;
            return this;
        }

        /**
         * The selector provider of this name, found through {@link java.util.ServiceLoader}: how a third-party
         * selector module is chosen (the built-in ones are named in {@link SelectMode#providerName()}).
         */
        public Builder selectorProvider(String providerName) {
            this.selectorName = Objects.requireNonNull(providerName, "providerName");
            this.selectMode = SelectMode.RANDOM_SELECT; // placeholder: the name decides
            return this;
        }

        /** A user selector (Go's {@code SelectByUser} + {@code SetSelector}). */
        public Builder selector(Selector userSelector) {
            this.selector = userSelector;
            this.selectMode = SelectMode.SELECT_BY_USER;
            return this;
        }

        /** Settings for the select mode's selector provider (e.g. the WeightedICMP refresh {@code interval}). */
        public Builder selectorSettings(Map<String, String> settings) {
            this.selectorSettings = Map.copyOf(settings);
            return this;
        }

        /** {@link SelectMode#CLOSEST} from these coordinates (Go's {@code ConfigGeoSelector(latitude, longitude)}). */
        public Builder closestTo(double latitude, double longitude) {
            this.selectMode = SelectMode.CLOSEST;
            this.selectorSettings = Map.of("latitude", Double.toString(latitude), "longitude", Double.toString(longitude));
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
