package rpcx.bench.dubbo;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Handler;


import org.apache.dubbo.common.Version;
import org.apache.dubbo.common.constants.CommonConstants;
import org.apache.dubbo.common.logger.Level;
import org.apache.dubbo.common.logger.LoggerFactory;
import org.apache.dubbo.config.ApplicationConfig;
import org.apache.dubbo.config.ProtocolConfig;
import org.apache.dubbo.config.ReferenceConfig;
import org.apache.dubbo.config.RegistryConfig;
import org.apache.dubbo.config.ServiceConfig;
import org.apache.dubbo.config.bootstrap.DubboBootstrap;
import org.apache.dubbo.rpc.model.FrameworkModel;

import rpcx.bench.harness.BenchPayload;
import rpcx.bench.harness.Completion;
import rpcx.bench.harness.Load;
import rpcx.bench.harness.Target;
import rpcx.bench.proto.BenchmarkMessage;

/**
 * Target {@code d1}: Apache Dubbo 3.3.6, triple protocol (HTTP/2), the protobuf {@link BenchmarkMessage} carried
 * unwrapped by the plain-Java {@link BenchmarkService} (spec/benchmark.md §5.3, row d1).
 *
 * <p>API configuration through {@link DubboBootstrap}, each side in a {@link FrameworkModel} of its own; no registry
 * ({@code N/A}), so no metadata report and no service discovery; QoS off; Dubbo's logging at WARN. Everything on the
 * request path keeps Dubbo's defaults (thread pools, I/O threads, NIO transport, filters, serialization).
 *
 * <p>Server: exports {@link BenchmarkServiceImpl} on {@code tri} at {@code port}, bound to the any-address
 * ({@code 0.0.0.0}, option {@code bind} changes it) so that every test address of the network namespace reaches
 * it. Client: triple opens one HTTP/2 connection per address and ignores {@code connections}, so connection
 * {@code k} is a {@link ReferenceConfig} of its own, direct URL {@code tri://ADDRESS_k:port}, with ADDRESS_k =
 * {@code host} plus {@code k} in the last octet (10.203.0.1, .2, .3, .4 for phase T; option
 * {@code addresses=a,b,...} names them instead). Those addresses must be local, non-loopback addresses (Dubbo
 * rewrites a loopback host to the machine's interface address when it dials): run both JVMs in the namespace that
 * {@code bench/dubbo/netns.sh up} makes, which holds 10.203.0.1–10.203.0.10. {@link Load#call} uses
 * {@link BenchmarkService#sayAsync}; the consumer timeout is 30 s (option {@code timeout}, ms) instead of 1 s so a
 * stall during the one-core warm-up is not counted as an error, and the connect timeout 30 s instead of 3 s so a
 * client JVM starting on a busy core still connects.
 */
public final class DubboTarget implements Target {
    /** The consumer timeout in ms unless option {@code timeout} says otherwise. */
    static final int TIMEOUT_MS = 30_000;
    /** The consumer's connect timeout in ms (Dubbo's default is 3 s). */
    static final int CONNECT_TIMEOUT_MS = 30_000;

    static {
        // pick Dubbo's logger before its LoggerFactory initialises, so it does not probe for log4j/slf4j and
        // print that it found none (it then loads logging.properties of this jar: WARNING and above)
        if (System.getProperty("dubbo.application.logger") == null) {
            System.setProperty("dubbo.application.logger", "jdk");
        }
    }

    /** Creates the target; the service loader calls this. */
    public DubboTarget() {
    }

    @Override
    public String id() {
        return "d1";
    }

    @Override
    public String description() {
        return "Apache Dubbo " + Version.getVersion() + " triple (h2; Dubbo's Netty " + nettyVersion() + ", NIO as by"
                + " default), plain interface say/sayAsync, protobuf BenchmarkMessage unwrapped (protobuf-java 3.25.9);"
                + " API config (DubboBootstrap), no registry (N/A), direct tri:// URLs, one ReferenceConfig per"
                + " connection, each to its own address of the rpcxbench netns (triple ignores connections); client"
                + " calls sayAsync, timeout " + TIMEOUT_MS + " ms, connect.timeout " + CONNECT_TIMEOUT_MS + " ms;"
                + " server bound to 0.0.0.0; thread pools Dubbo defaults: provider executor threadpool=fixed, "
                + CommonConstants.DEFAULT_THREADS + " threads (DubboServerHandler), consumer callbacks on threadpool="
                + CommonConstants.DEFAULT_CLIENT_THREADPOOL + " (DubboClientHandler), Netty iothreads=min(cpus+1,32)="
                + Math.min(Runtime.getRuntime().availableProcessors() + 1, 32) + " per side + 1 server boss;"
                + " qos off, no metadata report, no metrics/tracing (micrometer absent), no file cache, Dubbo"
                + " logging WARN (java.util.logging)";
    }

    @Override
    public AutoCloseable startServer(String host, int port, Map<String, String> options) throws Exception {
        BenchPayload.checkProtoSize(request().getSerializedSize());
        quiet();
        ServiceConfig<BenchmarkService> service = new ServiceConfig<>();
        service.setInterface(BenchmarkService.class);
        service.setRef(new BenchmarkServiceImpl());

        ProtocolConfig protocol = new ProtocolConfig(CommonConstants.TRIPLE, port);
        // "0.0.0.0" is not a valid local host to Dubbo, so it sets anyhost=true and binds the any-address
        protocol.setHost(options.getOrDefault("bind", "0.0.0.0"));

        FrameworkModel framework = new FrameworkModel();
        DubboBootstrap bootstrap = DubboBootstrap.newInstance(framework);
        try {
            bootstrap.application(application("rpcx-bench-d1-server"))
                    .registry(new RegistryConfig(RegistryConfig.NO_AVAILABLE))
                    .protocol(protocol)
                    .service(service)
                    .start();
        } catch (RuntimeException | Error e) {
            shutdown(bootstrap, framework);
            throw e;
        }
        return () -> shutdown(bootstrap, framework);
    }

    @Override
    public Load connect(String host, int port, int connections, Map<String, String> options) throws Exception {
        BenchmarkMessage request = request();
        BenchPayload.checkProtoSize(request.getSerializedSize());
        quiet();
        List<String> addresses = addresses(host, connections, options.get("addresses"));
        int timeout = Integer.parseInt(options.getOrDefault("timeout", String.valueOf(TIMEOUT_MS)));

        List<ReferenceConfig<BenchmarkService>> references = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            ReferenceConfig<BenchmarkService> reference = new ReferenceConfig<>();
            reference.setId("d1-reference-" + i);
            reference.setInterface(BenchmarkService.class);
            reference.setUrl(CommonConstants.TRIPLE + "://" + addresses.get(i) + ":" + port);
            reference.setTimeout(timeout);
            reference.setCheck(true); // fail here, not in the smoke call, when the server is not reachable
            // Dubbo's default connect timeout is 3 s; a JVM starting on a busy core can need more than that
            reference.setParameters(Map.of("connect.timeout", String.valueOf(CONNECT_TIMEOUT_MS)));
            references.add(reference);
        }

        // a framework of its own per connect(): triple shares one connection per address within a framework, so an
        // idle-connection measurement (a second connect() in this JVM) gets connections of its own
        FrameworkModel framework = new FrameworkModel();
        DubboBootstrap bootstrap = DubboBootstrap.newInstance(framework);
        BenchmarkService[] services = new BenchmarkService[connections];
        try {
            bootstrap.application(application("rpcx-bench-d1-client"))
                    .registry(new RegistryConfig(RegistryConfig.NO_AVAILABLE));
            for (ReferenceConfig<BenchmarkService> reference : references) {
                bootstrap.reference(reference);
            }
            bootstrap.start();
            for (int i = 0; i < connections; i++) {
                services[i] = references.get(i).get();
            }
        } catch (RuntimeException | Error e) {
            shutdown(bootstrap, framework);
            throw e;
        }
        return new DubboLoad(services, request, bootstrap, framework, addresses, port, timeout);
    }

    /**
     * The address of each connection: the {@code addresses} option when given, else {@code host} and the IPv4
     * addresses after it (last octet + 1, + 2...), as the spec's 127.0.0.1–127.0.0.4.
     */
    static List<String> addresses(String host, int connections, String listed) throws UnknownHostException {
        List<String> out = new ArrayList<>();
        if (listed != null && !listed.isBlank()) {
            for (String a : listed.split(",")) {
                out.add(a.trim());
            }
            if (out.size() < connections) {
                throw new IllegalArgumentException(connections + " connections need " + connections
                        + " addresses (triple makes one connection per address), option addresses has " + out.size());
            }
            return out.subList(0, connections);
        }
        InetAddress first = InetAddress.getByName(host);
        if (!(first instanceof Inet4Address)) {
            if (connections > 1) {
                throw new IllegalArgumentException("host " + host + " is not IPv4: give option addresses=a,b,...");
            }
            return List.of(host);
        }
        byte[] b = first.getAddress();
        int last = b[3] & 0xff;
        if (last + connections - 1 > 254) {
            throw new IllegalArgumentException("not enough addresses after " + host + " for " + connections
                    + " connections");
        }
        for (int i = 0; i < connections; i++) {
            out.add((b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (last + i));
        }
        return out;
    }

    /** The settings both sides share: QoS off, no registry, no file cache, Dubbo's JDK logger. */
    private static ApplicationConfig application(String name) {
        ApplicationConfig app = new ApplicationConfig(name);
        app.setQosEnable(false);
        app.setLogger("jdk");
        app.setEnableFileCache(false);
        return app;
    }

    /**
     * Dubbo logs through java.util.logging here (no other logging library in the class path): keep only warnings
     * and errors, so its INFO lines neither cost CPU nor mix with the harness's progress lines.
     */
    private static synchronized void quiet() {
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.setLevel(java.util.logging.Level.WARNING);
        for (Handler h : root.getHandlers()) {
            h.setLevel(java.util.logging.Level.WARNING);
        }
        LoggerFactory.setLoggerAdapter(FrameworkModel.defaultModel(), "jdk");
        LoggerFactory.setLevel(Level.WARN);
    }

    static void shutdown(DubboBootstrap bootstrap, FrameworkModel framework) {
        try {
            bootstrap.stop();
        } finally {
            framework.destroy();
        }
    }

    /**
     * The request, filled like rpcx-benchmark's {@code PrepareArgs}: every string field {@link BenchPayload#TEXT},
     * every int32/int64 field {@link BenchPayload#INT}, every bool {@code true}, the repeated {@code field5} left
     * empty. Driven by the message descriptor so no field of the schema can be missed.
     */
    static BenchmarkMessage request() {
        return BenchPayload.filled(BenchmarkMessage.newBuilder());
    }

    /** The version of the Netty that Dubbo brings (netty-all), from Netty's own versions file. */
    private static String nettyVersion() {
        io.netty.util.Version v = io.netty.util.Version.identify().get("netty-common");
        return v != null ? v.artifactVersion() : "?";
    }

    /** The client side: one Dubbo proxy per connection, each bound to its own address. */
    private static final class DubboLoad implements Load {
        private final BenchmarkService[] services;
        private final BenchmarkMessage request;
        private final DubboBootstrap bootstrap;
        private final FrameworkModel framework;
        private final List<String> addresses;
        private final int port;
        private final int timeout;

        DubboLoad(BenchmarkService[] services, BenchmarkMessage request, DubboBootstrap bootstrap,
                  FrameworkModel framework, List<String> addresses, int port, int timeout) {
            this.services = services;
            this.request = request;
            this.bootstrap = bootstrap;
            this.framework = framework;
            this.addresses = addresses;
            this.port = port;
            this.timeout = timeout;
        }

        @Override
        public void call(int connection, Completion completion) {
            CompletableFuture<BenchmarkMessage> reply;
            try {
                reply = services[connection].sayAsync(request);
            } catch (RuntimeException e) {
                completion.done(false, e);
                return;
            }
            reply.whenComplete((message, error) -> {
                if (error != null) {
                    completion.done(false, error);
                } else {
                    completion.done(message != null && "OK".equals(message.getField1()), null);
                }
            });
        }

        @Override
        public String details() {
            return "payload " + request.getSerializedSize() + " B protobuf; references tri://" + String.join(
                    ",", addresses) + " port " + port + "; timeout " + timeout + " ms";
        }

        @Override
        public void close() {
            shutdown(bootstrap, framework);
        }
    }
}
