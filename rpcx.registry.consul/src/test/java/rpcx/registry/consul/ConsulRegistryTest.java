package rpcx.registry.consul;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import rpcx.api.Registries;
import rpcx.api.RegistryPlugin;
import rpcx.api.RpcConfigurationException;
import rpcx.api.ServerNode;
import rpcx.api.TransportException;
import rpcx.api.spi.ServiceDiscovery;
import rpcx.testkit.Eventually;

/**
 * What only Consul has, against {@link FakeConsul}: Go's keys, values, flags and sessions, the HTTP requests of a
 * registration, session expiry, and the prefix filtering of discovery.
 */
class ConsulRegistryTest {
    /** Go's {@code api.LockFlagValue}. */
    private static final long LOCK_FLAG = 0x2ddccbc058a50c18L;

    private static FakeConsul consul;

    @BeforeAll
    static void start() {
        consul = FakeConsul.start(Duration.ofMillis(100));
    }

    @AfterAll
    static void stop() {
        if (consul != null) {
            consul.close();
        }
    }

    private static Map<String, FakeConsul.Entry> under(String prefix) {
        Map<String, FakeConsul.Entry> m = new TreeMap<>();
        consul.kv().forEach((k, e) -> {
            if (k.startsWith(prefix)) {
                m.put(k, e);
            }
        });
        return m;
    }

    private static String text(FakeConsul.Entry e) {
        return new String(e.value(), StandardCharsets.UTF_8);
    }

    private static void await(Callable<Boolean> condition, String what) throws Exception {
        Eventually.await(Duration.ofSeconds(20), condition, () -> what);
    }

    @Test
    void registrationWritesGosKeysFlaggedAndTheNodeHeldByADeleteSessionWithGosTtl() throws Exception {
        // Go strips the leading '/' of BasePath: the keys are rpcx_layout/...
        try (RegistryPlugin plugin = Registries.plugin("consul://" + consul.address() + "/rpcx_layout", "tcp@10.0.0.5:8972")) {
            plugin.register("Arith", new Object(), "weight=7&group=test");
            plugin.register("Echo", new Object(), "");
            Map<String, FakeConsul.Entry> kv = under("rpcx_layout");
            assertEquals(List.of("rpcx_layout", "rpcx_layout/Arith", "rpcx_layout/Arith/tcp@10.0.0.5:8972",
                    "rpcx_layout/Echo", "rpcx_layout/Echo/tcp@10.0.0.5:8972"), List.copyOf(kv.keySet()));
            assertEquals("rpcx_path", text(kv.get("rpcx_layout")));
            assertEquals("Arith", text(kv.get("rpcx_layout/Arith")));
            assertEquals("weight=7&group=test", text(kv.get("rpcx_layout/Arith/tcp@10.0.0.5:8972")));
            assertEquals("", text(kv.get("rpcx_layout/Echo/tcp@10.0.0.5:8972")));
            kv.values().forEach(e -> assertEquals(LOCK_FLAG, e.flags(), "every write carries api.LockFlagValue: " + e.key()));
            assertNull(kv.get("rpcx_layout").session(), "directory keys are written without a TTL");
            assertNull(kv.get("rpcx_layout/Arith").session());

            String session = kv.get("rpcx_layout/Arith/tcp@10.0.0.5:8972").session();
            assertNotNull(session, "the node is held by a session");
            assertNotEquals(session, kv.get("rpcx_layout/Echo/tcp@10.0.0.5:8972").session(), "one session per key, as libkv");
            FakeConsul.SessionInfo s = consul.sessions().get(session);
            assertEquals("delete", s.behavior());
            // TTL = (UpdateInterval + Expired) / 2 = (1m + 1m) / 2, in Go's duration syntax
            assertEquals("1m0s", s.ttl());
            assertEquals("1ms", s.lockDelay());

            consul.delete("rpcx_layout/Echo");
            plugin.unregister("Echo");
            assertNull(consul.get("rpcx_layout/Echo/tcp@10.0.0.5:8972").orElse(null));
            assertEquals(LOCK_FLAG, consul.get("rpcx_layout/Echo").orElseThrow().flags(), "Go's Unregister puts the directory keys again");
            assertTrue(consul.get("rpcx_layout/Echo").isPresent(), "the directory key stays, as in Go");
        }
        assertTrue(consul.get("rpcx_layout/Arith/tcp@10.0.0.5:8972").isEmpty(), "closing deletes the nodes");
        assertEquals("Arith", text(consul.get("rpcx_layout/Arith").orElseThrow()), "the directory keys stay");
    }

    @Test
    void aRegistrationMakesLibkvsRequests() {
        consul.clearRequests();
        try (RegistryPlugin plugin = Registries.plugin("consul://" + consul.address() + "/rpcx_requests", "tcp@10.0.0.6:8972")) {
            plugin.register("Arith", new Object(), "weight=1");
            String node = "/v1/kv/rpcx_requests/Arith/tcp@10.0.0.6:8972";
            List<FakeConsul.Request> forNode = consul.requests().stream()
                    .filter(r -> r.path().equals(node) || r.path().startsWith("/v1/session/")).toList();
            List<String> seen = forNode.stream().map(r -> r.method() + " " + r.path()).toList();
            String session = consul.get("rpcx_requests/Arith/tcp@10.0.0.6:8972").orElseThrow().session();
            assertEquals(List.of("GET " + node, "PUT /v1/session/create", "PUT " + node, "PUT /v1/session/renew/" + session,
                    "PUT " + node), seen, "libkv's Put with a TTL: find the key's session, create one, acquire, renew, write");
            assertEquals(List.of(session), forNode.get(2).query().get("acquire"));
            assertEquals(List.of(Long.toString(LOCK_FLAG)), forNode.get(2).query().get("flags"));
            assertEquals(List.of(Long.toString(LOCK_FLAG)), forNode.get(4).query().get("flags"));
            assertEquals(null, forNode.get(4).query().get("acquire"), "the final write is a plain one");
            assertEquals("weight=1", forNode.get(4).body());
        }
    }

    @Test
    void withNoUpdateIntervalNodesArePlainKeysAsInGo() {
        ConsulOptions options = ConsulOptions.of(consul.address(), "rpcx_plain").withUpdateInterval(Duration.ZERO);
        try (RegistryPlugin plugin = ConsulRegistry.plugin(options, "tcp@10.0.0.5:8972")) {
            plugin.register("Arith", new Object(), "weight=2");
            FakeConsul.Entry e = consul.get("rpcx_plain/Arith/tcp@10.0.0.5:8972").orElseThrow();
            assertNull(e.session(), "TTL = 0: no session");
            assertEquals("weight=2", text(e));
        }
    }

    @Test
    void aNodeWhoseSessionWasInvalidatedIsWrittenAgainOnTheNextUpdateWithANewSession() throws Exception {
        ConsulOptions options = ConsulOptions.of(consul.address(), "rpcx_expiry").withUpdateInterval(Duration.ofMillis(300));
        try (RegistryPlugin plugin = ConsulRegistry.plugin(options, "tcp@10.0.0.7:8972")) {
            plugin.register("Arith", new Object(), "weight=1");
            String key = "rpcx_expiry/Arith/tcp@10.0.0.7:8972";
            String first = consul.get(key).orElseThrow().session();
            assertEquals("300ms", consul.sessions().get(first).ttl(), "(300ms + 300ms) / 2");
            consul.expireSession(first); // Behavior=delete: Consul deletes the key
            await(() -> consul.get(key).map(e -> e.session() != null && !e.session().equals(first)
                    && text(e).equals("weight=1")).orElse(false), "written again under a new session");
        }
    }

    @Test
    void discoveryKeepsOnlyTheServiceDirectChildren() throws Exception {
        consul.put("rpcx_filter/Arith", "Arith");
        consul.put("rpcx_filter/Arith/tcp@10.0.0.1:8972", "weight=1");
        consul.put("rpcx_filter/ArithX/tcp@10.0.0.2:8972", "weight=2"); // Consul's prefix match would include it
        consul.put("rpcx_filter/Arith/tcp@10.0.0.3:8972/extra", "x");
        try (ServiceDiscovery d = Registries.discovery("consul://" + consul.address() + "/rpcx_filter?watchWait=PT1S", "Arith")) {
            assertEquals(List.of(new ServerNode("tcp@10.0.0.1:8972", "weight=1")), d.servers());
            consul.put("rpcx_filter/Arith/tcp@10.0.0.4:8972", "weight=4");
            await(() -> d.servers().size() == 2, "a blocking query sees the new key: " + d.servers());
            consul.delete("rpcx_filter/Arith/tcp@10.0.0.1:8972");
            await(() -> d.servers().equals(List.of(new ServerNode("tcp@10.0.0.4:8972", "weight=4"))),
                    "and the deletion: " + d.servers());
        }
        try (ServiceDiscovery empty = Registries.discovery("consul://" + consul.address() + "/rpcx_filter", "Nothing")) {
            assertEquals(List.of(), empty.servers(), "a prefix with no key is an empty list (Consul answers 404)");
        }
    }

    @Test
    void addressesAreParsedAndAnUnreachableAgentIsATransportError() throws Exception {
        ConsulOptions o = ConsulOptions.parse(URI.create("consul://10.0.0.1:8500//rpcx_test/?updateInterval=30&expired=PT10S&metrics=true"));
        assertEquals("10.0.0.1:8500", o.agent());
        assertEquals("rpcx_test", o.basePath());
        assertEquals(Duration.ofSeconds(40), o.ttl(), "UpdateInterval + Expired");
        assertTrue(o.metrics());
        assertEquals(Duration.ofMinutes(2), ConsulOptions.parse(URI.create("consul://h:1/x")).ttl(), "Expired defaults to the interval");
        assertThrows(RpcConfigurationException.class, () -> ConsulOptions.parse(URI.create("consul://a:1,b:2/rpcx")),
                "one agent, as libkv");
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        String message = assertThrows(TransportException.class, () -> Registries.discovery(
                "consul://127.0.0.1:" + closed + "/rpcx?timeout=PT1S", "Arith")).getMessage();
        assertTrue(message.contains("127.0.0.1:" + closed), message);
    }
}
