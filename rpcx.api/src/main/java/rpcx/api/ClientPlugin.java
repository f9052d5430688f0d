package rpcx.api;

import rpcx.api.protocol.Message;
import rpcx.api.spi.Selector;

/**
 * A client plugin (Go's {@code client.Plugin} family): implement the hooks you need, all default to doing nothing,
 * and add it with {@link ClientOptions#withPlugin}. Plugins run in the order they were added. Hooks run on the
 * caller's thread or on rpcx's callback threads, never on I/O threads; they must be thread-safe and quick.
 *
 * <ul>
 *   <li>{@link #preCall} / {@link #postCall}: around every attempt an {@link XClient} sends — each retry of a
 *       fail mode, each call of a fan-out — as Go's {@code PreCallPlugin} / {@code PostCallPlugin} wrap each
 *       {@code wrapCall}. A {@code preCall} that throws stops that attempt with the exception, without a
 *       {@code postCall} (as in Go); the fail mode then treats it like any error of its kind.</li>
 *   <li>{@link #connectionCreated}, {@link #connectionFailed}, {@link #connectionClosed}: Go's
 *       {@code ClientConnectedPlugin}, {@code ConnCreateFailedPlugin}, {@code ClientConnectionClosePlugin}.</li>
 *   <li>{@link #beforeSend} / {@link #afterReceive}: every request frame before it is written and every
 *       response frame after it is read (Go's {@code ClientBeforeEncodePlugin} / {@code ClientAfterDecodePlugin});
 *       return the frame to use, e.g. with extra metadata.</li>
 *   <li>{@link #wrapSelector}: Go's {@code SelectNodePlugin.WrapSelect}, e.g. to skip nodes.</li>
 * </ul>
 */
public interface ClientPlugin {
    /** Before each attempt of a call; throw an {@link RpcException} to refuse it. */
    default void preCall(String servicePath, String method, Object args) {
    }

    /** After each attempt that was sent: its reply, or the error it ended with (then {@code reply} is null). */
    default void postCall(String servicePath, String method, Object args, Object reply, Throwable error) {
    }

    /** A connection to {@code address} ({@code network@host:port}) was opened. */
    default void connectionCreated(String address) {
    }

    /** Dialling {@code address} failed. */
    default void connectionFailed(String address, Throwable error) {
    }

    /** The connection to {@code address} closed (by either side). */
    default void connectionClosed(String address) {
    }

    /** A request frame about to be written; returns the frame to write (the same one, or a changed copy). */
    default Message beforeSend(Message request) {
        return request;
    }

    /** A response frame just read, before it is decoded; returns the frame to use. */
    default Message afterReceive(Message response) {
        return response;
    }

    /** Wraps the selector of each {@link XClient} this plugin is given to; returns it unchanged by default. */
    default Selector wrapSelector(Selector selector) {
        return selector;
    }

    /**
     * A request is about to be sent (after {@link #beforeSend}; heartbeats excluded). Returns this plugin's follower
     * of that one exchange, or null (the default): the follower may replace the request, e.g. to add a trace context
     * to its metadata, and hears how the exchange ended. For calls it runs on the thread that makes the call, so
     * context bound to the caller's thread (OpenTelemetry's, say) is the caller's (an {@link XClient}'s oneway sends
     * from a pool thread); {@link Exchange#ended} runs on whichever thread completes the exchange and must not
     * block.
     */
    default Exchange exchange(Message request) {
        return null;
    }

    /** One request/response exchange followed by a plugin (see {@link ClientPlugin#exchange}). */
    interface Exchange {
        /**
         * The request to send: the one given to {@link ClientPlugin#exchange}, or a changed copy.
         *
         * @return the request
         */
        Message request();

        /**
         * The exchange ended: {@code response} is the reply frame (an error reply included), or null with
         * {@code error} (timeout, transport failure, cancellation). A oneway request ends once written, with a null
         * response.
         *
         * @param response the reply frame, or null
         * @param error    what ended it without a reply, or null
         */
        void ended(Message response, Throwable error);
    }
}
