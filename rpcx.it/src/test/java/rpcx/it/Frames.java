package rpcx.it;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;

import rpcx.testkit.GoldenFrames;

/** Golden frames from Go rpcx, raw frame reading, and a raw socket playing a Go server. */
final class Frames {
    private Frames() {
    }

    /** The bytes of the {@code index}-th golden frame after the one labelled like {@code description}. */
    static byte[] golden(String description, int index) {
        return GoldenFrames.find(description, index).bytes();
    }

    /** Reads one whole frame (16-byte prefix + totalLen) from a stream. */
    static byte[] read(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        byte[] prefix = new byte[16];
        d.readFully(prefix);
        int total = ByteBuffer.wrap(prefix).getInt(12);
        byte[] frame = new byte[16 + total];
        System.arraycopy(prefix, 0, frame, 0, 16);
        d.readFully(frame, 16, total);
        return frame;
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    /** Bytes from hex, ignoring spaces and {@code |} separators. */
    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("[\\s|]", ""));
    }

    /**
     * A raw socket plays a Go rpcx server for one connection: reads the client's first frame, answers with
     * {@code response}, waits for the client to close, and yields the frame it read.
     */
    static CompletableFuture<byte[]> fakeGoServer(ServerSocket ss, byte[] response) {
        return CompletableFuture.supplyAsync(() -> {
            try (Socket s = ss.accept()) {
                s.setSoTimeout(10_000);
                byte[] req = read(s.getInputStream());
                s.getOutputStream().write(response);
                s.getOutputStream().flush();
                s.getInputStream().read(); // wait for the client to close
                return req;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
