package rpcx.api.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import rpcx.api.RpcConfigurationException;
import rpcx.api.Server;
import rpcx.api.spi.Codec;
import rpcx.api.spi.CodecProvider;
import rpcx.api.spi.Transport;
import rpcx.api.spi.TransportConfig;
import rpcx.api.spi.TransportProvider;

/** Provider lookup rules: duplicates fail at start-up naming both, priorities and availability pick the provider. */
class ProvidersTest {
    /** A second provider claiming SerializeType 0, like a badly packaged plugin module would. */
    public static final class SecondRawCodec implements CodecProvider {
        @Override
        public String name() {
            return "raw-again";
        }

        @Override
        public int serializeType() {
            return 0;
        }

        @Override
        public Codec create() {
            throw new AssertionError("never created");
        }
    }

    /** A memu transport that is never available, with a reason. */
    public static final class UnavailableMemu implements TransportProvider {
        @Override
        public String name() {
            return "memu";
        }

        @Override
        public int priority() {
            return 100;
        }

        @Override
        public boolean isAvailable() {
            return false;
        }

        @Override
        public String unavailableReason() {
            return "no native library";
        }

        @Override
        public Set<String> networks() {
            return Set.of("memu", "fake");
        }

        @Override
        public Transport create(TransportConfig config) {
            throw new AssertionError("never created");
        }
    }

    private static <T> T withPlugin(Path dir, String service, Class<?> impl, java.util.concurrent.Callable<T> action) throws Exception {
        Path file = dir.resolve("META-INF/services/" + service);
        Files.createDirectories(file.getParent());
        Files.writeString(file, impl.getName() + "\n");
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader plugin = new URLClassLoader(new URL[] {dir.toUri().toURL()}, previous)) {
            Thread.currentThread().setContextClassLoader(plugin);
            return action.call();
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    @Test
    void twoProvidersOfOneSerializeTypeFailAtStartUpNamingBoth(@TempDir Path dir) throws Exception {
        RpcConfigurationException e = withPlugin(dir, CodecProvider.class.getName(), SecondRawCodec.class,
                () -> assertThrows(RpcConfigurationException.class, Server::create));
        assertTrue(e.getMessage().contains("two codec providers claim id 0"), e.getMessage());
        assertTrue(e.getMessage().contains("'raw'") && e.getMessage().contains("'raw-again'"), e.getMessage());
    }

    @Test
    void anUnavailableProviderIsSkippedAndExplainedWhenItIsTheOnlyOne(@TempDir Path dir) throws Exception {
        String chosen = withPlugin(dir, TransportProvider.class.getName(), UnavailableMemu.class,
                () -> Providers.transport("memu").getClass().getSimpleName());
        assertEquals("MemoryTransportProvider", chosen, "the available provider wins over a higher-priority unavailable one");
        RpcConfigurationException e = withPlugin(dir, TransportProvider.class.getName(), UnavailableMemu.class,
                () -> assertThrows(RpcConfigurationException.class, () -> Providers.transport("fake")));
        assertTrue(e.getMessage().contains("no native library"), e.getMessage());
    }

    @Test
    void missingProvidersNameTheModule() {
        assertEquals("no transport for network 'kcp': add module rpcx.transport.kcp to the module path",
                assertThrows(RpcConfigurationException.class, () -> Providers.transport("kcp")).getMessage());
        assertTrue(assertThrows(RpcConfigurationException.class, () -> Providers.selector("nosuchselector")).getMessage()
                .contains("no selector named 'nosuchselector'"));
        assertEquals("no service discovery for scheme 'etcd': add module rpcx.registry.etcd to the module path",
                assertThrows(RpcConfigurationException.class, () -> Providers.discovery("etcd")).getMessage());
        assertEquals("no codec for SerializeType 2 (protobuf): add module rpcx.codec.protobuf to the client's module path",
                assertThrows(RpcConfigurationException.class, () -> CodecSet.load().require(2)).getMessage());
    }

    /**
     * rpcx in a layer or loader of its own while the thread's context loader sees another copy of rpcx.api: the
     * other copy's providers are not subtypes of our service types and are skipped; ours are found.
     */
    @Test
    void anotherCopyOfRpcxOnTheContextLoaderIsSkipped() throws Exception {
        URL ours = CodecProvider.class.getProtectionDomain().getCodeSource().getLocation();
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader copy = new URLClassLoader(new URL[] {ours}, ClassLoader.getPlatformClassLoader())) {
            Thread.currentThread().setContextClassLoader(copy);
            var codecs = Providers.load(CodecProvider.class);
            assertTrue(codecs.stream().anyMatch(p -> p instanceof RawCodecProvider), codecs.toString());
            assertTrue(codecs.stream().allMatch(p -> p.getClass().getClassLoader() == CodecProvider.class.getClassLoader()),
                    "only providers of our own copy: " + codecs);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }
}
