package rpcx.api;

import java.lang.reflect.Type;
import java.util.Map;

/** The request and response of a router-style {@link Handler} (Go's {@code server.Context}). */
public interface HandlerContext {
    /** The call's context: metadata, deadline, peer. */
    CallContext call();

    /** The connection the request arrived on (see {@link CallContext#connection()}). */
    default ClientConnection connection() {
        return call().connection();
    }

    /** The request metadata. */
    default Map<String, String> metadata() {
        return call().requestMetadata();
    }

    /** The raw request payload (already inflated). */
    byte[] payload();

    /** Decodes the payload with the request's codec. */
    <T> T bind(Class<T> type);

    /** Decodes the payload with the request's codec into a generic type. */
    Object bind(Type type);

    /** Sends the reply, encoded with the request's codec. Only the first write or writeError counts. */
    void write(Object reply);

    /** Sends an error reply with this text in {@code __rpcx_error__}. */
    void writeError(String message);
}
