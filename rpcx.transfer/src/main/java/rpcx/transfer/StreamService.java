package rpcx.transfer;

import java.net.Socket;
import java.util.Objects;

import rpcx.api.CallContext;
import rpcx.api.ServiceException;

/**
 * Raw bidirectional streams beside the rpcx port (Go's {@code NewStreamService} + {@code EnableStreamService}):
 * the service {@code _streamservice} answers {@code Stream} with a token and this side channel's address; the
 * client connects there, writes the token, and both sides then use the connection as they like. Not typed
 * streams: bytes, as Go's {@code net.Conn}.
 */
public final class StreamService extends SideChannelService<StreamService> {
    /** Go's {@code share.StreamServiceName}. */
    public static final String SERVICE_NAME = "_streamservice";

    /** Go's {@code ErrNotAccept} text, the error reply when the acceptor refuses. */
    public static final String REFUSED = "server refused the connection";

    /** Serves one stream (the connection is closed when this returns). */
    @FunctionalInterface
    public interface StreamHandler {
        /** Uses the connection; {@code args} carries the client's metadata. */
        void handle(Socket connection, StreamArgs args) throws Exception;
    }

    /** Decides, on the rpcx call, whether a stream is allowed (Go's {@code StreamAcceptor}). */
    @FunctionalInterface
    public interface StreamAcceptor {
        /** True to hand out a token. */
        boolean accept(CallContext context, StreamArgs args);
    }

    private final StreamHandler handler;
    private final StreamAcceptor acceptor;

    private StreamService(SideChannel channel, StreamHandler handler, StreamAcceptor acceptor) {
        super(channel, SERVICE_NAME);
        this.handler = handler;
        this.acceptor = acceptor;
    }

    /**
     * Listens for stream connections.
     *
     * @param address  {@code host:port} or {@code :port}; port 0 takes a free one
     * @param handler  what serves each stream
     * @param acceptor who may open one, or null for everyone
     * @param waitNum  how many tokens may wait for their connection
     * @throws TransferException when the address cannot be bound
     */
    public static StreamService start(String address, StreamHandler handler, StreamAcceptor acceptor, int waitNum) {
        return new StreamService(SideChannel.open("streamservice", address, waitNum), Objects.requireNonNull(handler, "handler"),
                acceptor);
    }

    @Override
    Object service() {
        return new Service();
    }

    /** The rpcx service: tokens for streams. */
    public final class Service {
        Service() {
        }

        /** Go's {@code Stream}: a token, unless the acceptor refuses ({@value #REFUSED}). */
        public TokenReply stream(CallContext context, StreamArgs args) {
            if (acceptor != null && !acceptor.accept(context, args)) {
                throw new ServiceException(REFUSED);
            }
            return channel.issue(conn -> handler.handle(conn, args));
        }
    }
}
