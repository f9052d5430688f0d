package rpcx.bench.grpc;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;


import io.grpc.CallOptions;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.IoHandlerFactory;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.ServerChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import rpcx.bench.harness.BenchPayload;
import rpcx.bench.harness.Completion;
import rpcx.bench.harness.Load;
import rpcx.bench.harness.Target;
import rpcx.bench.proto.BenchmarkMessage;

/**
 * Target {@code c}: gRPC-java 1.85.1 over {@code grpc-netty-shaded}, plaintext HTTP/2, unary method {@code Hello/Say}
 * carrying the 581-byte {@link BenchmarkMessage} (spec/benchmark.md §5.3, row c).
 *
 * <p>The {@link MethodDescriptor} is built by hand with {@link ProtoUtils#marshaller} (no protoc-gen-grpc-java).
 * Server: {@link NettyServerBuilder} with one boss and one worker event loop, {@code directExecutor()}, the handler
 * run on the worker loop. Client: one {@link ManagedChannel} per requested connection, all on one shared event loop
 * of one thread, {@code directExecutor()}, calls issued with {@link ClientCalls#asyncUnaryCall} so the completion
 * (and the next call the harness issues from it) runs on that loop. Transport: the shaded native epoll when it
 * loads, else NIO; {@code --opt transport=nio} forces NIO (give it to both JVMs).
 */
public final class GrpcTarget implements Target {
    /** The gRPC version this target is built against (the grpc-bom import in the module's pom). */
    static final String GRPC_VERSION = "1.85.1";

    /** {@code /Hello/Say}, unary, protobuf both ways, marshallers from the message's default instance. */
    static final MethodDescriptor<BenchmarkMessage, BenchmarkMessage> SAY =
            MethodDescriptor.<BenchmarkMessage, BenchmarkMessage>newBuilder()
                    .setType(MethodDescriptor.MethodType.UNARY)
                    .setFullMethodName(MethodDescriptor.generateFullMethodName("Hello", "Say"))
                    .setRequestMarshaller(ProtoUtils.marshaller(BenchmarkMessage.getDefaultInstance()))
                    .setResponseMarshaller(ProtoUtils.marshaller(BenchmarkMessage.getDefaultInstance()))
                    .build();

    /** Creates the target; the service loader calls this. */
    public GrpcTarget() {
    }

    @Override
    public String id() {
        return "c";
    }

    @Override
    public String description() {
        return "gRPC-java " + GRPC_VERSION + " (grpc-netty-shaded, Netty " + nettyVersion() + ", " + Transport.DEFAULT.name
                + " unless --opt transport=nio), plaintext h2, unary /Hello/Say with hand-built MethodDescriptor + ProtoUtils.marshaller"
                + " (protobuf-java 3.25.9); server NettyServerBuilder 1 boss + 1 worker loop, directExecutor;"
                + " client connections = ManagedChannels (NettyChannelBuilder, 4 in phase T) on 1 shared loop,"
                + " directExecutor, ClientCalls.asyncUnaryCall; TCP_NODELAY on; other gRPC options default";
    }

    @Override
    public AutoCloseable startServer(String host, int port, Map<String, String> options) throws Exception {
        BenchPayload.checkProtoSize(request().getSerializedSize());
        Transport transport = Transport.choose(options);
        EventLoopGroup boss = transport.group("grpc-boss");
        EventLoopGroup worker = transport.group("grpc-worker");
        ServerServiceDefinition service = ServerServiceDefinition.builder("Hello")
                .addMethod(SAY, ServerCalls.asyncUnaryCall(GrpcTarget::say))
                .build();
        Server server;
        try {
            server = NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
                    .channelType(transport.serverChannel)
                    .bossEventLoopGroup(boss)
                    .workerEventLoopGroup(worker)
                    .directExecutor()
                    .withChildOption(ChannelOption.TCP_NODELAY, true)
                    .addService(service)
                    .build()
                    .start();
        } catch (Exception | Error e) {
            shutdown(boss);
            shutdown(worker);
            throw e;
        }
        return () -> {
            server.shutdown();
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                server.shutdownNow();
                server.awaitTermination(5, TimeUnit.SECONDS);
            }
            shutdown(boss);
            shutdown(worker);
        };
    }

    /** The service logic of every target: echo the request with {@code field1 = "OK"}, {@code field2 = 100}. */
    private static void say(BenchmarkMessage request, StreamObserver<BenchmarkMessage> reply) {
        reply.onNext(request.toBuilder().setField1("OK").setField2(100).build());
        reply.onCompleted();
    }

    @Override
    public Load connect(String host, int port, int connections, Map<String, String> options) throws Exception {
        BenchmarkMessage request = request();
        BenchPayload.checkProtoSize(request.getSerializedSize());
        Transport transport = Transport.choose(options);
        EventLoopGroup group = transport.group("grpc-client");
        ManagedChannel[] channels = new ManagedChannel[connections];
        try {
            for (int i = 0; i < connections; i++) {
                channels[i] = NettyChannelBuilder.forAddress(new InetSocketAddress(host, port))
                        .channelType(transport.channel)
                        .eventLoopGroup(group)
                        .usePlaintext()
                        .directExecutor()
                        .withOption(ChannelOption.TCP_NODELAY, true)
                        .build();
            }
            awaitReady(channels, 60);
        } catch (Exception | Error e) {
            GrpcLoad.closeAll(channels, group);
            throw e;
        }
        return new GrpcLoad(channels, group, request, transport);
    }

    /**
     * gRPC channels connect lazily: ask every channel to connect now and wait until all are {@code READY}, so the
     * connections exist (and are counted by the idle-connection measurement) before the harness uses them.
     */
    private static void awaitReady(ManagedChannel[] channels, int seconds) throws InterruptedException {
        CountDownLatch ready = new CountDownLatch(channels.length);
        for (ManagedChannel channel : channels) {
            watch(channel, ready);
        }
        if (!ready.await(seconds, TimeUnit.SECONDS)) {
            throw new IllegalStateException((channels.length - ready.getCount()) + " of " + channels.length
                    + " gRPC channels became READY within " + seconds + " s");
        }
    }

    private static void watch(ManagedChannel channel, CountDownLatch ready) {
        ConnectivityState state = channel.getState(true);
        if (state == ConnectivityState.READY) {
            ready.countDown();
        } else if (state != ConnectivityState.SHUTDOWN) {
            channel.notifyWhenStateChanged(state, () -> watch(channel, ready));
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

    /** The Netty version bundled in grpc-netty-shaded (its versions file is renamed along with the packages). */
    private static String nettyVersion() {
        try (var in = GrpcTarget.class.getClassLoader()
                .getResourceAsStream("META-INF/io.grpc.netty.shaded.io.netty.versions.properties")) {
            if (in == null) {
                return "?";
            }
            var p = new java.util.Properties();
            p.load(in);
            return p.getProperty("netty-common.version", "?");
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    static void shutdown(EventLoopGroup group) {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }

    /** The Netty transport of the shaded jar that both sides use: native epoll when it loads, else NIO. */
    static final class Transport {
        static final Transport EPOLL = new Transport("epoll", EpollServerSocketChannel.class,
                EpollSocketChannel.class);
        static final Transport NIO = new Transport("nio", NioServerSocketChannel.class, NioSocketChannel.class);
        static final Transport DEFAULT = Epoll.isAvailable() ? EPOLL : NIO;

        final String name;
        final Class<? extends ServerChannel> serverChannel;
        final Class<? extends Channel> channel;

        private Transport(String name, Class<? extends ServerChannel> serverChannel,
                          Class<? extends Channel> channel) {
            this.name = name;
            this.serverChannel = serverChannel;
            this.channel = channel;
        }

        static Transport choose(Map<String, String> options) {
            String wanted = options.getOrDefault("transport", DEFAULT.name);
            return switch (wanted) {
                case "epoll" -> {
                    if (!Epoll.isAvailable()) {
                        throw new IllegalStateException("transport=epoll but the shaded native epoll does not load: "
                                + Epoll.unavailabilityCause());
                    }
                    yield EPOLL;
                }
                case "nio" -> NIO;
                default -> throw new IllegalArgumentException("transport must be epoll or nio, not " + wanted);
            };
        }

        /** One event loop of one (daemon, FastThreadLocal-capable) thread. */
        EventLoopGroup group(String threadName) {
            // the epoll factory is only created when chosen: it fails when the native library does not load
            IoHandlerFactory factory = this == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
            return new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(threadName, true), factory);
        }
    }

    /** The client side: the channels, their shared event loop and the one immutable request every call sends. */
    static final class GrpcLoad implements Load {
        private final ManagedChannel[] channels;
        private final EventLoopGroup group;
        private final BenchmarkMessage request;
        private final Transport transport;

        GrpcLoad(ManagedChannel[] channels, EventLoopGroup group, BenchmarkMessage request, Transport transport) {
            this.channels = channels;
            this.group = group;
            this.request = request;
            this.transport = transport;
        }

        @Override
        public void call(int connection, Completion completion) {
            ClientCalls.asyncUnaryCall(channels[connection].newCall(SAY, CallOptions.DEFAULT), request,
                    new ReplyObserver(completion));
        }

        @Override
        public String details() {
            return "request " + request.getSerializedSize() + " B protobuf (" + (request.getSerializedSize() + 5)
                    + " B gRPC message incl. 5-byte prefix, plus HTTP/2 HEADERS/DATA frames); " + channels.length
                    + " ManagedChannels on 1 client event loop thread (" + transport.name + "), directExecutor;"
                    + " client JVM after connect: " + threads();
        }

        /** All live threads outside the JVM's own "system" group, by name (the event loop, gRPC's timer...). */
        private static String threads() {
            java.util.List<String> names = new java.util.ArrayList<>();
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                ThreadGroup g = t.getThreadGroup();
                if (g != null && !"system".equals(g.getName())) {
                    names.add(t.getName());
                }
            }
            java.util.Collections.sort(names);
            return java.lang.management.ManagementFactory.getThreadMXBean().getThreadCount() + " threads in all, "
                    + names.size() + " outside the system group " + names;
        }

        @Override
        public void close() throws Exception {
            closeAll(channels, group);
        }

        static void closeAll(ManagedChannel[] channels, EventLoopGroup group) throws InterruptedException {
            for (ManagedChannel c : channels) {
                if (c != null) {
                    c.shutdown();
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            for (ManagedChannel c : channels) {
                if (c != null && !c.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    c.shutdownNow();
                }
            }
            for (ManagedChannel c : channels) {
                if (c != null) {
                    c.awaitTermination(2, TimeUnit.SECONDS);
                }
            }
            shutdown(group);
        }
    }

    /**
     * Turns one unary call's outcome into exactly one {@link Completion#done}: on {@code onCompleted} (after the
     * reply), OK only if {@code field1 == "OK"}; on {@code onError} with the error. Completing on
     * {@code onCompleted}, not {@code onNext}, is what grpc-java's own {@code AsyncClient} does.
     */
    static final class ReplyObserver implements StreamObserver<BenchmarkMessage> {
        private final Completion completion;
        private BenchmarkMessage reply;

        ReplyObserver(Completion completion) {
            this.completion = completion;
        }

        @Override
        public void onNext(BenchmarkMessage value) {
            reply = value;
        }

        @Override
        public void onError(Throwable t) {
            completion.done(false, t);
        }

        @Override
        public void onCompleted() {
            completion.done(reply != null && "OK".equals(reply.getField1()), null);
        }
    }
}
