package rpcx.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import rpcx.api.ClientOptions;
import rpcx.api.FailMode;
import rpcx.api.OneClient;
import rpcx.api.RpcException;
import rpcx.api.SelectMode;
import rpcx.api.protocol.CompressType;
import rpcx.api.protocol.HttpGateway;
import rpcx.api.protocol.Message;
import rpcx.api.spi.ServiceDiscovery;

/**
 * A standalone HTTP-to-rpcx gateway (Go's {@code rpcxio/rpcx-gateway}). Each HTTP request with the
 * {@code X-RPCX-*} headers becomes an rpcx request (the mapping of the server's built-in gateway,
 * {@link HttpGateway}, with this gateway's rules: {@code X-RPCX-SerializeType}, {@code X-RPCX-ServicePath} and
 * {@code X-RPCX-ServiceMethod} are required, {@code Content-Encoding: gzip} asks for gzip on the rpcx hop, and
 * the gateway numbers the requests itself) and is forwarded with {@link rpcx.api.XClient#sendRaw} through one
 * client per service of a {@link OneClient}, so fail mode, selector, breakers and discovery all apply. The
 * answer: HTTP 200 with the reply payload as body and the {@code X-RPCX-*} response headers, also for rpcx
 * errors ({@code X-RPCX-MessageStatusType: Error}, {@code X-RPCX-ErrorMessage}), as Go's gateway does; 502 when no
 * server can be reached.
 *
 * <pre>{@code
 * try (Gateway gw = Gateway.start(new InetSocketAddress("127.0.0.1", 9981), discovery, FailMode.FAILOVER,
 *         SelectMode.ROUND_ROBIN, ClientOptions.defaults())) { ... }
 * }</pre>
 */
public final class Gateway implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("rpcx.gateway");

    private final HttpServer http;
    private final ExecutorService executor;
    private final OneClient clients;
    private final int maxBody;
    private final AtomicLong seq = new AtomicLong();

    private Gateway(HttpServer http, ExecutorService executor, OneClient clients, int maxBody) {
        this.http = http;
        this.executor = executor;
        this.clients = clients;
        this.maxBody = maxBody;
    }

    /**
     * Starts a gateway on {@code listen} that forwards to the servers the discovery lists for each service.
     *
     * @throws UncheckedIOException when the address cannot be bound
     */
    public static Gateway start(InetSocketAddress listen, ServiceDiscovery discovery, FailMode failMode,
                                SelectMode selectMode, ClientOptions options) {
        Objects.requireNonNull(discovery, "discovery");
        OneClient clients = OneClient.create(failMode, selectMode, discovery, options);
        ExecutorService executor = Executors.newFixedThreadPool(Math.max(4, Runtime.getRuntime().availableProcessors() * 4),
                r -> {
                    Thread t = new Thread(r, "rpcx-gateway");
                    t.setDaemon(true);
                    return t;
                });
        HttpServer http;
        try {
            http = HttpServer.create(listen, 128);
        } catch (IOException e) {
            clients.close();
            executor.shutdown();
            throw new UncheckedIOException("cannot listen on " + listen + ": " + e.getMessage(), e);
        }
        Gateway g = new Gateway(http, executor, clients, options.maxMessageLength());
        http.createContext("/", g::handle);
        http.setExecutor(executor);
        http.start();
        LOG.log(System.Logger.Level.INFO, () -> "rpcx gateway listening on " + g.address());
        return g;
    }

    /** The bound address (with the real port when started on port 0). */
    public InetSocketAddress address() {
        return http.getAddress();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!method.equals("POST") && !method.equals("GET") && !method.equals("PUT")) {
                exchange.getResponseHeaders().set("Allow", "POST, GET, PUT");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            Map<String, List<String>> headers = exchange.getRequestHeaders();
            String path = exchange.getRequestURI().getPath();
            byte[] body = readBody(exchange.getRequestBody());
            if (body == null) {
                exchange.sendResponseHeaders(413, -1);
                return;
            }
            Message request;
            try {
                for (String required : List.of(HttpGateway.SERIALIZE_TYPE, HttpGateway.SERVICE_PATH, HttpGateway.SERVICE_METHOD)) {
                    if (HttpGateway.header(headers, required).isEmpty()) {
                        throw new HttpGateway.BadRequestException("empty " + required.substring(HttpGateway.HEADER_PREFIX.length()));
                    }
                }
                request = HttpGateway.toRequest(method, path, headers, body).withSeq(seq.incrementAndGet());
                if ("gzip".equalsIgnoreCase(HttpGateway.header(headers, "Content-Encoding"))) {
                    request = request.withCompressType(CompressType.GZIP);
                }
            } catch (HttpGateway.BadRequestException e) {
                respond(exchange, 200, HttpGateway.badRequestHeaders(headers, path, e.getMessage()), new byte[0]);
                return;
            }
            Message response;
            try {
                response = clients.xclient(request.servicePath()).sendRaw(request);
            } catch (RpcException e) {
                Map<String, String> h = new HashMap<>(HttpGateway.badRequestHeaders(headers, path, e.getMessage()));
                respond(exchange, 502, h, new byte[0]);
                return;
            }
            respond(exchange, 200, HttpGateway.responseHeaders(headers, response), response.isError() ? new byte[0] : response.payload());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "rpcx gateway: request failed", e);
        }
    }

    /** The body, or null when it is larger than the maximum message size. */
    private byte[] readBody(InputStream in) throws IOException {
        byte[] buf = in.readNBytes(maxBody + 1);
        return buf.length > maxBody ? null : buf;
    }

    private static void respond(HttpExchange exchange, int status, Map<String, String> headers, byte[] body) throws IOException {
        Headers out = exchange.getResponseHeaders();
        headers.forEach(out::set);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(body);
            }
        }
    }

    /** Stops accepting, waits up to a second for exchanges in progress, closes the rpcx clients. */
    @Override
    public void close() {
        http.stop(1);
        executor.shutdownNow();
        clients.close();
    }

    @Override
    public String toString() {
        return "rpcx gateway on " + address();
    }
}
