package rpcx.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import rpcx.api.protocol.FrameCodec;
import rpcx.api.protocol.FrameLimits;
import rpcx.api.protocol.Message;

/**
 * The frames Go rpcx produced ({@code shared/spec/golden-frames.txt}, found by walking up from the working
 * directory to the folder beside the checkout). Each frame is labelled with the nearest {@code #} line above it.
 */
public final class GoldenFrames {
    /**
     * One golden frame.
     *
     * @param label the {@code #} line describing it
     * @param bytes the frame as Go wrote it
     */
    public record Frame(String label, byte[] bytes) {
        /** The frame decoded with the default limits. */
        public Message message() {
            return FrameCodec.decode(ByteBuffer.wrap(bytes), FrameLimits.DEFAULT);
        }

        /** The frame in lower-case hex. */
        public String hex() {
            return HexFormat.of().formatHex(bytes);
        }
    }

    private GoldenFrames() {
    }

    /** The golden file; fails with a clear message when the shared folder is not beside the checkout. */
    public static Path file() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path p = dir.resolve("shared/spec/golden-frames.txt");
            if (Files.isRegularFile(p)) {
                return p;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("shared/spec/golden-frames.txt not found above " + Path.of("").toAbsolutePath()
                + ": the shared folder must sit beside the checkout");
    }

    /** All frames, in file order. */
    public static List<Frame> all() {
        try {
            List<Frame> out = new ArrayList<>();
            String label = "";
            for (String line : Files.readAllLines(file())) {
                line = line.strip();
                if (line.startsWith("#")) {
                    label = line.substring(1).strip();
                } else if (!line.isEmpty()) {
                    out.add(new Frame(label, HexFormat.of().parseHex(line)));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code offset}-th frame after the first one whose label contains the text (0 = that frame). */
    public static Frame find(String labelPart, int offset) {
        List<Frame> all = all();
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).label().contains(labelPart)) {
                return all.get(i + offset);
            }
        }
        throw new IllegalArgumentException("no golden frame labelled like: " + labelPart);
    }

    /** The first frame whose label contains the text. */
    public static Frame find(String labelPart) {
        return find(labelPart, 0);
    }
}
