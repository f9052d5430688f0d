package rpcx.api.protocol;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** The frames of {@code shared/spec/golden-frames.txt}, produced by Go rpcx, with their descriptions. */
public final class GoldenFrames {
    /** One golden frame. */
    public record Frame(String description, byte[] bytes) {
    }

    private GoldenFrames() {
    }

    /** Finds {@code shared/spec/golden-frames.txt} beside the checkout (walking up from the working directory). */
    public static Path file() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path p = dir.resolve("shared/spec/golden-frames.txt");
            if (Files.isRegularFile(p)) {
                return p;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("shared/spec/golden-frames.txt not found above " + Path.of("").toAbsolutePath());
    }

    /** All frames in file order; a frame's description is the nearest '#' line above it. */
    public static List<Frame> all() {
        try {
            List<Frame> out = new ArrayList<>();
            String description = "";
            for (String line : Files.readAllLines(file())) {
                line = line.strip();
                if (line.startsWith("#")) {
                    description = line.substring(1).strip();
                } else if (!line.isEmpty()) {
                    out.add(new Frame(description + " [" + out.size() + "]", HexFormat.of().parseHex(line)));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first frame whose description contains the text. */
    public static byte[] find(String descriptionPart) {
        return all().stream().filter(f -> f.description().contains(descriptionPart)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no golden frame: " + descriptionPart)).bytes();
    }
}
