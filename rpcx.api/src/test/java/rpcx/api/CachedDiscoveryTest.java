package rpcx.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Go's CacheDiscovery: the largest list kept on disk and served when the registry shows too few servers. */
class CachedDiscoveryTest {
    private static final ServerNode A = new ServerNode("tcp@10.0.0.1:8972", "weight=7&group=test");
    private static final ServerNode B = new ServerNode("tcp@10.0.0.2:8972", "say \"hi\"\\n");

    @Test
    void aListAboveTheThresholdIsServedAndKeptAndTooFewServersAreReplacedByIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("cache/discovery.json");
        MultipleServersDiscovery registry = new MultipleServersDiscovery(List.of(A, B));
        try (CachedDiscovery d = CachedDiscovery.of(registry, 1, file)) {
            List<List<ServerNode>> seen = new ArrayList<>();
            d.watch(seen::add);
            assertEquals(List.of(A, B), d.servers());
            assertEquals("[{\"Key\":\"tcp@10.0.0.1:8972\",\"Value\":\"weight=7&group=test\"},"
                    + "{\"Key\":\"tcp@10.0.0.2:8972\",\"Value\":\"say \\\"hi\\\"\\\\n\"}]", Files.readString(file));

            registry.update(List.of()); // the registry was wiped
            assertEquals(List.of(A, B), d.servers());
            assertEquals(List.of(List.of(A, B)), seen, "watchers get the kept list too");

            registry.update(List.of(B, A, new ServerNode("tcp@10.0.0.3:8972", "")));
            assertEquals(3, d.servers().size());
        }
        // a client started later while the registry shows nothing reads the file
        try (CachedDiscovery again = CachedDiscovery.of(new MultipleServersDiscovery(List.of()), 1, file)) {
            assertEquals(3, again.servers().size());
            assertEquals(A, again.servers().get(1));
        }
    }

    @Test
    void readsGosFileAndIgnoresAMalformedOne(@TempDir Path dir) throws Exception {
        Path go = dir.resolve("go.json");
        // what Go's json.Marshal writes: & escaped as \u0026
        Files.writeString(go, "[{\"Key\":\"tcp@10.0.0.1:8972\",\"Value\":\"weight=7\\u0026group=test\"}]\n", StandardCharsets.UTF_8);
        try (CachedDiscovery d = CachedDiscovery.of(new MultipleServersDiscovery(List.of()), 0, go)) {
            assertEquals(List.of(A), d.servers());
        }
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "[{\"Key\":", StandardCharsets.UTF_8);
        try (CachedDiscovery d = CachedDiscovery.of(new MultipleServersDiscovery(List.of(B)), 5, bad)) {
            assertEquals(List.of(B), d.servers(), "nothing usable cached: what the registry shows");
        }
    }

    @Test
    void clonesCacheInAFileOfTheirOwn(@TempDir Path dir) {
        try (CachedDiscovery d = CachedDiscovery.of(new MultipleServersDiscovery(List.of(A)), 0, dir.resolve("discovery.json"))) {
            CachedDiscovery clone = (CachedDiscovery) d.forService("Arith");
            assertEquals(dir.resolve("discovery-Arith.json"), clone.file());
            assertEquals(List.of(A), clone.servers());
            assertEquals(true, Files.exists(clone.file()));
        }
    }
}
