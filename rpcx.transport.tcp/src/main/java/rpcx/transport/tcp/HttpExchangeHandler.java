package rpcx.transport.tcp;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import rpcx.api.TransportException;
import rpcx.api.protocol.HttpGateway;
import rpcx.api.protocol.Message;
import rpcx.api.protocol.ProtocolException;
import rpcx.api.protocol.SerializeType;
import rpcx.api.spi.TransportConfig;

/**
 * Serves HTTP/1 on an rpcx port: the HTTP gateway ({@link HttpGateway}, Go's {@code server/gateway.go}) and
 * JSON-RPC 2.0 ({@link JsonRpc}, Go's {@code server/jsonrpc2.go}). It turns each HTTP request into an rpcx request
 * {@link Message} and hands it to the server's handler exactly as a frame from an rpcx connection
 * ({@code onMessage}), with the connection's {@link NettyConnection} as the pseudo connection. What the server
 * sends back on it becomes the HTTP response.
 *
 * <p><b>Pseudo connection contract</b> (what the rpcx server may do with the connection of an HTTP request):
 * <ul>
 *   <li>One request is in flight at a time: the next request (HTTP/1.1 keep-alive, pipelined or not) is read
 *       only after the response to this one is out, so responses keep the order of requests.</li>
 *   <li>{@code send(response)} answers the request in flight: a normal response is HTTP 200 with the reply payload
 *       as body (JSON-RPC: {@code result}); an error response ({@code __rpcx_error__}) is HTTP 500 with
 *       {@code X-RPCX-ErrorMessage} (JSON-RPC: error -32603). A frame that is not a response is refused (no
 *       pushes over HTTP), and so is a response when no request waits.</li>
 *   <li><b>Auth failure = error response, then {@code close()}</b>: when the server closes the pseudo connection
 *       right after sending an error response (that is what it does when its auth function refuses a call), the
 *       answer is HTTP <b>401</b> with {@code X-RPCX-MessageStatusType: Error} and {@code X-RPCX-ErrorMessage}
 *       (JSON-RPC: still error -32603, as Go). To be seen, {@code close()} must come without waiting: on the same
 *       thread right after {@code send}, or chained on the send future (which completes as soon as an error response
 *       is accepted); the answer to an error response sent from outside the I/O thread waits
 *       {@value #AUTH_GRACE_MILLIS} ms for such a close. The HTTP connection is then closed after the answer (Go
 *       keeps an HTTP connection open after a 401).</li>
 *   <li>{@code close()} while a request waits for its response without one: HTTP 500 ({@code rpcx: the server
 *       closed the connection}), then the socket is closed. {@code close()} between requests closes the socket.</li>
 *   <li>Oneway requests ({@code X-RPCX-Oneway}, JSON-RPC notifications) are answered at once with an empty 200,
 *       after the message was handed to the server; the server sends nothing for them (Go answers after the
 *       handler ran).</li>
 *   <li>{@code pauseReading()} holds the next request back until {@code resumeReading()}.</li>
 * </ul>
 *
 * <p><b>Limits.</b> Request line at most {@value #MAX_INITIAL_LINE} bytes and headers at most
 * {@value #MAX_HEADER_SIZE} bytes (otherwise 431, as Go), body at most the transport's {@code maxMessageLength}
 * (otherwise 413), a malformed request 400, a request not complete within the frame timeout 408; each of these
 * closes the connection and is reported to the handler's {@code onError} as a {@link Rejection} (logged at DEBUG).
 * At most {@value #MAX_QUEUED} pipelined requests wait; a client that sends more is disconnected.
 */
final class HttpExchangeHandler extends ChannelDuplexHandler implements NettyConnection.HttpSide {
    private static final System.Logger LOG = System.getLogger("rpcx.transport.tcp");
    /** Longest request line. */
    static final int MAX_INITIAL_LINE = 4096;
    /** Longest header block. */
    static final int MAX_HEADER_SIZE = 8192;
    /** How long the answer to an error response sent off the I/O thread waits for the close that makes it a 401. */
    static final long AUTH_GRACE_MILLIS = 5;
    /** Pipelined requests that may wait while one is served. */
    static final int MAX_QUEUED = 16;
    /** The methods the gateway serves, as httprouter's {@code Allow} header lists them. */
    private static final String ALLOW = "GET, OPTIONS, POST, PUT";
    private static final byte[] EMPTY = new byte[0];
    /** After a 4xx, how long the connection is half-closed and drained before it is closed (Go lingers too). */
    private static final long LINGER_MILLIS = 1000;

    /** An HTTP request refused with a 4xx before it reached the server. */
    static final class Rejection extends ProtocolException {
        private static final long serialVersionUID = 1L;

        Rejection(String message) {
            super(message);
        }
    }

    /** A request refused before it was complete (body too large). */
    private record Refusal(HttpResponseStatus status, String detail) {
    }

    /** One HTTP request being served. */
    private static final class Exchange {
        final HttpVersion version;
        final boolean keepAlive;
        final Map<String, List<String>> headers;
        final Map<String, String> cors;
        final boolean jsonRpc;
        final byte[] jsonRpcId;
        Message request;
        Message response;
        ChannelPromise promise;
        ScheduledFuture<?> grace;
        boolean finished;
        boolean closedWithoutResponse;

        Exchange(HttpVersion version, boolean keepAlive, Map<String, List<String>> headers, Map<String, String> cors,
                 boolean jsonRpc, byte[] jsonRpcId) {
            this.version = version;
            this.keepAlive = keepAlive;
            this.headers = headers;
            this.cors = cors;
            this.jsonRpc = jsonRpc;
            this.jsonRpcId = jsonRpcId;
        }
    }

    private final NettyConnection connection;
    private final TransportConfig config;
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private RequestTimer timer;
    private Exchange current;
    /** The server closed the pseudo connection. */
    private boolean closing;
    /** A response that closes the connection has been written. */
    private boolean ending;
    private long jsonRpcSeq;

    private HttpExchangeHandler(NettyConnection connection, TransportConfig config) {
        this.connection = connection;
        this.config = config;
    }

    /**
     * Installs the HTTP pipeline after handler {@code after} (on the event loop): a request timer, Netty's
     * {@link HttpServerCodec} with the limits, an aggregator bounded by {@code maxMessageLength}, and this handler;
     * then switches the connection to {@link NettyConnection.Mode#HTTP}.
     */
    static void install(ChannelPipeline p, String after, NettyConnection connection, TransportConfig config) {
        HttpExchangeHandler h = new HttpExchangeHandler(connection, config);
        h.timer = new RequestTimer(h, config.frameTimeout());
        p.addAfter(after, "httpTimer", h.timer);
        p.addAfter("httpTimer", "httpCodec", new HttpServerCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(MAX_INITIAL_LINE).setMaxHeaderSize(MAX_HEADER_SIZE)));
        p.addAfter("httpCodec", "httpAggregator", new Aggregator(config.limits().maxMessageLength()));
        p.addAfter("httpAggregator", "http", h);
        connection.decide(NettyConnection.Mode.HTTP, h);
        h.updateRead();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    // ---- inbound ----

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest) && !(msg instanceof Refusal)) {
            ctx.fireChannelRead(msg);
            return;
        }
        timer.requestDone();
        if (closing || ending) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (queue.size() >= MAX_QUEUED) {
            ReferenceCountUtil.release(msg);
            ending = true;
            LOG.log(System.Logger.Level.DEBUG, () -> "closing " + connection + ": more than " + MAX_QUEUED + " pipelined HTTP requests");
            ctx.channel().close();
            return;
        }
        queue.add(msg);
        processNext();
    }

    private void processNext() {
        Object next;
        while (current == null && !closing && !ending && (next = queue.poll()) != null) {
            if (next instanceof Refusal r) {
                reject(r.status(), r.detail());
                break;
            }
            FullHttpRequest req = (FullHttpRequest) next;
            try {
                handle(req);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "HTTP request on " + connection + " failed", e);
                current = null;
                reject(HttpResponseStatus.INTERNAL_SERVER_ERROR, e.toString());
            } finally {
                req.release();
            }
        }
        updateRead();
    }

    private void updateRead() {
        if (ctx == null || !ctx.channel().isActive()) {
            return;
        }
        // once ending, keep draining what the client still sends: closing with unread bytes would reset the
        // connection and could destroy the response before the client reads it
        boolean want = ending || (current == null && queue.isEmpty() && !closing && connection.reading());
        if (ctx.channel().config().isAutoRead() != want) {
            ctx.channel().config().setAutoRead(want);
        }
    }

    @Override
    public void readingChanged() {
        updateRead();
    }

    private void handle(FullHttpRequest req) {
        if (req.decoderResult().isFailure()) {
            Throwable cause = req.decoderResult().cause();
            boolean tooLong = cause instanceof TooLongHttpHeaderException || cause instanceof TooLongHttpLineException;
            reject(tooLong ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE : HttpResponseStatus.BAD_REQUEST,
                    cause == null ? "malformed request" : String.valueOf(cause.getMessage()));
            return;
        }
        String method = req.method().name();
        Map<String, List<String>> headers = headers(req.headers());
        String path;
        try {
            path = path(req.uri());
        } catch (IllegalArgumentException | URISyntaxException e) {
            reject(HttpResponseStatus.BAD_REQUEST, "malformed request target: " + e.getMessage());
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        HttpGateway.Cors cors = config.cors();
        Map<String, String> corsHeaders = Map.of();
        if (cors != null) {
            if (HttpGateway.Cors.isPreflight(method, headers)) {
                respond(req.protocolVersion(), !keepAlive, HttpResponseStatus.NO_CONTENT, cors.preflightHeaders(headers), Map.of(), EMPTY);
                return;
            }
            corsHeaders = cors.actualHeaders(method, headers);
        }
        if (config.jsonRpc() && "true".equals(HttpGateway.header(headers, HttpGateway.JSONRPC))) {
            jsonRpc(req, headers, keepAlive, corsHeaders);
        } else if (config.httpGateway()) {
            gateway(req, method, path, headers, keepAlive, corsHeaders);
        } else {
            // as Go's cmux with the gateway disabled: no matcher takes the connection, so it is closed
            LOG.log(System.Logger.Level.DEBUG, () -> "closing " + connection
                    + ": an HTTP request without X-JSONRPC-2.0: true, and the HTTP gateway is off");
            ending = true;
            ctx.channel().close();
        }
    }

    private void gateway(FullHttpRequest req, String method, String path, Map<String, List<String>> headers,
                         boolean keepAlive, Map<String, String> cors) {
        HttpVersion version = req.protocolVersion();
        switch (method) {
            case "POST", "GET", "PUT" -> {
            }
            case "OPTIONS" -> {
                respond(version, !keepAlive, HttpResponseStatus.OK, Map.of("Allow", ALLOW), cors, EMPTY);
                return;
            }
            default -> {
                Map<String, String> h = new LinkedHashMap<>();
                h.put("Allow", ALLOW);
                h.put("Content-Type", "text/plain; charset=utf-8");
                h.put("X-Content-Type-Options", "nosniff");
                respond(version, !keepAlive, HttpResponseStatus.METHOD_NOT_ALLOWED, h, cors,
                        "Method Not Allowed\n".getBytes(StandardCharsets.US_ASCII));
                return;
            }
        }
        Message request;
        try {
            request = HttpGateway.toRequest(method, path, headers, ByteBufUtil.getBytes(req.content()));
        } catch (HttpGateway.BadRequestException e) {
            respond(version, !keepAlive, HttpResponseStatus.OK, HttpGateway.badRequestHeaders(headers, path, e.getMessage()),
                    cors, EMPTY);
            return;
        }
        Exchange ex = new Exchange(version, keepAlive, headers, cors, false, null);
        deliver(ex, request);
    }

    private void jsonRpc(FullHttpRequest req, Map<String, List<String>> headers, boolean keepAlive, Map<String, String> cors) {
        HttpVersion version = req.protocolVersion();
        JsonRpc.Call call;
        try {
            call = JsonRpc.parse(ByteBufUtil.getBytes(req.content()));
        } catch (JsonRpc.Failure f) {
            if (f.silent()) {
                respond(version, !keepAlive, HttpResponseStatus.OK, Map.of(), cors, EMPTY);
            } else {
                respond(version, !keepAlive, HttpResponseStatus.OK, Map.of("Content-Type", "application/json"), cors, f.response());
            }
            return;
        }
        Map<String, String> metadata = HttpGateway.parseMetaLenient(HttpGateway.header(headers, HttpGateway.META));
        String auth = HttpGateway.header(headers, HttpGateway.AUTHORIZATION);
        if (!auth.isEmpty()) {
            metadata.put(Message.AUTH_KEY, auth);
        }
        Message request = Message.request(++jsonRpcSeq, call.servicePath(), call.serviceMethod(), SerializeType.JSON,
                metadata, call.params());
        if (call.notification()) {
            request = request.withOneway(true);
        }
        deliver(new Exchange(version, keepAlive, headers, cors, true, call.id()), request);
    }

    /** Hands the request to the server; answers a oneway request at once. */
    private void deliver(Exchange ex, Message request) {
        ex.request = request;
        if (request.isOneway()) {
            ctx.fireChannelRead(request);
            Map<String, String> h = ex.jsonRpc ? Map.of() : HttpGateway.responseHeaders(ex.headers, request.toResponse());
            respond(ex.version, !ex.keepAlive || closing, HttpResponseStatus.OK, h, ex.cors, EMPTY);
            return;
        }
        current = ex;
        updateRead();
        ctx.fireChannelRead(request);
    }

    // ---- responses from the server ----

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof NettyConnection.HttpReply reply) {
            onReply(reply, promise);
            return;
        }
        ctx.write(msg, promise);
    }

    private void onReply(NettyConnection.HttpReply reply, ChannelPromise promise) {
        Exchange ex = current;
        if (ex == null || ex.response != null || ex.finished) {
            promise.tryFailure(new TransportException("no HTTP request waits for a response on " + connection
                    + "; dropping " + reply.message()));
            return;
        }
        ex.response = reply.message();
        if (!ex.response.isError() || closing) {
            ex.promise = promise;
            finish(ex);
            return;
        }
        // an error response: if the server closes the connection right after, it is an auth failure (401)
        promise.trySuccess();
        Runnable later = () -> {
            if (!ex.finished) {
                finish(ex);
            }
        };
        if (reply.offLoop()) {
            ex.grace = ctx.executor().schedule(later, AUTH_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        } else {
            ctx.executor().execute(later);
        }
    }

    @Override
    public void closeRequested() {
        if (closing) {
            return;
        }
        closing = true;
        releaseQueue();
        Exchange ex = current;
        if (ex != null && !ex.finished) {
            if (ex.response == null) {
                ex.response = ex.request.toResponse().withError(true)
                        .withMetadata(Map.of(Message.ERROR_KEY, "rpcx: the server closed the connection"));
                ex.closedWithoutResponse = true;
            }
            finish(ex);
        } else {
            // between requests, or after a response that closes anyway: close once what is written is out
            ending = true;
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void finish(Exchange ex) {
        ex.finished = true;
        if (ex.grace != null) {
            ex.grace.cancel(false);
        }
        if (current == ex) {
            current = null;
        }
        Message res = ex.response;
        boolean close = closing || !ex.keepAlive;
        ChannelFuture written;
        if (ex.jsonRpc) {
            String error = res.errorMessage();
            byte[] body = res.isError() ? JsonRpc.error(ex.jsonRpcId, JsonRpc.INTERNAL_ERROR, error == null ? "" : error)
                    : JsonRpc.result(ex.jsonRpcId, res.payload());
            written = respond(ex.version, close, HttpResponseStatus.OK, Map.of("Content-Type", "application/json"), ex.cors, body);
        } else {
            int status = HttpGateway.status(res, closing && !ex.closedWithoutResponse);
            written = respond(ex.version, close, HttpResponseStatus.valueOf(status), HttpGateway.responseHeaders(ex.headers, res),
                    ex.cors, res.isError() ? EMPTY : res.payload());
        }
        ChannelPromise promise = ex.promise;
        if (promise != null) {
            written.addListener(f -> {
                if (f.isSuccess()) {
                    promise.trySuccess();
                } else {
                    promise.tryFailure(f.cause());
                }
            });
        }
        if (!close) {
            ctx.executor().execute(this::processNext); // not from inside the server's write
        }
    }

    /** Writes a whole response; {@code close} adds {@code Connection: close} and closes after the write. */
    private ChannelFuture respond(HttpVersion version, boolean close, HttpResponseStatus status, Map<String, String> headers,
                                  Map<String, String> cors, byte[] body) {
        FullHttpResponse res = new DefaultFullHttpResponse(version, status,
                body.length == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        HttpHeaders h = res.headers();
        for (Map.Entry<String, String> e : headers.entrySet()) {
            h.set(e.getKey(), wire(e.getValue()));
        }
        for (Map.Entry<String, String> e : cors.entrySet()) {
            h.set(e.getKey(), wire(e.getValue()));
        }
        HttpUtil.setContentLength(res, body.length);
        if (close) {
            ending = true;
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (version.equals(HttpVersion.HTTP_1_0)) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        ChannelFuture f = ctx.writeAndFlush(res);
        if (close) {
            releaseQueue();
            f.addListener(ChannelFutureListener.CLOSE);
        }
        return f;
    }

    /** Half-closes (the client reads the response and EOF), drains the input, and closes after a while. */
    private void linger() {
        io.netty.channel.Channel ch = ctx.channel();
        updateRead();
        if (ch instanceof io.netty.channel.socket.DuplexChannel duplex && ch.isActive()) {
            duplex.shutdownOutput().addListener(f -> ctx.executor().schedule(() -> {
                ch.close();
            }, LINGER_MILLIS, TimeUnit.MILLISECONDS));
        } else {
            ch.close();
        }
    }

    /** Answers a request that cannot be served with a 4xx/5xx and closes; the handler hears of it in onError. */
    private void reject(HttpResponseStatus status, String detail) {
        String reason = status.code() + " " + status.reasonPhrase();
        LOG.log(System.Logger.Level.DEBUG, () -> "HTTP " + reason + " on " + connection + ": " + detail);
        Map<String, String> h = Map.of("Content-Type", "text/plain; charset=utf-8");
        Rejection error = new Rejection("HTTP request refused with " + reason + ": " + detail);
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer((reason + "\n").getBytes(StandardCharsets.US_ASCII)));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        HttpUtil.setContentLength(res, res.content().readableBytes());
        ending = true;
        releaseQueue();
        ctx.writeAndFlush(res).addListener(f -> {
            if (ctx.channel().isActive()) {
                ctx.fireExceptionCaught(error); // onError; the bridge leaves the closing to us
                linger();
            }
        });
    }

    /** The request timer fired: a request began and did not finish in time. */
    void requestTimedOut(Duration timeout) {
        if (current == null && queue.isEmpty() && !ending && !closing && ctx.channel().isActive()) {
            reject(HttpResponseStatus.REQUEST_TIMEOUT, "the request was not complete within " + timeout.toMillis() + " ms");
        }
    }

    /** Whether a request is being served or waiting (the request timer does not run then). */
    boolean busy() {
        return current != null || !queue.isEmpty();
    }

    // ---- events ----

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent && busy()) {
            return; // waiting for the server is not idleness
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof PrematureChannelClosureException) {
            LOG.log(System.Logger.Level.DEBUG, () -> connection + ": the client closed in the middle of a request");
            return;
        }
        ctx.fireExceptionCaught(cause);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseQueue();
        Exchange ex = current;
        if (ex != null) {
            if (ex.grace != null) {
                ex.grace.cancel(false);
            }
            if (ex.promise != null) {
                ex.promise.tryFailure(new TransportException(connection + " closed before the response was written"));
            }
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseQueue();
    }

    private void releaseQueue() {
        Object o;
        while ((o = queue.poll()) != null) {
            ReferenceCountUtil.release(o);
        }
    }

    // ---- helpers ----

    /** Header names grouped case-insensitively (first spelling kept), values in order, UTF-8 restored. */
    static Map<String, List<String>> headers(HttpHeaders h) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        Map<String, String> names = new HashMap<>();
        for (Map.Entry<String, String> e : h) {
            String name = names.computeIfAbsent(e.getKey().toLowerCase(Locale.ROOT), k -> e.getKey());
            out.computeIfAbsent(name, k -> new ArrayList<>()).add(utf8(e.getValue()));
        }
        return out;
    }

    /** The decoded path of a request target (origin form, or absolute form as a proxy would send). */
    static String path(String uri) throws URISyntaxException {
        String target = uri;
        if (!uri.startsWith("/")) {
            String lower = uri.toLowerCase(Locale.ROOT);
            if (lower.startsWith("http://") || lower.startsWith("https://")) {
                String raw = new URI(uri).getRawPath();
                target = raw == null || raw.isEmpty() ? "/" : raw;
            }
        }
        return new QueryStringDecoder(target).path();
    }

    /** Netty reads header bytes as ISO-8859-1; Go treats them as UTF-8. */
    private static String utf8(String latin1) {
        for (int i = 0; i < latin1.length(); i++) {
            if (latin1.charAt(i) >= 0x80) {
                return new String(latin1.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
            }
        }
        return latin1;
    }

    /** A header value as the bytes of its UTF-8 form (as Go writes it); Netty writes each char as one byte. */
    private static String wire(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) >= 0x80) {
                return new String(value.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
            }
        }
        return value;
    }

    /**
     * Refuses bodies over the limit with 413 (also when {@code Expect: 100-continue} announces one) by passing a
     * {@link Refusal} to the exchange handler, which answers in request order and closes.
     */
    private static final class Aggregator extends HttpObjectAggregator {
        Aggregator(int maxContentLength) {
            super(maxContentLength, true);
        }

        @Override
        protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
            if (isContentLengthInvalid(start, maxContentLength)) {
                return null; // the aggregator then calls handleOversizedMessage
            }
            return super.newContinueResponse(start, maxContentLength, pipeline);
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            ctx.fireChannelRead(new Refusal(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                    "the request body exceeds " + maxContentLength() + " bytes"));
        }
    }

    /**
     * Slow-loris guard before the HTTP codec: a request whose first bytes arrived and that is not complete within
     * the frame timeout gets 408 and the connection is closed. Time spent serving a request does not count.
     */
    private static final class RequestTimer extends ChannelInboundHandlerAdapter {
        private final HttpExchangeHandler exchange;
        private final Duration timeout;
        private ChannelHandlerContext ctx;
        private boolean inProgress;
        private long start;
        private ScheduledFuture<?> check;

        RequestTimer(HttpExchangeHandler exchange, Duration timeout) {
            this.exchange = exchange;
            this.timeout = timeout;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!timeout.isZero() && !inProgress && msg instanceof ByteBuf b && b.isReadable()) {
                inProgress = true;
                start = System.nanoTime();
                if (check == null) {
                    check = ctx.executor().schedule(this::check, timeout.toNanos(), TimeUnit.NANOSECONDS);
                }
            }
            ctx.fireChannelRead(msg);
        }

        void requestDone() {
            inProgress = false;
        }

        private void check() {
            check = null;
            if (!inProgress || !ctx.channel().isActive()) {
                return;
            }
            long now = System.nanoTime();
            if (exchange.busy()) {
                start = now;
            }
            long left = timeout.toNanos() - (now - start);
            if (left > 0) {
                check = ctx.executor().schedule(this::check, left, TimeUnit.NANOSECONDS);
                return;
            }
            inProgress = false;
            exchange.requestTimedOut(timeout);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            cancel();
            ctx.fireChannelInactive();
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            cancel();
        }

        private void cancel() {
            if (check != null) {
                check.cancel(false);
                check = null;
            }
        }
    }
}
