package rpcx.plugins;

import rpcx.api.protocol.Message;

/** Frame helpers {@link Message} does not offer. */
final class Messages {
    private Messages() {
    }

    /**
     * A copy of a request frame addressed to another service path and method, everything else kept: seq,
     * serialize type, metadata, payload, and the oneway, heartbeat, response, compression and error bits.
     *
     * <p>{@link Message} has no {@code withServicePath}/{@code withServiceMethod}, and its full constructor is not
     * public, so the copy starts from {@link Message#request}: the version byte comes out 0 (what every rpcx client
     * sends) and the status bits can only be 0 or 1 (normal or error; a request has 0).
     */
    static Message rename(Message m, String servicePath, String serviceMethod) {
        Message r = Message.request(m.seq(), servicePath, serviceMethod, m.serializeType(), m.metadata(), m.payload());
        if (m.isOneway()) {
            r = r.withOneway(true);
        }
        if (m.isHeartbeat()) {
            r = r.withHeartbeat(true);
        }
        if (m.isResponse()) {
            r = r.withResponse(true);
        }
        if (m.compressType() != 0) {
            r = r.withCompressType(m.compressType());
        }
        if (m.status() != 0) {
            r = r.withError(true);
        }
        return r;
    }
}
