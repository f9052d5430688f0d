package rpcx.it;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.HexFormat;

import rpcx.testkit.GoldenFrames;

/** Golden frames from Go rpcx and raw frame reading. */
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
}
