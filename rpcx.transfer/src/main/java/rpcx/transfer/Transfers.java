package rpcx.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import rpcx.api.XClient;

/**
 * The client side of the side channels (Go's {@code XClient.SendFile}, {@code DownloadFile} and {@code Stream}),
 * against Go's and this module's servers. The {@link XClient} is one for the service ({@value
 * FileTransfer#SERVICE_NAME} or {@value StreamService#SERVICE_NAME}); its fail mode and selector pick the server, and
 * its connect timeout bounds the dial of the side channel.
 */
public final class Transfers {
    private static final int BUFFER = 64 * 1024;

    private Transfers() {
    }

    /**
     * Uploads a file (Go's {@code SendFile}): its name (without folders), size and {@code meta} go in the call, then
     * its bytes over the side channel.
     *
     * @param bytesPerSecond at most this many bytes a second (a bucket holding one second's worth, as Go's); 0 = no limit
     * @throws TransferException when the file cannot be read or the side channel fails; rpcx errors as for any call
     */
    public static void sendFile(XClient client, Path file, long bytesPerSecond, Map<String, String> meta) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new TransferException("cannot read " + file + ": " + e.getMessage(), e);
        }
        TokenReply reply = client.call("TransferFile", new FileTransferArgs(file.getFileName().toString(), size, meta),
                TokenReply.class);
        try (InputStream in = Files.newInputStream(file); Socket s = connect(client, reply)) {
            OutputStream out = s.getOutputStream();
            byte[] buf = new byte[bytesPerSecond > 0 ? (int) Math.min(BUFFER, Math.max(1, bytesPerSecond)) : BUFFER];
            long start = System.nanoTime();
            long sent = 0;
            for (int n = in.read(buf); n > 0; n = in.read(buf)) {
                if (bytesPerSecond > 0) {
                    pace(start, sent + n, bytesPerSecond);
                }
                out.write(buf, 0, n);
                sent += n;
            }
            out.flush();
            s.shutdownOutput();
            awaitClose(s);
        } catch (IOException e) {
            throw new TransferException("sending " + file + " to " + reply.addr() + " failed: " + e.getMessage(), e);
        }
    }

    /** Waits (at most 30 s) for the server to close, which it does once it has read the file. */
    private static void awaitClose(Socket s) throws IOException {
        s.setSoTimeout(30_000);
        try {
            while (s.getInputStream().read() >= 0) {
                // a Go handler writes nothing back; anything written is dropped
            }
        } catch (java.net.SocketTimeoutException e) {
            // the server keeps it open: the bytes were sent, close from this side as Go's client does
        }
    }

    /** Waits until a bucket of one second's worth, filling at {@code rate}, holds {@code total} bytes since start. */
    private static void pace(long startNanos, long total, long rate) {
        long allowedAtNanos = startNanos + (long) ((total - rate) * 1e9 / rate);
        long wait = allowedAtNanos - System.nanoTime();
        if (wait > 0) {
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TransferException("interrupted while sending");
            }
        }
    }

    /**
     * Downloads a file (Go's {@code DownloadFile}): everything the server writes until it closes goes to
     * {@code saveTo}, which is not closed.
     *
     * @return the number of bytes received
     * @throws TransferException when the side channel fails or {@code saveTo} cannot be written
     */
    public static long downloadFile(XClient client, String fileName, OutputStream saveTo, Map<String, String> meta) {
        TokenReply reply = client.call("DownloadFile", new DownloadFileArgs(fileName, meta), TokenReply.class);
        try (Socket s = connect(client, reply)) {
            return s.getInputStream().transferTo(saveTo);
        } catch (IOException e) {
            throw new TransferException("downloading " + fileName + " from " + reply.addr() + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Opens a stream (Go's {@code Stream}): the connection, token already sent. The caller closes it.
     *
     * @throws TransferException when the side channel cannot be reached; a refusal comes as the service's error
     */
    public static Socket stream(XClient client, Map<String, String> meta) {
        return connect(client, client.call("Stream", new StreamArgs(meta), TokenReply.class));
    }

    private static Socket connect(XClient client, TokenReply reply) {
        if (reply.token() == null || reply.token().length == 0 || reply.addr() == null) {
            throw new TransferException("the server sent no token or address");
        }
        Socket s = new Socket();
        try {
            s.connect(SideChannel.dialAddress(reply.addr()), (int) Math.min(Integer.MAX_VALUE,
                    client.options().connectTimeout().toMillis()));
            s.getOutputStream().write(reply.token());
            return s;
        } catch (IOException | RuntimeException e) {
            try {
                s.close();
            } catch (IOException ignored) {
                // already failing
            }
            if (e instanceof TransferException te) {
                throw te;
            }
            throw new TransferException("cannot reach the side channel at " + reply.addr() + ": " + e.getMessage(), e);
        }
    }
}
