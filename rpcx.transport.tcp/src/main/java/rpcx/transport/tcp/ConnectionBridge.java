package rpcx.transport.tcp;

import java.io.IOException;
import java.time.Duration;

import javax.net.ssl.SSLException;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.WriteTimeoutException;
import io.netty.util.ReferenceCountUtil;
import rpcx.api.RpcException;
import rpcx.api.TransportException;
import rpcx.api.protocol.Message;
import rpcx.api.spi.ConnectionHandler;

/**
 * The last handler of every pipeline: turns channel events into {@link ConnectionHandler} calls. onOpen when the
 * channel becomes active, onMessage per decoded frame while reading, onError once for the first failure (which
 * then closes the channel), onClose exactly once when the channel goes inactive; after that the connection's
 * close future completes. Exceptions thrown by the handler are logged and do not close the connection.
 *
 * <p>A dialled TLS connection opens when its handshake succeeds rather than when the socket connects, so the
 * handler never sees a connection whose handshake failed. TLS failures are logged at INFO, HTTP requests refused
 * with a 4xx ({@link HttpExchangeHandler.Rejection}) at DEBUG, peer resets at DEBUG, other errors at WARNING.
 */
final class ConnectionBridge extends ChannelInboundHandlerAdapter {
    private static final System.Logger LOG = System.getLogger("rpcx.transport.tcp");

    private final NettyConnection connection;
    private final Duration readIdleTimeout;
    private final Duration writeTimeout;
    private final boolean openOnHandshake;
    private final boolean openOnTunnel;
    private boolean opened;
    private boolean errorReported;

    ConnectionBridge(NettyConnection connection, Duration readIdleTimeout, Duration writeTimeout, boolean openOnHandshake,
                     boolean openOnTunnel) {
        this.connection = connection;
        this.readIdleTimeout = readIdleTimeout;
        this.writeTimeout = writeTimeout;
        this.openOnHandshake = openOnHandshake;
        this.openOnTunnel = openOnTunnel;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        connection.captureAddresses();
        if (!openOnHandshake && !openOnTunnel) {
            open();
        }
    }

    private void open() {
        if (opened) {
            return;
        }
        opened = true;
        try {
            connection.handler().onOpen(connection);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "connection handler failed in onOpen for " + connection, e);
        }
        connection.opened.complete(null);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Message m)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (errorReported) {
            return;
        }
        try {
            connection.handler().onMessage(connection, m);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "connection handler failed in onMessage for " + connection, e);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent handshake) {
            if (handshake.isSuccess()) {
                if (openOnHandshake && !openOnTunnel && ctx.channel().isActive()) {
                    open();
                }
            } else {
                fail(ctx, translate(handshake.cause()));
            }
            return;
        }
        if (evt == Tunnels.Established.INSTANCE) {
            if (ctx.channel().isActive()) {
                open();
            }
            return;
        }
        if (evt instanceof IdleStateEvent idle) {
            if (idle.state() == IdleState.READER_IDLE && connection.reading()) {
                fail(ctx, new TransportException("nothing received for " + readIdleTimeout.toMillis()
                        + " ms (read idle timeout); closing the connection"));
            }
            return;
        }
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, translate(cause));
    }

    private Throwable translate(Throwable cause) {
        Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (c instanceof RpcException) {
            return c;
        }
        if (c instanceof SSLException) {
            return new TransportException("TLS with " + NettyConnection.show(connection.remoteAddress()) + " failed: " + c.getMessage(), c);
        }
        if (c instanceof WriteTimeoutException) {
            return new TransportException("a write did not complete within " + writeTimeout.toMillis()
                    + " ms (write timeout); closing the connection", c);
        }
        if (c instanceof IOException) {
            return new TransportException(connection + " failed: " + c.getMessage(), c);
        }
        return new TransportException(connection + " failed: " + c, c);
    }

    /**
     * Reports the first error to the handler (and the log), then closes the channel; except for a
     * {@link HttpExchangeHandler.Rejection}, after which the HTTP handler closes the channel itself once its error
     * response is out.
     */
    private void fail(ChannelHandlerContext ctx, Throwable error) {
        connection.opened.completeExceptionally(error); // a dial waiting for its tunnel or handshake fails with it
        if (errorReported || !opened) {
            LOG.log(System.Logger.Level.DEBUG, () -> "after the first error, " + connection + ": " + error);
        } else {
            errorReported = true;
            if (error instanceof TransportException && error.getCause() instanceof SSLException) {
                LOG.log(System.Logger.Level.INFO, () -> "closing " + connection + ": " + error.getMessage());
            } else if (error instanceof HttpExchangeHandler.Rejection) {
                LOG.log(System.Logger.Level.DEBUG, () -> "closing " + connection + ": " + error.getMessage());
            } else if (error instanceof TransportException && error.getCause() instanceof IOException) {
                // resets and broken pipes are the peer's business
                LOG.log(System.Logger.Level.DEBUG, () -> "closing " + connection + ": " + error.getMessage());
            } else {
                // exception messages name fields and lengths, never metadata values
                LOG.log(System.Logger.Level.WARNING, "closing " + connection + ": " + error.getMessage());
            }
            try {
                connection.handler().onError(connection, error);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "connection handler failed in onError for " + connection, e);
            }
        }
        if (!(error instanceof HttpExchangeHandler.Rejection)) {
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        try {
            if (opened) {
                connection.handler().onClose(connection);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "connection handler failed in onClose for " + connection, e);
        } finally {
            connection.opened.completeExceptionally(new TransportException(connection + " closed before it was ready"));
            connection.markClosed();
        }
    }
}
