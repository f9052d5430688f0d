package rpcx.transfer;

import java.util.Map;

import rpcx.api.GoField;

/**
 * What a client asks to download (Go's {@code share.DownloadFileArgs}).
 *
 * @param fileName the name the server's download handler understands
 * @param meta     the client's metadata, or null
 */
public record DownloadFileArgs(@GoField(json = "file_name") String fileName, @GoField(json = "meta") Map<String, String> meta) {
}
