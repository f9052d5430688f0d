package rpcx.transport.tcp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/** Fresh unix socket paths in a temporary directory (short enough for the 108-byte limit). */
final class SocketPaths {
    private final Path dir;
    private final AtomicInteger next = new AtomicInteger();

    SocketPaths() {
        try {
            dir = Files.createTempDirectory("rpcx-sock");
            dir.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String next() {
        Path p = dir.resolve("s" + next.incrementAndGet() + ".sock");
        p.toFile().deleteOnExit();
        return p.toString();
    }
}
