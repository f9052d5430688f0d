package rpcx.it;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Golden frames from Go rpcx ({@code shared/spec/golden-frames.txt}) and raw frame reading. */
final class Frames {
    record Golden(String description, byte[] bytes) {
    }

    private Frames() {
    }

    static List<Golden> golden() throws IOException {
        Path dir = Path.of("").toAbsolutePath();
        Path file = null;
        while (dir != null && file == null) {
            Path p = dir.resolve("shared/spec/golden-frames.txt");
            file = Files.isRegularFile(p) ? p : null;
            dir = dir.getParent();
        }
        if (file == null) {
            throw new IllegalStateException("shared/spec/golden-frames.txt not found beside the checkout");
        }
        List<Golden> out = new ArrayList<>();
        String description = "";
        for (String line : Files.readAllLines(file)) {
            line = line.strip();
            if (line.startsWith("#")) {
                description = line.substring(1).strip();
            } else if (!line.isEmpty()) {
                out.add(new Golden(description, HexFormat.of().parseHex(line)));
            }
        }
        return out;
    }

    /** The golden frame following the '#' line that contains the text (index 0) or the n-th frame after it. */
    static byte[] golden(String description, int index) throws IOException {
        List<Golden> all = golden();
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).description().contains(description)) {
                return all.get(i + index).bytes();
            }
        }
        throw new IllegalArgumentException("no golden frame: " + description);
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
