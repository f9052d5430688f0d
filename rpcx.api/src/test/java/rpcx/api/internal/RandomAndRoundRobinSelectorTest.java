package rpcx.api.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import rpcx.api.spi.SelectContext;
import rpcx.api.spi.Selector;

/** Go's RandomSelect (uniform per call) and RoundRobin (each server in turn), on server list updates too. */
class RandomAndRoundRobinSelectorTest {
    private static final SelectContext CTX = new SelectContext("Arith", "Mul", null);
    private static final Map<String, String> THREE = Map.of("tcp@c:1", "", "tcp@a:1", "weight=9", "tcp@b:1", "");

    @Test
    void roundRobinTakesEachServerInTurnAndFollowsUpdates() {
        Selector s = new RoundRobinSelectorProvider().create();
        assertNull(s.select(CTX), "no server: none selected");
        s.updateServers(THREE);
        List<String> picked = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            picked.add(s.select(CTX));
        }
        assertEquals(List.of("tcp@a:1", "tcp@b:1", "tcp@c:1", "tcp@a:1", "tcp@b:1", "tcp@c:1", "tcp@a:1"), picked,
                "in address order, weights ignored");
        s.updateServers(Map.of("tcp@d:1", "", "tcp@e:1", ""));
        assertEquals(Map.of("tcp@d:1", 5, "tcp@e:1", 5), counts(s, 10), "only the new servers, evenly");
        s.updateServers(Map.of());
        assertNull(s.select(CTX));
    }

    @Test
    void randomSpreadsCallsEvenlyAndOnlyOverTheCurrentServers() {
        Selector s = new RandomSelectorProvider().create();
        assertNull(s.select(CTX));
        s.updateServers(THREE);
        Map<String, Integer> c = counts(s, 30_000);
        assertEquals(THREE.keySet(), c.keySet());
        // 10,000 expected each; the standard deviation is about 82, so ±800 never fails by chance
        c.values().forEach(n -> assertTrue(Math.abs(n - 10_000) < 800, c.toString()));
        s.updateServers(Map.of("tcp@z:1", ""));
        assertEquals(Map.of("tcp@z:1", 100), counts(s, 100));
    }

    private static Map<String, Integer> counts(Selector s, int n) {
        Map<String, Integer> c = new HashMap<>();
        for (int i = 0; i < n; i++) {
            c.merge(s.select(CTX), 1, Integer::sum);
        }
        return c;
    }
}
