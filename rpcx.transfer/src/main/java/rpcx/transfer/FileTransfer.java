package rpcx.transfer;

import java.net.Socket;

/**
 * Files from and to clients beside the rpcx port (Go's {@code NewFileTransfer} + {@code EnableFileTransfer}). The
 * service {@code _filetransfer} answers {@code TransferFile} and {@code DownloadFile} with a token and this side
 * channel's address; the client connects there, writes the token, then sends the file (upload) or reads it until
 * the server closes (download). Go clients ({@code SendFile}, {@code DownloadFile}) and {@link Transfers} both work.
 *
 * <pre>{@code
 * try (FileTransfer files = FileTransfer.start(":8973", (conn, args) -> save(conn.getInputStream(), args),
 *         (conn, args) -> send(args.fileName(), conn.getOutputStream()), 1000)) {
 *     files.enable(server);
 *     ...
 * }
 * }</pre>
 */
public final class FileTransfer extends SideChannelService<FileTransfer> {
    /** Go's {@code share.SendFileServiceName}. */
    public static final String SERVICE_NAME = "_filetransfer";

    /** Receives an uploaded file: read it from the connection (it is closed when this returns). */
    @FunctionalInterface
    public interface UploadHandler {
        /** Reads the file the client sends; {@code args} tells its name, size and metadata. */
        void upload(Socket connection, FileTransferArgs args) throws Exception;
    }

    /** Sends a file asked for: write it to the connection (it is closed when this returns, which ends the file). */
    @FunctionalInterface
    public interface DownloadHandler {
        /** Writes the file {@code args} names. */
        void download(Socket connection, DownloadFileArgs args) throws Exception;
    }

    private final UploadHandler upload;
    private final DownloadHandler download;

    private FileTransfer(SideChannel channel, UploadHandler upload, DownloadHandler download) {
        super(channel, SERVICE_NAME);
        this.upload = upload;
        this.download = download;
    }

    /**
     * Listens for file connections.
     *
     * @param address  {@code host:port} or {@code :port} (every interface); port 0 takes a free one
     * @param upload   what receives uploads, or null to refuse them (the connection is closed)
     * @param download what serves downloads, or null to refuse them
     * @param waitNum  how many tokens may wait for their connection (Go's {@code waitNum}); older ones are dropped
     * @throws TransferException when the address cannot be bound
     */
    public static FileTransfer start(String address, UploadHandler upload, DownloadHandler download, int waitNum) {
        return new FileTransfer(SideChannel.open("filetransfer", address, waitNum), upload, download);
    }

    @Override
    Object service() {
        return new Service();
    }

    /** The rpcx service: tokens for uploads and downloads. */
    public final class Service {
        Service() {
        }

        /** Go's {@code TransferFile}: a token for uploading the file {@code args} describes. */
        public TokenReply transferFile(FileTransferArgs args) {
            return channel.issue(conn -> {
                if (upload != null) {
                    upload.upload(conn, args);
                }
            });
        }

        /** Go's {@code DownloadFile}: a token for downloading the file {@code args} names. */
        public TokenReply downloadFile(DownloadFileArgs args) {
            return channel.issue(conn -> {
                if (download != null) {
                    download.download(conn, args);
                }
            });
        }
    }
}
