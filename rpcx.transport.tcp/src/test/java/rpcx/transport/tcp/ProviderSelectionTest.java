package rpcx.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import rpcx.api.spi.Transport;
import rpcx.api.spi.TransportConfig;
import rpcx.api.spi.TransportProvider;

/**
 * Epoll is chosen when it loads, NIO otherwise ({@code -Drpcx.transport.tcp.epoll=false} forces NIO); both are
 * declared the same way in module-info and META-INF/services.
 */
class ProviderSelectionTest {
    /** What rpcx.api does: the available provider of a network with the highest priority. */
    private static TransportProvider best(String network) {
        return ServiceLoader.load(TransportProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.networks().contains(network)).filter(TransportProvider::isAvailable)
                .max(Comparator.comparingInt(TransportProvider::priority)).orElseThrow();
    }

    private static String kindOf(TransportProvider p) {
        try (Transport t = p.create(TransportConfig.DEFAULT)) {
            return ((NettyTransport) t).kind().name();
        }
    }

    @Test
    void bothProvidersAreFoundForEveryNetwork() {
        List<String> names = ServiceLoader.load(TransportProvider.class).stream().map(ServiceLoader.Provider::type)
                .map(Class::getName).toList();
        assertTrue(names.contains(EpollTcpTransportProvider.class.getName()), names.toString());
        assertTrue(names.contains(NioTcpTransportProvider.class.getName()), names.toString());
        for (TransportProvider p : List.of(new EpollTcpTransportProvider(), new NioTcpTransportProvider())) {
            assertEquals("tcp", p.name());
            assertEquals(Set.of("tcp", "tcp4", "tcp6", "unix", "reuseport", "http", "ws", "wss"), p.networks());
        }
        assertTrue(new EpollTcpTransportProvider().priority() > new NioTcpTransportProvider().priority());
        assertTrue(new NioTcpTransportProvider().isAvailable());
        assertEquals("", new NioTcpTransportProvider().unavailableReason());
    }

    @Test
    void epollIsChosenWhenAvailable() {
        boolean epoll = io.netty.channel.epoll.Epoll.isAvailable();
        assertEquals(epoll, new EpollTcpTransportProvider().isAvailable());
        for (String network : List.of("tcp", "tcp4", "tcp6", "unix")) {
            TransportProvider chosen = best(network);
            assertEquals(epoll ? EpollTcpTransportProvider.class : NioTcpTransportProvider.class, chosen.getClass());
            assertEquals(epoll ? "epoll" : "nio", kindOf(chosen));
        }
        if (!epoll) {
            assertTrue(new EpollTcpTransportProvider().unavailableReason().contains("--add-modules io.netty.transport.epoll.linux.x86_64"));
        }
    }

    @Test
    void systemPropertyForcesNio() {
        String old = System.getProperty(EpollTcpTransportProvider.EPOLL_PROPERTY);
        System.setProperty(EpollTcpTransportProvider.EPOLL_PROPERTY, "false");
        try {
            EpollTcpTransportProvider epoll = new EpollTcpTransportProvider();
            assertFalse(epoll.isAvailable());
            assertTrue(epoll.unavailableReason().contains("-Drpcx.transport.tcp.epoll=false"), epoll.unavailableReason());
            assertThrows(IllegalStateException.class, () -> epoll.create(TransportConfig.DEFAULT));
            TransportProvider chosen = best("tcp");
            assertEquals(NioTcpTransportProvider.class, chosen.getClass());
            assertEquals("nio", kindOf(chosen));
        } finally {
            if (old == null) {
                System.clearProperty(EpollTcpTransportProvider.EPOLL_PROPERTY);
            } else {
                System.setProperty(EpollTcpTransportProvider.EPOLL_PROPERTY, old);
            }
        }
    }

    @Test
    void moduleInfoAndServiceFileDeclareTheSameProviders() throws IOException {
        String moduleInfo = Files.readString(Path.of("src/main/java/module-info.java"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("provides\\s+rpcx\\.api\\.spi\\.TransportProvider\\s+with\\s+([^;]+);").matcher(moduleInfo);
        assertTrue(m.find(), "module-info provides TransportProvider");
        Set<String> declared = Set.copyOf(Arrays.stream(m.group(1).split(",")).map(String::strip).toList());
        Set<String> listed;
        try (var in = getClass().getResourceAsStream("/META-INF/services/rpcx.api.spi.TransportProvider")) {
            listed = Set.copyOf(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(s -> !s.isEmpty() && !s.startsWith("#")).toList());
        }
        assertEquals(declared, listed);
        assertEquals(Set.of(EpollTcpTransportProvider.class.getName(), NioTcpTransportProvider.class.getName()), listed);
    }

    @Test
    void creatingATransportStartsNoThread() {
        long before = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("rpcx-tcp")).count();
        try (Transport t = best("tcp").create(TransportConfig.DEFAULT)) {
            long after = Thread.getAllStackTraces().keySet().stream().filter(th -> th.getName().startsWith("rpcx-tcp")).count();
            assertTrue(after <= before, "threads before " + before + ", after " + after);
            assertTrue(t.toString().startsWith("tcp transport ("));
        }
    }
}
