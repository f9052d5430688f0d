package rpcx.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

import rpcx.api.spi.ServiceDiscovery;

/**
 * Go's {@code CacheDiscovery(threshold, file, d)}: keeps the largest server list a discovery has shown in a file,
 * and serves it instead whenever the discovery shows {@code threshold} servers or fewer — after a registry was
 * wiped, say, or when a client starts while its servers' registrations are missing. The file holds Go's JSON,
 * {@code [{"Key":"tcp@host:port","Value":"weight=7"}]}.
 *
 * <p>Unlike Go, watchers get the same choice as {@link #servers()} (Go hands them the registry's list as is), and a
 * list is served from the file as soon as the file has one (Go keeps returning an empty list until it has cached
 * one itself). Clones ({@link #forService}) cache in a file of their own next to this one.
 */
public final class CachedDiscovery implements ServiceDiscovery {
    private static final System.Logger LOG = System.getLogger("rpcx.client");

    private final ServiceDiscovery delegate;
    private final int threshold;
    private final Path file;
    private volatile List<ServerNode> cached;

    private CachedDiscovery(ServiceDiscovery delegate, int threshold, Path file) {
        this.delegate = Objects.requireNonNull(delegate, "discovery");
        this.threshold = threshold;
        this.file = file;
        this.cached = load(file);
    }

    /**
     * Wraps a discovery; {@code file} null means Go's default, {@code .cache/discovery.json}.
     *
     * @throws UncheckedIOException when the file's folder cannot be created
     */
    public static CachedDiscovery of(ServiceDiscovery discovery, int threshold, Path file) {
        Path f = file != null ? file : Path.of(".cache", "discovery.json");
        try {
            Path dir = f.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the folder of the discovery cache " + f, e);
        }
        return new CachedDiscovery(discovery, threshold, f);
    }

    /** The file the list is kept in. */
    public Path file() {
        return file;
    }

    @Override
    public List<ServerNode> servers() {
        return choose(delegate.servers());
    }

    /** Go's rule: a list above the threshold is served (and kept if it is the largest yet), else the kept one. */
    private List<ServerNode> choose(List<ServerNode> now) {
        if (now.size() > threshold) {
            if (now.size() > cached.size()) {
                cached = now;
                store(now);
            }
            return now;
        }
        return cached.isEmpty() ? now : cached;
    }

    @Override
    public AutoCloseable watch(Consumer<List<ServerNode>> listener) {
        Objects.requireNonNull(listener, "listener");
        return delegate.watch(list -> listener.accept(choose(list)));
    }

    @Override
    public ServiceDiscovery forService(String servicePath) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String own = dot > 0 ? name.substring(0, dot) + "-" + servicePath + name.substring(dot) : name + "-" + servicePath;
        return of(delegate.forService(servicePath), threshold, file.resolveSibling(own));
    }

    @Override
    public void close() {
        delegate.close();
    }

    private void store(List<ServerNode> nodes) {
        StringBuilder json = new StringBuilder("[");
        for (ServerNode n : nodes) {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append("{\"Key\":");
            quote(json, n.address());
            json.append(",\"Value\":");
            quote(json, n.metadata());
            json.append('}');
        }
        json.append(']');
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, json, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "rpcx: cannot write the discovery cache " + file + ": " + e);
        }
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    /** Reads the file written by {@link #store} (or by Go); an unreadable or malformed file is an empty list. */
    private static List<ServerNode> load(Path file) {
        String json;
        try {
            if (!Files.isRegularFile(file)) {
                return List.of();
            }
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "rpcx: cannot read the discovery cache " + file + ": " + e);
            return List.of();
        }
        try {
            return new Reader(json).nodes();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "rpcx: ignoring the malformed discovery cache " + file + ": " + e.getMessage());
            return List.of();
        }
    }

    /** Just enough JSON for an array of objects with string members (others are skipped when they are strings). */
    private static final class Reader {
        private final String s;
        private int i;

        Reader(String s) {
            this.s = s;
        }

        List<ServerNode> nodes() {
            List<ServerNode> out = new ArrayList<>();
            expect('[');
            if (peek() == ']') {
                i++;
                return List.copyOf(out);
            }
            do {
                expect('{');
                String key = null;
                String value = "";
                if (peek() != '}') {
                    do {
                        String name = string();
                        expect(':');
                        String v = string();
                        if (name.equals("Key")) {
                            key = v;
                        } else if (name.equals("Value")) {
                            value = v;
                        }
                    } while (comma());
                }
                expect('}');
                if (key == null) {
                    throw new IllegalArgumentException("an entry without \"Key\"");
                }
                out.add(new ServerNode(key, value));
            } while (comma());
            expect(']');
            return List.copyOf(out);
        }

        private char peek() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            if (i >= s.length()) {
                throw new IllegalArgumentException("unexpected end");
            }
            return s.charAt(i);
        }

        private void expect(char c) {
            if (peek() != c) {
                throw new IllegalArgumentException("expected '" + c + "' at " + i);
            }
            i++;
        }

        private boolean comma() {
            if (peek() == ',') {
                i++;
                return true;
            }
            return false;
        }

        private String string() {
            expect('"');
            StringBuilder sb = new StringBuilder();
            while (true) {
                if (i >= s.length()) {
                    throw new IllegalArgumentException("unterminated string");
                }
                char c = s.charAt(i++);
                if (c == '"') {
                    return sb.toString();
                }
                if (c == '\\') {
                    char e = s.charAt(i++);
                    switch (e) {
                        case 'n' -> sb.append('\n');
                        case 't' -> sb.append('\t');
                        case 'r' -> sb.append('\r');
                        case 'b' -> sb.append('\b');
                        case 'f' -> sb.append('\f');
                        case 'u' -> {
                            sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                            i += 4;
                        }
                        default -> sb.append(e); // \" \\ \/
                    }
                } else {
                    sb.append(c);
                }
            }
        }
    }
}
