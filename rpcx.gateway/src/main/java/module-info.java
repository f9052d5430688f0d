/**
 * The standalone rpcx HTTP gateway (Go's {@code rpcxio/rpcx-gateway}): accepts HTTP requests carrying the
 * {@code X-RPCX-*} headers and forwards them over rpcx through an {@link rpcx.api.XClient} per service, with any
 * discovery. Run it centrally (gateway mode) or beside each client (agent mode). Uses the JDK's HTTP server.
 */
module rpcx.gateway {
    requires rpcx.api;
    requires jdk.httpserver;

    exports rpcx.gateway;
}
