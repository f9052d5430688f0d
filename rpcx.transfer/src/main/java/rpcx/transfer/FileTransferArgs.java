package rpcx.transfer;

import java.util.Map;

import rpcx.api.GoField;

/**
 * What a client uploads (Go's {@code share.FileTransferArgs}): the file's name and size, and metadata.
 *
 * @param fileName the file's name (no folders: Go sends {@code fi.Name()})
 * @param fileSize its size in bytes
 * @param meta     the client's metadata, or null
 */
public record FileTransferArgs(@GoField(json = "file_name") String fileName,
                               @GoField(json = "file_size") long fileSize,
                               @GoField(json = "meta") Map<String, String> meta) {
}
