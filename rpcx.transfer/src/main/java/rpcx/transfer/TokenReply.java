package rpcx.transfer;

import rpcx.api.GoField;

/**
 * Where to connect and what to write first (Go's {@code share.FileTransferReply} and {@code StreamServiceReply},
 * the same two fields).
 *
 * @param token the one-time 32-byte token to write on the new connection
 * @param addr  the side channel's {@code host:port}
 */
public record TokenReply(@GoField(json = "token") byte[] token, @GoField(json = "addr") String addr) {
}
