/**
 * Go rpcx's side channels beside the rpcx port: file upload and download ({@link rpcx.transfer.FileTransfer},
 * Go's {@code EnableFileTransfer}) and raw bidirectional streams ({@link rpcx.transfer.StreamService}, Go's
 * {@code EnableStreamService}); the client side is {@link rpcx.transfer.Transfers} (Go's {@code SendFile},
 * {@code DownloadFile}, {@code Stream}). An rpcx call hands out a one-time 32-byte token and an address; the peer
 * connects there with plain TCP, writes the token, and the bytes flow.
 */
module rpcx.transfer {
    requires transitive rpcx.api;

    exports rpcx.transfer;
}
