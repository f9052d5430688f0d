package rpcx.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import rpcx.api.CallOptions;
import rpcx.api.ClientOptions;
import rpcx.api.FailMode;
import rpcx.api.NoServerAvailableException;
import rpcx.api.OneClient;
import rpcx.api.Registries;
import rpcx.api.RegistryPlugin;
import rpcx.api.SelectMode;
import rpcx.api.Server;
import rpcx.api.ServerNode;
import rpcx.api.XClient;
import rpcx.api.RpcConfigurationException;
import rpcx.api.spi.RegistryBrowser;
import rpcx.api.spi.ServiceDiscovery;

/**
 * The behaviour every registry module (registration plugin and discovery, chosen by address through
 * {@link Registries}) must show against a real registry server, as an abstract JUnit Jupiter test class. A module
 * extends it once, starts its registry, and says how to read and change what the registry stores:
 *
 * <pre>{@code
 * class MyRegistryConformanceTest extends RegistryConformance {
 *     protected String address(String basePath, String query) { return "my://127.0.0.1:" + port + basePath + "?" + query; }
 *     protected Map<String, String> nodes(String basePath, String service) { ... address -> stored value ... }
 *     protected void operatorSets(String basePath, String service, String address, String value) { ... }
 *     protected void stopRegistry() { ... }
 *     protected void startRegistry() { ... empty, as a wiped registry ... }
 * }
 * }</pre>
 *
 * <p>What is checked: an {@link XClient} finds a registered server through discovery and calls it, and a
 * {@link OneClient} reaches two services through discoveries it clones per service; a metadata
 * change made in the registry by someone else ({@code state=inactive}, as rpcx-ui does) reaches the running client,
 * which then skips the server; unregistering and closing the plugin remove the nodes and the client follows;
 * 100 services on 10 servers are listed exactly through cloned discoveries; while the registry is down the last
 * list keeps serving and a registration made meanwhile is published when it is back (wiped); a server process killed
 * with SIGKILL disappears from clients once its lease, session or TTL runs out; the periodic re-put keeps values
 * others changed and adds Go's {@code calls}/{@code connections} metrics, keys sorted.
 *
 * <p>The tests start servers on {@code tcp@127.0.0.1} with the default codec, so the module's tests need a TCP
 * transport and the msgpack codec on their class path. The killed-server test starts a JVM with the test class path
 * running {@link Registering}.
 */
public abstract class RegistryConformance {
    /** How long a registry change may take to reach a discovery. */
    protected static final long WAIT_SECONDS = 20;

    /**
     * A registry address under {@code basePath} (which starts with {@code /}), with these query parameters added
     * (e.g. {@code updateInterval=PT0.2S&metrics=true}; may be empty). Leases, sessions or TTLs should be the
     * shortest the registry allows, so that the killed-server test ends quickly.
     */
    protected abstract String address(String basePath, String query);

    /** What the registry stores for the service's nodes: {@code network@host:port} to value, read directly. */
    protected abstract Map<String, String> nodes(String basePath, String service) throws Exception;

    /** Changes a node's value in the registry as an operator (rpcx-ui) would, keeping its lease or session. */
    protected abstract void operatorSets(String basePath, String service, String serviceAddress, String value) throws Exception;

    /** Stops the registry server (its port stops answering). */
    protected abstract void stopRegistry() throws Exception;

    /** Starts the registry server again on the same address, empty (as after losing its data). */
    protected abstract void startRegistry() throws Exception;

    /** Go's {@code Arith}. */
    public static final class Arith {
        /** Arguments. */
        public record Args(int a, int b) {
        }

        /** Product. */
        public record Reply(int c) {
        }

        /** a * b. */
        public Reply mul(Args args) {
            return new Reply(args.a() * args.b());
        }
    }

    /**
     * The server process of the killed-server test: registers {@code Arith} with metadata {@code weight=1} under the
     * given service address at the given registry, prints {@code READY} and waits to be killed.
     * Arguments: registry address, service address.
     */
    public static final class Registering {
        private Registering() {
        }

        /** Runs it. */
        public static void main(String[] args) throws Exception {
            RegistryPlugin plugin = Registries.plugin(args[0], args[1]);
            plugin.register("Arith", new Arith(), "weight=1");
            System.out.println("READY");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    private static final AtomicInteger BASES = new AtomicInteger();

    /** A base path of its own for each test, so tests never see one another's nodes. */
    protected static String freshBase(String name) {
        return "/rpcx_conf_" + name + "_" + BASES.incrementAndGet() + "_" + ProcessHandle.current().pid();
    }

    /** Waits for the condition (exceptions count as false) up to {@link #WAIT_SECONDS}. */
    protected static void await(Callable<Boolean> condition, Callable<Object> what) throws Exception {
        Eventually.await(Duration.ofSeconds(WAIT_SECONDS), condition, what);
    }

    private static List<ServerNode> sorted(List<ServerNode> nodes) {
        List<ServerNode> s = new ArrayList<>(nodes);
        s.sort(Comparator.comparing(ServerNode::address));
        return s;
    }

    @Test
    void anXClientFindsTheServerAndFollowsMetadataChangesAndRemovals() throws Exception {
        String base = freshBase("xclient");
        Server server = Server.create();
        String address = server.listen("tcp", "127.0.0.1:0");
        try (RegistryPlugin plugin = Registries.plugin(address(base, ""), address);
             ServiceDiscovery discovery = Registries.discovery(address(base, ""), "Arith")) {
            assertEquals(List.of(), discovery.servers(), "nothing registered yet");
            server.addPlugin(plugin);
            server.register("Arith", new Arith(), "weight=3");
            await(() -> discovery.servers().equals(List.of(new ServerNode(address, "weight=3"))),
                    () -> "the new node reaches the discovery: " + discovery.servers());
            assertEquals(Map.of(address, "weight=3"), nodes(base, "Arith"), "what the registry stores");
            try (XClient x = XClient.create("Arith", FailMode.FAILFAST, SelectMode.RANDOM_SELECT, discovery,
                    ClientOptions.defaults())) {
                assertEquals(new Arith.Reply(200), x.call("Mul", new Arith.Args(10, 20), Arith.Reply.class, CallOptions.NONE));

                operatorSets(base, "Arith", address, "weight=3&state=inactive"); // rpcx-ui takes the node out
                await(() -> discovery.servers().equals(List.of(new ServerNode(address, "weight=3&state=inactive"))),
                        () -> "the metadata change reaches the running client: " + discovery.servers());
                await(() -> {
                    try {
                        x.call("Mul", new Arith.Args(1, 1), Arith.Reply.class, CallOptions.NONE);
                        return false;
                    } catch (NoServerAvailableException e) {
                        return true;
                    }
                }, () -> "the XClient skips the inactive server");

                operatorSets(base, "Arith", address, "weight=3");
                await(() -> x.call("Mul", new Arith.Args(6, 7), Arith.Reply.class, CallOptions.NONE).equals(new Arith.Reply(42)),
                        () -> "the node is back in: " + discovery.servers());

                server.unregisterAll();
                await(() -> discovery.servers().isEmpty(), () -> "the removal reaches the discovery: " + discovery.servers());
                assertEquals(Map.of(), nodes(base, "Arith"));
            }
        } finally {
            server.close();
        }
    }

    @Test
    void aOneClientReachesTwoServicesThroughDiscoveriesClonedPerService() throws Exception {
        String base = freshBase("oneclient");
        Server first = Server.create();
        Server second = Server.create();
        try (RegistryPlugin one1 = Registries.plugin(address(base, ""), first.listen("tcp", "127.0.0.1:0"));
             RegistryPlugin one2 = Registries.plugin(address(base, ""), second.listen("tcp", "127.0.0.1:0"))) {
            first.addPlugin(one1).register("Arith", new Arith(), "");
            second.addPlugin(one2).register("Arith2", new Arith(), ""); // only the second server has Arith2
            // Go's OneClient: one discovery given for a first service, cloned for every other service called
            try (ServiceDiscovery discovery = Registries.discovery(address(base, ""), "Arith");
                 OneClient one = OneClient.create(FailMode.FAILFAST, SelectMode.ROUND_ROBIN, discovery, ClientOptions.defaults())) {
                await(() -> discovery.servers().size() == 1, discovery::servers);
                assertEquals(new Arith.Reply(6), one.call("Arith", "Mul", new Arith.Args(2, 3), Arith.Reply.class));
                assertEquals(new Arith.Reply(20), one.call("Arith2", "Mul", new Arith.Args(4, 5), Arith.Reply.class));
            }
        } finally {
            first.close();
            second.close();
        }
    }

    @Test
    void unregisterRemovesOneServiceAndClosingThePluginRemovesTheRest() throws Exception {
        String base = freshBase("close");
        try (ServiceDiscovery arith = Registries.discovery(address(base, ""), "Arith");
             ServiceDiscovery echo = arith.forService("Echo")) {
            RegistryPlugin plugin = Registries.plugin(address(base, ""), "tcp@10.0.0.5:8972");
            try {
                plugin.register("Arith", new Arith(), "weight=7&group=test");
                plugin.register("Echo", new Object(), "");
                await(() -> arith.servers().size() == 1 && echo.servers().size() == 1,
                        () -> arith.servers() + " " + echo.servers());
                assertEquals(List.of(new ServerNode("tcp@10.0.0.5:8972", "weight=7&group=test")), arith.servers());
                assertEquals(List.of(new ServerNode("tcp@10.0.0.5:8972", "")), echo.servers());

                plugin.unregister("Echo");
                await(() -> echo.servers().isEmpty(), echo::servers);
                assertEquals(Map.of(), nodes(base, "Echo"));
                assertEquals(1, arith.servers().size(), "the other service stays");
            } finally {
                plugin.close();
            }
            await(() -> arith.servers().isEmpty(), arith::servers);
            assertEquals(Map.of(), nodes(base, "Arith"), "closing the plugin removes its nodes");
        }
    }

    @Test
    void aHundredServicesOnTenServersAreListedExactlyThroughClonedDiscoveries() throws Exception {
        String base = freshBase("many");
        List<RegistryPlugin> plugins = new ArrayList<>();
        try {
            for (int server = 0; server < 10; server++) {
                // Go's examples re-put every minute; 1,000 nodes re-put every second would only load the registry
                RegistryPlugin p = Registries.plugin(address(base, "updateInterval=PT60S"), "tcp@10.0.1." + server + ":8972");
                plugins.add(p);
                for (int service = 0; service < 100; service++) {
                    p.register(String.format("Svc%03d", service), new Object(), "weight=" + server);
                }
            }
            List<ServerNode> expected = new ArrayList<>();
            for (int server = 0; server < 10; server++) {
                expected.add(new ServerNode("tcp@10.0.1." + server + ":8972", "weight=" + server));
            }
            try (ServiceDiscovery first = Registries.discovery(address(base, ""), "Svc000")) {
                for (int service = 0; service < 100; service++) {
                    String name = String.format("Svc%03d", service);
                    try (ServiceDiscovery d = first.forService(name)) {
                        assertEquals(expected, sorted(d.servers()), name);
                    }
                    Map<String, String> stored = new TreeMap<>(nodes(base, name));
                    assertEquals(10, stored.size(), name + ": " + stored);
                }
                assertEquals(expected, sorted(first.servers()), "closing clones leaves the first one working");
            }
        } finally {
            plugins.forEach(RegistryPlugin::close);
        }
    }

    @Test
    void whileTheRegistryIsDownTheLastListServesAndRegistrationComesBackWhenItReturnsEmpty() throws Exception {
        String base = freshBase("restart");
        try (RegistryPlugin plugin = Registries.plugin(address(base, ""), "tcp@10.0.0.7:8972");
             ServiceDiscovery discovery = Registries.discovery(address(base, ""), "Arith");
             ServiceDiscovery echo = discovery.forService("Echo")) {
            plugin.register("Arith", new Arith(), "weight=1");
            ServerNode node = new ServerNode("tcp@10.0.0.7:8972", "weight=1");
            await(() -> discovery.servers().equals(List.of(node)), discovery::servers);

            stopRegistry();
            try {
                Thread.sleep(1500); // keep-alives, sessions and watches fail meanwhile
                assertEquals(List.of(node), discovery.servers(), "while the registry is down the last list keeps serving");
                plugin.register("Echo", new Object(), "weight=2"); // published once the registry is back
            } finally {
                startRegistry();
            }
            await(() -> nodes(base, "Arith").equals(Map.of("tcp@10.0.0.7:8972", "weight=1"))
                    && nodes(base, "Echo").equals(Map.of("tcp@10.0.0.7:8972", "weight=2")),
                    () -> "the registration publishes its nodes again: " + nodes(base, "Arith") + " " + nodes(base, "Echo"));
            await(() -> echo.servers().equals(List.of(new ServerNode("tcp@10.0.0.7:8972", "weight=2"))),
                    () -> "the discovery follows the restarted registry: " + echo.servers());
            plugin.unregister("Arith");
            await(() -> discovery.servers().isEmpty(), () -> "and keeps following it: " + discovery.servers());
        }
    }

    @Test
    void aKilledServerProcessDisappearsFromClients() throws Exception {
        String base = freshBase("killed");
        String registry = address(base, "");
        try (JavaProcess p = JavaProcess.classPath(Registering.class.getName(), registry, "tcp@10.0.0.8:8972");
             ServiceDiscovery discovery = Registries.discovery(registry, "Arith")) {
            p.awaitLine("READY");
            await(() -> discovery.servers().equals(List.of(new ServerNode("tcp@10.0.0.8:8972", "weight=1"))),
                    discovery::servers);
            p.process().destroyForcibly(); // SIGKILL: nothing is unregistered
            assertTrue(p.process().waitFor(10, TimeUnit.SECONDS));
            await(() -> discovery.servers().isEmpty(), () -> "the dead server's node expires: " + discovery.servers());
            assertEquals(Map.of(), nodes(base, "Arith"), "its node is gone from the registry");
        }
    }

    @Test
    void theRePutKeepsWhatOthersChangedAndAddsGosMetricsWithKeysSorted() throws Exception {
        String base = freshBase("metrics");
        try (RegistryPlugin plugin = Registries.plugin(address(base, "updateInterval=PT0.2S&metrics=true"), "tcp@10.0.0.9:8972")) {
            plugin.register("Arith", new Arith(), "weight=7&group=test");
            for (int i = 0; i < 50; i++) {
                plugin.preCall(null, "Arith", "Mul", null);
            }
            plugin.connectionAccepted(null);
            operatorSets(base, "Arith", "tcp@10.0.0.9:8972", "weight=7&group=test&state=inactive&x=a+b");
            Pattern expected = Pattern.compile(
                    "calls=[1-9][0-9]*\\.[0-9]{2}&connections=[0-9]+\\.[0-9]{2}&group=test&state=inactive&weight=7&x=a\\+b");
            await(() -> expected.matcher(nodes(base, "Arith").getOrDefault("tcp@10.0.0.9:8972", "")).matches(),
                    () -> "Go's re-put (current value kept, metrics set, keys sorted): " + nodes(base, "Arith"));
        }
    }

    /**
     * The browser tools use ({@code rpcx list}, {@code rpcx state}): every node of every service with its metadata,
     * in order; a node's metadata changed in place reaches discoveries, and the node still belongs to its server
     * (closing the server's plugin removes it); a node that does not exist is a configuration error.
     *
     * @throws Exception if the registry cannot be used
     */
    @Test
    void theBrowserListsEveryNodeAndChangesOnesMetadata() throws Exception {
        String base = freshBase("browse");
        try (RegistryPlugin first = Registries.plugin(address(base, ""), "tcp@10.0.2.1:8972");
             RegistryBrowser browser = Registries.browser(address(base, ""));
             ServiceDiscovery arith = Registries.discovery(address(base, ""), "Arith")) {
            RegistryPlugin second = Registries.plugin(address(base, ""), "tcp@10.0.2.2:8972");
            try {
                first.register("Arith", new Arith(), "weight=1");
                first.register("Echo", new Object(), "");
                second.register("Arith", new Arith(), "weight=9&group=x");
                List<RegistryBrowser.Node> all = List.of(new RegistryBrowser.Node("Arith", "tcp@10.0.2.1:8972", "weight=1"),
                        new RegistryBrowser.Node("Arith", "tcp@10.0.2.2:8972", "weight=9&group=x"),
                        new RegistryBrowser.Node("Echo", "tcp@10.0.2.1:8972", ""));
                await(() -> browser.nodes().equals(all), browser::nodes);

                browser.setMetadata("Arith", "tcp@10.0.2.2:8972", "weight=9&group=x&state=inactive");
                assertEquals("weight=9&group=x&state=inactive", nodes(base, "Arith").get("tcp@10.0.2.2:8972"));
                await(() -> arith.servers().contains(new ServerNode("tcp@10.0.2.2:8972", "weight=9&group=x&state=inactive")),
                        arith::servers);
                assertThrows(RpcConfigurationException.class, () -> browser.setMetadata("Arith", "tcp@10.9.9.9:1", "x=1"));
                assertThrows(RpcConfigurationException.class, () -> browser.setMetadata("NoSuch", "tcp@10.0.2.1:8972", "x=1"));
            } finally {
                second.close();
            }
            await(() -> browser.nodes().size() == 2, browser::nodes);
            assertTrue(browser.nodes().stream().noneMatch(n -> n.address().equals("tcp@10.0.2.2:8972")), "closing its plugin "
                    + "removed the changed node: " + browser.nodes());
        }
    }
}
