package rpcx.transfer;

import java.util.Map;

import rpcx.api.GoField;

/**
 * What a client sends to open a stream (Go's {@code share.StreamServiceArgs}).
 *
 * @param meta the client's metadata, or null
 */
public record StreamArgs(@GoField(json = "meta") Map<String, String> meta) {
}
