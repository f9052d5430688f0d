package rpcx.bench.rpcx;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import rpcx.api.CallOptions;
import rpcx.api.Client;
import rpcx.api.ClientOptions;
import rpcx.api.Server;
import rpcx.api.ServerOptions;
import rpcx.api.protocol.SerializeType;
import rpcx.bench.harness.BenchPayload;
import rpcx.bench.harness.Completion;
import rpcx.bench.harness.Load;
import rpcx.bench.harness.Target;
import rpcx.bench.proto.BenchmarkMessage;

/**
 * rpcx for Java as a benchmark target. The server registers {@code Hello.Say} (BenchmarkMessage, protobuf for b1
 * or its record mirror for b2) and {@code Arith.Mul}. The client is also the interoperable load tool: options
 * {@code address=tcp@host:port}, {@code service}, {@code method} ({@code Say} or {@code Mul}) and {@code codec}
 * ({@code protobuf}, {@code msgpack}, {@code json}) let it drive any rpcx server, a Go one included.
 */
public abstract class RpcxTarget implements Target {
    private final String id;
    private final String codec;
    private final String executor;

    RpcxTarget(String id, String codec) {
        this(id, codec, "default");
    }

    RpcxTarget(String id, String codec, String executor) {
        this.id = id;
        this.codec = codec;
        this.executor = executor;
    }

    /** Target b1: the protobuf codec (SerializeType 2), the same 581 bytes as gRPC and Dubbo send. */
    public static final class Protobuf extends RpcxTarget {
        /** For ServiceLoader. */
        public Protobuf() {
            super("b1", "protobuf");
        }
    }

    /**
     * Target b1d: b1 with service methods run on the server's event loop ({@code ServerOptions.withExecutor(
     * Runnable::run)}, for methods that never block), as gRPC runs here with {@code directExecutor()}.
     */
    public static final class ProtobufDirect extends RpcxTarget {
        /** For ServiceLoader. */
        public ProtobufDirect() {
            super("b1d", "protobuf", "direct");
        }
    }

    /** Target b2: the msgpack codec (SerializeType 3, rpcx's default) carrying the same logical message. */
    public static final class Msgpack extends RpcxTarget {
        /** For ServiceLoader. */
        public Msgpack() {
            super("b2", "msgpack");
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String description() {
        return "rpcx for Java, " + codec + " codec, Hello.Say, async Client.callAsync completed on the client's event"
                + " loop (withCallbackExecutor(Runnable::run), as the gRPC client's directExecutor), default options"
                + " but 1 I/O thread per side" + (executor.equals("direct") ? ", service methods on the event loop" : "");
    }

    @Override
    public AutoCloseable startServer(String host, int port, Map<String, String> options) {
        checkPayload();
        int ioThreads = Integer.parseInt(options.getOrDefault("ioThreads", "1"));
        ServerOptions serverOptions = ServerOptions.defaults().withIoThreads(ioThreads);
        String executor = options.getOrDefault("executor", this.executor);
        if (executor.equals("direct")) {
            serverOptions = serverOptions.withExecutor(Runnable::run); // service methods on the event loop
        } else if (executor.startsWith("fixed")) {
            serverOptions = serverOptions.withExecutor(java.util.concurrent.Executors.newFixedThreadPool(
                    Integer.parseInt(executor.substring(5))));
        }
        Server server = Server.create(serverOptions);
        String c = options.getOrDefault("codec", codec);
        server.register("Hello", c.equals("protobuf") ? new BenchServices.ProtoHello() : new BenchServices.PojoHello());
        server.register("Arith", new BenchServices.Arith());
        server.listen("tcp", host + ":" + port);
        return server;
    }

    @Override
    public Load connect(String host, int port, int connections, Map<String, String> options) {
        checkPayload();
        String address = options.getOrDefault("address", "tcp@" + host + ":" + port);
        String c = options.getOrDefault("codec", codec);
        String service = options.getOrDefault("service", "Hello");
        String method = options.getOrDefault("method", "Say");
        int serializeType = switch (c) {
            case "protobuf" -> SerializeType.PROTOBUF;
            case "msgpack" -> SerializeType.MSGPACK;
            case "json" -> SerializeType.JSON;
            default -> throw new IllegalArgumentException("codec must be protobuf, msgpack or json, not " + c);
        };
        Object request;
        Type replyType;
        Predicate<Object> ok;
        if (method.equals("Mul")) {
            request = new BenchServices.Arith.Args(10, 20);
            replyType = BenchServices.Arith.Reply.class;
            ok = r -> r instanceof BenchServices.Arith.Reply reply && reply.c() == 200;
        } else if (c.equals("protobuf")) {
            request = prepared();
            replyType = BenchmarkMessage.class;
            ok = r -> r instanceof BenchmarkMessage m && m.getField1().equals("OK");
        } else {
            request = BenchPojo.prepared();
            replyType = BenchPojo.class;
            ok = r -> r instanceof BenchPojo m && m.field1().equals("OK");
        }
        ClientOptions clientOptions = ClientOptions.defaults().withSerializeType(serializeType);
        String callbacks = options.getOrDefault("callbacks", "direct");
        if (callbacks.equals("direct")) {
            // replies decoded and the next call issued on the client's event loop, as the gRPC target's
            // directExecutor() client does; "pool" = the default shared callback pool
            clientOptions = clientOptions.withCallbackExecutor(Runnable::run);
        } else if (!callbacks.equals("pool")) {
            throw new IllegalArgumentException("callbacks must be direct or pool, not " + callbacks);
        }
        List<Client> clients = new ArrayList<>(connections);
        try {
            for (int i = 0; i < connections; i++) {
                clients.add(Client.connect(address, clientOptions));
            }
        } catch (RuntimeException e) {
            clients.forEach(Client::close);
            throw e;
        }
        String details = service + "." + method + " on " + address + ", " + c;
        return new Load() {
            @Override
            public void call(int connection, Completion completion) {
                clients.get(connection).callAsync(service, method, request, replyType, CallOptions.NONE)
                        .whenComplete((reply, error) -> completion.done(error == null && ok.test(reply), error));
            }

            @Override
            public String details() {
                return details;
            }

            @Override
            public void close() {
                clients.forEach(Client::close);
            }
        };
    }

    private static void checkPayload() {
        BenchPayload.checkProtoSize(prepared().getSerializedSize());
    }

    /** The request filled as rpcx-benchmark's {@code PrepareArgs} does. */
    static BenchmarkMessage prepared() {
        return BenchPayload.filled(BenchmarkMessage.newBuilder());
    }
}
