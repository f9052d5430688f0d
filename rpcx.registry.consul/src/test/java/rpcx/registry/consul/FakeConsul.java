package rpcx.registry.consul;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An in-process fake of the part of Consul's HTTP API that registries use — Go rpcx (libkv's consul store over
 * {@code hashicorp/consul/api}) and the kiwi consul-client — for tests on machines without a Consul server.
 *
 * <p>Served on {@code 127.0.0.1:<free port>}, with Consul 1.x semantics:
 * <ul>
 * <li>{@code /v1/kv/<key>}: GET (single key, {@code ?recurse}, {@code ?keys[&separator=]}, {@code ?raw}), PUT
 * ({@code ?flags}, {@code ?cas}, {@code ?acquire}, {@code ?release}; a plain PUT keeps the lock holder) and DELETE
 * ({@code ?recurse}, {@code ?cas}); answers and status codes as Consul's, JSON values in base64.</li>
 * <li>{@code /v1/session/create|renew/<id>|destroy/<id>|info/<id>|list}: behaviours {@code release} and
 * {@code delete}, lock delay (default 15s, at most 60s: a key whose holder was invalidated cannot be acquired again
 * for that long), TTL within [{@code minSessionTtl}, 24h] invalidated after 2×TTL without renewal (Consul's
 * {@code sessionTTLMultiplier}).</li>
 * <li>Blocking queries on every GET: {@code ?index=N&wait=…} parks (no polling) until the query's index passes
 * {@code N} or the wait (default 5m, at most 10m, plus up to wait/16 jitter) ends. Indexes as Consul's state store
 * computes them: a key's ModifyIndex; for a missing key the KV table's index; for a prefix the highest ModifyIndex
 * or delete (tombstone) index under it, else the table's; never 0.</li>
 * <li>{@code /v1/status/leader} and {@code /v1/agent/self}, minimal, for clients that ping.</li>
 * </ul>
 * Every response carries {@code X-Consul-Index}, {@code X-Consul-Knownleader: true} and
 * {@code X-Consul-Lastcontact: 0}; every request is recorded ({@link #requests()}).
 *
 * <p>Not faithful: no ACLs, tokens, namespaces or datacenters ({@code ?dc}, {@code ?consistent}, {@code ?stale} are
 * ignored), no raft (one global index, bumped only by writes that change something), session health checks and
 * nodes are stored but never consulted, tombstones are never reaped, no catalog/health/agent endpoints beyond the
 * two pings, and a client holding an index above the current one is answered at once instead of blocking.
 * {@link #stop()} pauses session timers and {@link #restart()} re-arms them with a full 2×TTL, as a new Consul
 * leader does.
 */
public final class FakeConsul implements AutoCloseable {
    /** A KV entry; {@code value} is empty (Consul: null) when nothing was stored, {@code session} null when free. */
    public record Entry(String key, byte[] value, long flags, String session, long lockIndex, long createIndex,
            long modifyIndex) {
        /** The value as UTF-8 text. */
        public String text() {
            return new String(value, UTF_8);
        }
    }

    /** A session; {@code ttl} as the client gave it ("" when none), {@code lockDelay} as a Go duration. */
    public record SessionInfo(String id, String behavior, String ttl, String lockDelay, long createIndex) {}

    /** A received request: decoded path, decoded query ({@code ?recurse} → {@code [""]}), body as UTF-8. */
    public record Request(String method, String path, Map<String, List<String>> query, String body) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NODE = "fake-node";
    private static final Duration MAX_TTL = Duration.ofHours(24);
    private static final long MAX_LOCK_DELAY = Duration.ofSeconds(60).toNanos();
    private static final long DEFAULT_WAIT = Duration.ofMinutes(5).toNanos();
    private static final long MAX_WAIT = Duration.ofMinutes(10).toNanos();
    private static final int MAX_VALUE_SIZE = 512 * 1024;

    private record Session(String id, String name, String node, String behavior, String ttl, long ttlNanos,
            long lockDelay, JsonNode checks, long index) {}

    /** An answer: {@code index} 0 = the current global index. */
    private record Reply(int status, String type, byte[] body, long index) {}

    /** A request Consul refuses, with its status and text. */
    private static final class Refused extends RuntimeException {
        final int status;

        Refused(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    private final Duration minSessionTtl;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final TreeMap<String, Entry> kvs = new TreeMap<>();
    private final Map<String, Long> tombstones = new HashMap<>(), lockDelays = new HashMap<>();
    private final Map<String, Session> sessions = new LinkedHashMap<>();
    private final Map<String, ScheduledFuture<?>> sessionTimers = new HashMap<>();
    private long index = 10, kvIndex, sessionIndex, generation;
    private boolean running, closed;
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final ExecutorService executor = Executors.newCachedThreadPool(daemons("fake-consul-http"));
    private final ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, daemons("fake-consul-timer"));
    private HttpServer server;
    private int port;

    static {
        // the JDK's server writes headers and body apart: without TCP_NODELAY each small response waits for the
        // client's delayed ACK (~40 ms), and a thousand registrations take minutes. Read once, when its class loads.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private FakeConsul(Duration minSessionTtl) {
        this.minSessionTtl = minSessionTtl;
        timers.setRemoveOnCancelPolicy(true);
    }

    /** Starts a fake with Consul's minimum session TTL, 10s. */
    public static FakeConsul start() {
        return start(Duration.ofSeconds(10));
    }

    /** Starts a fake accepting session TTLs down to {@code minSessionTtl} (Consul's {@code session_ttl_min}). */
    public static FakeConsul start(Duration minSessionTtl) {
        FakeConsul consul = new FakeConsul(minSessionTtl);
        consul.listen();
        return consul;
    }

    public int port() {
        return port;
    }

    /** {@code 127.0.0.1:<port>} */
    public String address() {
        return "127.0.0.1:" + port;
    }

    /** Stops answering (port closed, connections and parked queries dropped); state kept, session timers paused. */
    public void stop() {
        HttpServer s;
        lock.lock();
        try {
            if (!running) return;
            running = false;
            s = server;
            sessions.values().forEach(this::cancel);
        } finally {
            lock.unlock();
        }
        s.stop(0);
        inLock(() -> {
            generation++; // parked queries return into closed connections
            changed.signalAll();
        });
    }

    /** Answers again on the same port with the state kept; TTL sessions get a fresh 2×TTL, as after an election. */
    public void restart() {
        lock.lock();
        try {
            if (closed) throw new IllegalStateException("closed");
            if (running) return;
            sessions.values().forEach(this::arm);
        } finally {
            lock.unlock();
        }
        listen();
    }

    /** Clears all keys and sessions, as a fresh datacenter would be; the index keeps growing, parked queries wake. */
    public void wipe() {
        inLock(() -> {
            sessions.values().forEach(this::cancel);
            sessions.clear();
            kvs.clear();
            tombstones.clear();
            lockDelays.clear();
            kvIndex = sessionIndex = ++index;
            changed.signalAll();
        });
    }

    @Override
    public void close() {
        stop();
        inLock(() -> closed = true);
        timers.shutdownNow();
        executor.shutdownNow();
    }

    /** A snapshot of the KV store, sorted by key. */
    public Map<String, Entry> kv() {
        return locked(() -> Collections.unmodifiableMap(new TreeMap<>(kvs)));
    }

    public Optional<Entry> get(String key) {
        return locked(() -> Optional.ofNullable(kvs.get(key)));
    }

    /** {@code consul kv put key value}: flags 0, a lock holder kept. */
    public void put(String key, String value) {
        inLock(() -> set(key, value.getBytes(UTF_8), 0));
    }

    /** {@code consul kv delete key} */
    public void delete(String key) {
        inLock(() -> remove(key));
    }

    /** A snapshot of the live sessions by id, in creation order. */
    public Map<String, SessionInfo> sessions() {
        return locked(() -> {
            Map<String, SessionInfo> out = new LinkedHashMap<>();
            sessions.values().forEach(s -> out.put(s.id, new SessionInfo(s.id, s.behavior, s.ttl,
                    formatGoDuration(Duration.ofNanos(s.lockDelay)), s.index)));
            return Collections.unmodifiableMap(out);
        });
    }

    /** Invalidates a session now, as if its TTL had run out. */
    public void expireSession(String id) {
        inLock(() -> invalidate(id));
    }

    /** Every request received so far, in order. */
    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    public void clearRequests() {
        requests.clear();
    }

    // ---- store (all under lock) ----

    private boolean set(String key, byte[] value, long flags) {
        Entry old = kvs.get(key);
        long idx = ++index;
        kvs.put(key, old == null ? new Entry(key, value, flags, null, 0, idx, idx)
                : new Entry(key, value, flags, old.session, old.lockIndex, old.createIndex, idx));
        return written(idx);
    }

    private boolean remove(String key) {
        if (!kvs.containsKey(key)) return true;
        long idx = ++index;
        tomb(key, idx);
        return written(idx);
    }

    private void tomb(String key, long idx) {
        kvs.remove(key);
        tombstones.put(key, idx);
    }

    private boolean written(long idx) {
        kvIndex = idx;
        changed.signalAll();
        return true;
    }

    private boolean acquire(String key, byte[] value, long flags, String session) {
        Long until = lockDelays.get(key);
        if (until != null && until - System.nanoTime() > 0) return false; // Consul: "Rejecting lock … lock-delay"
        if (session.isEmpty()) throw new Refused(500, "missing session");
        if (!sessions.containsKey(session)) throw new Refused(500, "invalid session \"" + session + "\"");
        Entry old = kvs.get(key);
        if (old != null && old.session != null && !old.session.equals(session)) return false;
        long idx = ++index;
        long lockIndex = old == null ? 1 : session.equals(old.session) ? old.lockIndex : old.lockIndex + 1;
        kvs.put(key, new Entry(key, value, flags, session, lockIndex, old == null ? idx : old.createIndex, idx));
        return written(idx);
    }

    private boolean release(String key, byte[] value, long flags, String session) {
        if (session.isEmpty()) throw new Refused(500, "missing session");
        Entry old = kvs.get(key);
        if (old == null || !session.equals(old.session)) return false;
        long idx = ++index;
        kvs.put(key, new Entry(key, value, flags, null, old.lockIndex, old.createIndex, idx));
        return written(idx);
    }

    private boolean invalidate(String id) {
        Session s = sessions.remove(id);
        if (s == null) return false;
        cancel(s);
        long idx = ++index, now = System.nanoTime(), delay = Math.min(s.lockDelay, MAX_LOCK_DELAY);
        boolean kvChanged = false;
        for (Entry e : new ArrayList<>(kvs.values())) {
            if (!id.equals(e.session)) continue;
            if (s.behavior.equals("delete")) tomb(e.key, idx);
            else kvs.put(e.key, new Entry(e.key, e.value, e.flags, null, e.lockIndex, e.createIndex, idx));
            if (delay > 0) lockDelays.put(e.key, now + delay);
            kvChanged = true;
        }
        if (kvChanged) kvIndex = idx;
        sessionIndex = idx;
        changed.signalAll();
        return true;
    }

    /** (Re)starts the session's TTL timer: invalidation after 2×TTL (Consul's sessionTTLMultiplier). */
    private void arm(Session s) {
        cancel(s);
        if (s.ttlNanos == 0) return;
        ScheduledFuture<?>[] self = new ScheduledFuture<?>[1];
        self[0] = timers.schedule(() -> locked(() -> sessionTimers.get(s.id) == self[0] && invalidate(s.id)),
                2 * s.ttlNanos, TimeUnit.NANOSECONDS);
        sessionTimers.put(s.id, self[0]);
    }

    private void cancel(Session s) {
        ScheduledFuture<?> timer = sessionTimers.remove(s.id);
        if (timer != null) timer.cancel(false);
    }

    private SortedEntries under(String prefix) {
        List<Entry> out = new ArrayList<>();
        long idx = 0;
        for (Entry e : kvs.tailMap(prefix, true).values()) {
            if (!e.key.startsWith(prefix)) break;
            out.add(e);
            idx = Math.max(idx, e.modifyIndex);
        }
        for (Map.Entry<String, Long> t : tombstones.entrySet()) {
            if (t.getKey().startsWith(prefix)) idx = Math.max(idx, t.getValue());
        }
        return new SortedEntries(out, idx == 0 ? kvIndex : idx);
    }

    private record SortedEntries(List<Entry> entries, long index) {}

    // ---- HTTP ----

    private void listen() {
        for (int attempt = 0; ; attempt++) {
            try {
                HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
                s.setExecutor(executor);
                s.createContext("/", this::handle);
                s.start();
                lock.lock();
                try {
                    server = s;
                    port = s.getAddress().getPort();
                    running = true;
                } finally {
                    lock.unlock();
                }
                return;
            } catch (BindException e) {
                if (attempt >= 50) throw new IllegalStateException("cannot bind port " + port, e);
                sleep(100);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private void handle(HttpExchange ex) {
        try {
            byte[] body = ex.getRequestBody().readAllBytes();
            String method = ex.getRequestMethod(), path = ex.getRequestURI().getPath();
            Map<String, List<String>> query = parseQuery(ex.getRequestURI().getRawQuery());
            requests.add(new Request(method, path, query == null ? Map.of() : query, new String(body, UTF_8)));
            Reply reply;
            try {
                if (query == null) throw new Refused(400, "Invalid query string");
                reply = route(method, path, query, body);
            } catch (Refused e) {
                reply = text(e.status, e.getMessage());
            } catch (RuntimeException e) {
                reply = text(500, e.toString());
            }
            long idx = reply.index > 0 ? reply.index : locked(() -> index);
            var headers = ex.getResponseHeaders();
            headers.set("X-Consul-Index", Long.toString(idx));
            headers.set("X-Consul-Knownleader", "true");
            headers.set("X-Consul-Lastcontact", "0");
            if (reply.type != null) headers.set("Content-Type", reply.type);
            ex.sendResponseHeaders(reply.status, reply.body.length == 0 ? -1 : reply.body.length);
            if (reply.body.length > 0) ex.getResponseBody().write(reply.body);
        } catch (IOException | RuntimeException e) {
            // the client left or the server was stopped under a parked query: nothing to answer
        } finally {
            ex.close();
        }
    }

    private Reply route(String method, String path, Map<String, List<String>> q, byte[] body) {
        if (path.startsWith("/v1/kv/")) {
            String key = path.substring("/v1/kv/".length());
            return switch (method) {
                case "GET" -> kvGet(key, q);
                case "PUT" -> kvPut(key, q, body);
                case "DELETE" -> kvDelete(key, q);
                default -> throw notAllowed(method);
            };
        }
        if (path.equals("/v1/session/create")) return requirePut(method, () -> sessionCreate(body));
        if (path.startsWith("/v1/session/renew/")) return requirePut(method, () -> sessionRenew(tail(path)));
        if (path.startsWith("/v1/session/destroy/")) {
            return requirePut(method, () -> json(200, locked(() -> invalidate(tail(path)) || true), 0));
        }
        if (path.startsWith("/v1/session/info/") && method.equals("GET")) {
            String id = tail(path);
            return blocking(q, () -> sessionList(sessions.containsKey(id) ? List.of(sessions.get(id)) : List.of()));
        }
        if (path.equals("/v1/session/list") && method.equals("GET")) {
            return blocking(q, () -> sessionList(sessions.values()));
        }
        if (path.equals("/v1/status/leader")) return json(200, "127.0.0.1:8300", 0);
        if (path.equals("/v1/agent/self")) {
            return json(200, Map.of("Config", Map.of("Datacenter", "dc1", "NodeName", NODE), "Member", Map.of()), 0);
        }
        return text(404, "404 page not found");
    }

    private Reply kvGet(String key, Map<String, List<String>> q) {
        boolean keys = q.containsKey("keys"), recurse = q.containsKey("recurse");
        if (key.isEmpty() && !keys && !recurse) throw new Refused(400, "Missing key name");
        String separator = first(q, "separator", "");
        return blocking(q, () -> {
            if (keys) {
                SortedEntries found = under(key);
                LinkedHashSet<String> names = new LinkedHashSet<>();
                for (Entry e : found.entries) {
                    int at = separator.isEmpty() ? -1 : e.key.indexOf(separator, key.length());
                    names.add(at < 0 ? e.key : e.key.substring(0, at + separator.length()));
                }
                return names.isEmpty() ? new Reply(404, null, new byte[0], found.index) : json(200, names, found.index);
            }
            if (recurse) {
                SortedEntries found = under(key);
                return found.entries.isEmpty() ? new Reply(404, null, new byte[0], found.index)
                        : json(200, entriesJson(found.entries), found.index);
            }
            Entry e = kvs.get(key);
            if (e == null) return new Reply(404, null, new byte[0], kvIndex);
            if (q.containsKey("raw")) return new Reply(200, "application/octet-stream", e.value, e.modifyIndex);
            return json(200, entriesJson(List.of(e)), e.modifyIndex);
        });
    }

    private Reply kvPut(String key, Map<String, List<String>> q, byte[] body) {
        if (key.isEmpty()) throw new Refused(400, "Missing key name");
        conflicting(q, "cas", "acquire", "release");
        if (body.length > MAX_VALUE_SIZE) throw new Refused(413, "Value exceeds " + MAX_VALUE_SIZE + " byte limit");
        long flags = unsigned(first(q, "flags", "0"), "flags");
        boolean ok = locked(() -> {
            if (q.containsKey("release")) return release(key, body, flags, first(q, "release", ""));
            if (q.containsKey("acquire")) return acquire(key, body, flags, first(q, "acquire", ""));
            if (q.containsKey("cas")) {
                long cas = unsigned(first(q, "cas", ""), "cas");
                Entry old = kvs.get(key);
                if (cas == 0 ? old != null : old == null || old.modifyIndex != cas) return false;
            }
            return set(key, body, flags);
        });
        return json(200, ok, 0);
    }

    private Reply kvDelete(String key, Map<String, List<String>> q) {
        conflicting(q, "recurse", "cas");
        boolean recurse = q.containsKey("recurse");
        if (key.isEmpty() && !recurse) throw new Refused(400, "Missing key name");
        boolean ok = locked(() -> {
            if (recurse) {
                List<Entry> doomed = under(key).entries;
                if (doomed.isEmpty()) return true;
                long idx = ++index;
                doomed.forEach(e -> tomb(e.key, idx));
                return written(idx);
            }
            if (q.containsKey("cas")) {
                long cas = unsigned(first(q, "cas", ""), "cas");
                Entry old = kvs.get(key);
                if (old == null || old.modifyIndex != cas) return old == null; // Consul: nothing to delete = done
            }
            return remove(key);
        });
        return json(200, ok, 0);
    }

    private Reply sessionCreate(byte[] body) {
        JsonNode in;
        try {
            in = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException e) {
            throw new Refused(400, "Request decode failed: " + e.getMessage());
        }
        if (in == null || !in.isObject()) throw new Refused(400, "Request decode failed: not a JSON object");
        long lockDelay = Duration.ofSeconds(15).toNanos();
        JsonNode delay = field(in, "LockDelay");
        if (delay != null && !delay.isNull()) {
            try {
                lockDelay = delay.isNumber() ? delay.asLong() : parseGoDuration(delay.asText()).toNanos();
            } catch (IllegalArgumentException e) {
                throw new Refused(400, "Request decode failed: " + e.getMessage());
            }
            if (lockDelay < 1000) lockDelay *= 1_000_000_000L; // Consul: small numbers are seconds
        }
        String behavior = textField(in, "Behavior");
        if (behavior.isEmpty()) behavior = "release";
        if (!behavior.equals("release") && !behavior.equals("delete")) {
            throw new Refused(500, "Invalid Behavior setting '" + behavior + "'");
        }
        String ttl = textField(in, "TTL");
        long ttlNanos = 0;
        if (!ttl.isEmpty()) {
            try {
                ttlNanos = parseGoDuration(ttl).toNanos();
            } catch (IllegalArgumentException e) {
                throw new Refused(500, "Session TTL '" + ttl + "' invalid: " + e.getMessage());
            }
            if (ttlNanos != 0 && (ttlNanos < minSessionTtl.toNanos() || ttlNanos > MAX_TTL.toNanos())) {
                throw new Refused(500, "Invalid Session TTL '" + ttlNanos + "', must be between ["
                        + formatGoDuration(minSessionTtl) + "=" + formatGoDuration(MAX_TTL) + "]");
            }
        }
        JsonNode checks = field(in, "NodeChecks") != null ? field(in, "NodeChecks") : field(in, "Checks");
        String node = textField(in, "Node");
        String id = UUID.randomUUID().toString();
        long finalDelay = lockDelay, finalTtl = ttlNanos;
        String finalBehavior = behavior;
        inLock(() -> {
            long idx = ++index;
            Session s = new Session(id, textField(in, "Name"), node.isEmpty() ? NODE : node, finalBehavior, ttl,
                    finalTtl, finalDelay, checks != null ? checks : JSON.createArrayNode().add("serfHealth"), idx);
            sessions.put(id, s);
            if (running) arm(s);
            sessionIndex = idx;
            changed.signalAll();
        });
        return json(200, Map.of("ID", id), 0);
    }

    private Reply sessionRenew(String id) {
        return locked(() -> {
            Session s = sessions.get(id);
            if (s == null) return text(404, "Session id '" + id + "' not found");
            arm(s);
            return sessionList(List.of(s));
        });
    }

    private Reply sessionList(Iterable<Session> list) {
        ArrayNode out = JSON.createArrayNode();
        for (Session s : list) {
            ObjectNode o = out.addObject();
            o.put("ID", s.id).put("Name", s.name).put("Node", s.node).put("LockDelay", s.lockDelay)
                    .put("Behavior", s.behavior).put("TTL", s.ttl);
            o.set("Checks", s.checks);
            o.set("NodeChecks", s.checks);
            o.putNull("ServiceChecks");
            o.put("CreateIndex", s.index).put("ModifyIndex", s.index);
        }
        return json(200, out, sessionIndex);
    }

    /** Runs {@code query} (under the lock) at once, or parks until its index passes {@code ?index} or the wait ends. */
    private Reply blocking(Map<String, List<String>> q, Supplier<Reply> query) {
        long min = unsigned(first(q, "index", "0"), "index");
        long wait;
        try {
            wait = q.containsKey("wait") ? parseGoDuration(first(q, "wait", "")).toNanos() : 0;
        } catch (IllegalArgumentException e) {
            throw new Refused(400, "Invalid wait time");
        }
        wait = wait <= 0 ? DEFAULT_WAIT : Math.min(wait, MAX_WAIT);
        long deadline = System.nanoTime() + wait + ThreadLocalRandom.current().nextLong(wait / 16 + 1);
        lock.lock();
        try {
            long gen = generation;
            while (true) {
                Reply r = query.get();
                r = new Reply(r.status, r.type, r.body, Math.max(1, r.index));
                long left = deadline - System.nanoTime();
                if (min == 0 || r.index > min || min > index || gen != generation || left <= 0) return r;
                changed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        } finally {
            lock.unlock();
        }
    }

    // ---- helpers ----

    private static ArrayNode entriesJson(List<Entry> entries) {
        ArrayNode out = JSON.createArrayNode();
        for (Entry e : entries) {
            ObjectNode o = out.addObject().put("LockIndex", e.lockIndex).put("Key", e.key);
            if (e.flags >= 0) o.put("Flags", e.flags);
            else o.put("Flags", new BigInteger(Long.toUnsignedString(e.flags)));
            if (e.value.length == 0) o.putNull("Value");
            else o.put("Value", Base64.getEncoder().encodeToString(e.value));
            if (e.session != null) o.put("Session", e.session);
            o.put("CreateIndex", e.createIndex).put("ModifyIndex", e.modifyIndex);
        }
        return out;
    }

    private static Reply json(int status, Object value, long index) {
        try {
            return new Reply(status, "application/json", JSON.writeValueAsBytes(value), index);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Reply text(int status, String message) {
        return new Reply(status, "text/plain; charset=utf-8", message.getBytes(UTF_8), 0);
    }

    private static Reply requirePut(String method, Supplier<Reply> action) {
        if (!method.equals("PUT")) throw notAllowed(method);
        return action.get();
    }

    private static Refused notAllowed(String method) {
        return new Refused(405, "method " + method + " not allowed");
    }

    private static void conflicting(Map<String, List<String>> q, String... flags) {
        long present = java.util.Arrays.stream(flags).filter(q::containsKey).count();
        if (present > 1) throw new Refused(400, "Conflicting flags: " + String.join("&", flags));
    }

    private static String tail(String path) {
        String id = path.substring(path.lastIndexOf('/') + 1);
        if (id.isEmpty()) throw new Refused(400, "Missing session");
        return id;
    }

    private static String first(Map<String, List<String>> q, String name, String otherwise) {
        List<String> values = q.get(name);
        return values == null || values.isEmpty() ? otherwise : values.get(0);
    }

    private static long unsigned(String text, String name) {
        try {
            return Long.parseUnsignedLong(text);
        } catch (NumberFormatException e) {
            throw new Refused(400, "Invalid " + name + ": " + text);
        }
    }

    /** Consul decodes JSON bodies case-insensitively (mapstructure). */
    private static JsonNode field(JsonNode in, String name) {
        for (Iterator<String> it = in.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (f.equalsIgnoreCase(name)) return in.get(f);
        }
        return null;
    }

    private static String textField(JsonNode in, String name) {
        JsonNode v = field(in, name);
        return v == null || v.isNull() ? "" : v.asText();
    }

    /** The decoded query, or null when malformed. */
    private static Map<String, List<String>> parseQuery(String raw) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) return out;
        try {
            for (String part : raw.split("&")) {
                if (part.isEmpty()) continue;
                int eq = part.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), UTF_8);
                out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            }
        } catch (IllegalArgumentException e) {
            return null;
        }
        out.replaceAll((k, v) -> List.copyOf(v));
        return Collections.unmodifiableMap(out);
    }

    private <T> T locked(Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    private void inLock(Runnable action) {
        lock.lock();
        try {
            action.run();
        } finally {
            lock.unlock();
        }
    }

    private static java.util.concurrent.ThreadFactory daemons(String name) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---- Go's time.Duration text ----

    private static final Map<String, Long> UNITS = Map.of("ns", 1L, "us", 1_000L, "\u00b5s", 1_000L,
            "\u03bcs", 1_000L, "ms", 1_000_000L, "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);

    /** Go's {@code time.ParseDuration}: "1ms", "1.5s", "1h2m3.5s", "-2m", "0"; IllegalArgumentException otherwise. */
    static Duration parseGoDuration(String text) {
        IllegalArgumentException invalid = new IllegalArgumentException("time: invalid duration \"" + text + "\"");
        String s = text;
        boolean negative = false;
        if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            negative = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.equals("0")) return Duration.ZERO;
        if (s.isEmpty()) throw invalid;
        BigDecimal total = BigDecimal.ZERO;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) && s.charAt(i) < 128 || s.charAt(i) == '.')) i++;
            String number = s.substring(start, i);
            if (number.isEmpty() || number.equals(".") || number.indexOf('.') != number.lastIndexOf('.')) throw invalid;
            int unitStart = i;
            while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') i++;
            Long unit = UNITS.get(s.substring(unitStart, i));
            if (unit == null) {
                throw new IllegalArgumentException(unitStart == i ? "time: missing unit in duration \"" + text + "\""
                        : "time: unknown unit \"" + s.substring(unitStart, i) + "\" in duration \"" + text + "\"");
            }
            BigDecimal value = new BigDecimal(number.startsWith(".") ? "0" + number : number);
            total = total.add(value.multiply(BigDecimal.valueOf(unit)));
        }
        BigInteger nanos = total.toBigInteger();
        if (nanos.bitLength() > 63) throw invalid;
        return Duration.ofNanos(negative ? -nanos.longValue() : nanos.longValue());
    }

    /** Go's {@code time.Duration.String()}: "0s", "1ms", "1.5s", "30s", "1m0s", "1h30m0s", "1.5µs". */
    static String formatGoDuration(Duration duration) {
        long d = duration.toNanos();
        if (d == 0) return "0s";
        String sign = d < 0 ? "-" : "";
        BigInteger u = BigInteger.valueOf(d).abs();
        if (u.compareTo(BigInteger.valueOf(1_000_000_000L)) < 0) {
            long n = u.longValue();
            if (n < 1_000) return sign + n + "ns";
            if (n < 1_000_000) return sign + fraction(n, 3) + "\u00b5s";
            return sign + fraction(n, 6) + "ms";
        }
        BigInteger[] minutes = u.divideAndRemainder(BigInteger.valueOf(60_000_000_000L));
        StringBuilder out = new StringBuilder(sign);
        long m = minutes[0].longValue();
        if (m > 0) {
            if (m >= 60) out.append(m / 60).append('h');
            out.append(m % 60).append('m');
        }
        return out.append(fraction(minutes[1].longValue(), 9)).append('s').toString();
    }

    /** {@code v / 10^digits} in decimal with trailing zeros of the fraction dropped. */
    private static String fraction(long v, int digits) {
        long scale = (long) Math.pow(10, digits);
        String frac = String.format("%0" + digits + "d", v % scale).replaceAll("0+$", "");
        return (v / scale) + (frac.isEmpty() ? "" : "." + frac);
    }
}
