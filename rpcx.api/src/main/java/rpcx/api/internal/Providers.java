package rpcx.api.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Function;
import java.util.function.ToIntFunction;

import rpcx.api.RpcConfigurationException;
import rpcx.api.protocol.SerializeType;
import rpcx.api.spi.CircuitBreakerProvider;
import rpcx.api.spi.CodecProvider;
import rpcx.api.spi.CompressorProvider;
import rpcx.api.spi.DiscoveryProvider;
import rpcx.api.spi.Provider;
import rpcx.api.spi.SelectorProvider;
import rpcx.api.spi.TransportProvider;

/**
 * All ServiceLoader lookups of rpcx happen here (rpcx.api's module-info declares the {@code uses}). Lookups
 * go through the module graph on the module path and through {@code META-INF/services} on the class path.
 */
public final class Providers {
    private static final System.Logger LOG = System.getLogger("rpcx");

    private Providers() {
    }

    /** Where a provider class comes from: its module name, or its jar on the class path. */
    public static String origin(Object provider) {
        Module m = provider.getClass().getModule();
        if (m.isNamed()) {
            return "module " + m.getName();
        }
        var src = provider.getClass().getProtectionDomain().getCodeSource();
        return "class path entry " + (src == null ? "?" : src.getLocation());
    }

    /** Loads every provider of a service, failing with a readable error if one cannot be instantiated. */
    public static <P> List<P> load(Class<P> service) {
        List<P> out = new ArrayList<>();
        try {
            for (P p : ServiceLoader.load(service, Providers.class.getClassLoader())) {
                out.add(p);
            }
        } catch (ServiceConfigurationError e) {
            throw new RpcConfigurationException("cannot load " + service.getSimpleName() + " providers: " + e.getMessage(), e);
        }
        // Class-path providers visible to the thread's loader but not to ours (application servers, plugins).
        ClassLoader tccl = Thread.currentThread().getContextClassLoader();
        if (tccl != null && tccl != Providers.class.getClassLoader()) {
            addFromContextLoader(service, tccl, out);
        }
        return out;
    }

    /**
     * The context loader's providers, each on its own: one that fails there is skipped, not fatal. When rpcx runs in
     * a module layer of its own, the application's class path may hold another copy of rpcx whose providers are
     * "not a subtype" of this copy's service type; those are expected, anything else is logged as a warning.
     */
    private static <P> void addFromContextLoader(Class<P> service, ClassLoader tccl, List<P> out) {
        Iterator<P> it = ServiceLoader.load(service, tccl).iterator();
        for (int errors = 0; errors < 1000; ) {
            P p;
            try {
                if (!it.hasNext()) {
                    return;
                }
                p = it.next();
            } catch (ServiceConfigurationError e) {
                errors++;
                boolean foreign = String.valueOf(e.getMessage()).contains("not a subtype");
                LOG.log(foreign ? System.Logger.Level.DEBUG : System.Logger.Level.WARNING,
                        "rpcx: skipped a " + service.getSimpleName() + " provider of the context class loader: " + e.getMessage());
                continue;
            }
            if (out.stream().noneMatch(q -> q.getClass() == p.getClass())) {
                out.add(p);
            }
        }
    }

    /** Providers keyed by wire id; two available providers of one id are an error naming both. */
    static <P extends Provider> Map<Integer, P> byWireId(Class<P> service, ToIntFunction<P> id, String what) {
        Map<Integer, P> map = new HashMap<>();
        for (P p : load(service)) {
            if (!p.isAvailable()) {
                continue;
            }
            P old = map.putIfAbsent(id.applyAsInt(p), p);
            if (old != null) {
                throw new RpcConfigurationException("two " + what + " providers claim id " + id.applyAsInt(p) + ": '"
                        + old.name() + "' from " + origin(old) + " and '" + p.name() + "' from " + origin(p)
                        + "; remove one of them from the module path");
            }
        }
        return map;
    }

    /** Loads all available codec providers, checking for duplicate SerializeTypes. */
    public static Map<Integer, CodecProvider> codecs() {
        return byWireId(CodecProvider.class, CodecProvider::serializeType, "codec");
    }

    /** Loads all available compressor providers, checking for duplicate CompressTypes. */
    public static Map<Integer, CompressorProvider> compressors() {
        return byWireId(CompressorProvider.class, CompressorProvider::compressType, "compressor");
    }

    /** The module of this repository that provides a codec id of Go rpcx, or null for ids Go rpcx does not define. */
    static String codecModule(int serializeType) {
        return switch (serializeType) {
            case SerializeType.NONE -> "rpcx.api";
            case SerializeType.JSON -> "rpcx.codec.json";
            case SerializeType.PROTOBUF -> "rpcx.codec.protobuf";
            case SerializeType.MSGPACK -> "rpcx.codec.msgpack";
            case SerializeType.THRIFT -> "rpcx.codec.thrift";
            default -> null;
        };
    }

    /**
     * What to do about a missing codec, for the side ({@code "client"} or {@code "server"}) that lacks it:
     * {@code " (thrift): add module rpcx.codec.thrift to the client's module path"}, to follow the id.
     */
    public static String codecAdvice(int serializeType, String side) {
        String module = codecModule(serializeType);
        if (module != null) {
            return " (" + SerializeType.name(serializeType) + "): add module " + module + " to the " + side + "'s module path";
        }
        String options = side.equals("server") ? "ServerOptions" : "ClientOptions";
        return ": add a module that provides SerializeType " + serializeType + " to the " + side + "'s module path, or give"
                + " the codec with " + options + ".withCodec(" + serializeType + ", codec)";
    }

    /** The message for a SerializeType nobody provides on the client side. */
    public static String missingCodec(int serializeType) {
        return "no codec for SerializeType " + serializeType + codecAdvice(serializeType, "client");
    }

    /** The module that provides a network, for error messages. */
    static String transportModule(String network) {
        return switch (network) {
            case "tcp", "tcp4", "tcp6", "unix", "http", "ws", "wss", "reuseport" -> "rpcx.transport.tcp";
            case "quic" -> "rpcx.transport.quic";
            case "kcp" -> "rpcx.transport.kcp";
            default -> "a transport module serving network '" + network + "'";
        };
    }

    /** The best available transport provider for a network. */
    public static TransportProvider transport(String network) {
        return best(TransportProvider.class, p -> p.networks().contains(network),
                "no transport for network '" + network + "': add module " + transportModule(network) + " to the module path",
                "transport for network '" + network + "'");
    }

    /** The best available selector provider of a name. */
    public static SelectorProvider selector(String name) {
        return best(SelectorProvider.class, p -> p.name().equals(name),
                "no selector named '" + name + "': add the module that provides it to the module path", "selector '" + name + "'");
    }

    /** The best available circuit breaker provider of a name. */
    public static CircuitBreakerProvider breaker(String name) {
        return best(CircuitBreakerProvider.class, p -> p.name().equals(name),
                "no circuit breaker named '" + name + "': add the module that provides it to the module path",
                "circuit breaker '" + name + "'");
    }

    /** The best available discovery provider of a URI scheme. */
    public static DiscoveryProvider discovery(String scheme) {
        return best(DiscoveryProvider.class, p -> p.scheme().equals(scheme),
                "no service discovery for scheme '" + scheme + "': add module rpcx.registry." + scheme + " to the module path",
                "discovery '" + scheme + "'");
    }

    private static <P extends Provider> P best(Class<P> service, java.util.function.Predicate<P> matches,
                                               String missing, String what) {
        List<P> candidates = load(service).stream().filter(matches).toList();
        if (candidates.isEmpty()) {
            throw new RpcConfigurationException(missing);
        }
        List<P> available = candidates.stream().filter(Provider::isAvailable)
                .sorted(Comparator.comparingInt(Provider::priority).reversed()).toList();
        if (available.isEmpty()) {
            Function<P, String> why = p -> p.name() + " from " + origin(p) + ": " + p.unavailableReason();
            throw new RpcConfigurationException("no available " + what + "; "
                    + String.join("; ", candidates.stream().map(why).toList()));
        }
        return available.get(0);
    }
}
