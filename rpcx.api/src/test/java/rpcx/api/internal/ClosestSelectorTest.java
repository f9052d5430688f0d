package rpcx.api.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import rpcx.api.spi.SelectContext;
import rpcx.api.spi.Selector;

/** The nearest server by haversine distance; ties at random; servers without coordinates excluded. */
class ClosestSelectorTest {
    private static final SelectContext CTX = new SelectContext("Arith", "Mul", null);
    private static final String BEIJING = "latitude=39.9042&longitude=116.4074";
    private static final String SHANGHAI = "latitude=31.2304&longitude=121.4737";
    private static final String NEW_YORK = "latitude=40.7128&longitude=-74.0060";
    private static final Map<String, String> TIANJIN = Map.of("latitude", "39.3434", "longitude", "117.3616");

    private static Selector selector(Map<String, String> servers) {
        Selector s = new ClosestSelectorProvider().create(TIANJIN);
        s.updateServers(servers);
        return s;
    }

    @Test
    void providerName() {
        assertEquals(rpcx.api.SelectMode.CLOSEST.providerName(), new ClosestSelectorProvider().name());
    }

    @Test
    void distances() {
        double tianjinBeijing = ClosestSelectorProvider.distanceMeters(39.3434, 117.3616, 39.9042, 116.4074);
        double beijingNewYork = ClosestSelectorProvider.distanceMeters(39.9042, 116.4074, 40.7128, -74.0060);
        System.out.printf("Tianjin-Beijing %.1f km, Beijing-New York %.1f km%n", tianjinBeijing / 1000,
                beijingNewYork / 1000);
        assertEquals(105_000, tianjinBeijing, 10_000);
        assertEquals(11_000_000, beijingNewYork, 200_000);
        assertEquals(0, ClosestSelectorProvider.distanceMeters(10, 20, 10, 20));
        // half the circumference between antipodes, with Go's radius
        assertEquals(Math.PI * 6_378_100, ClosestSelectorProvider.distanceMeters(0, 0, 0, 180), 1e-6);
    }

    @Test
    void picksTheNearest() {
        Selector s = selector(Map.of("tcp@beijing:8972", BEIJING, "tcp@shanghai:8972", SHANGHAI,
                "tcp@newyork:8972", NEW_YORK));
        for (int i = 0; i < 100; i++) {
            assertEquals("tcp@beijing:8972", s.select(CTX));
        }
        Selector ny = new ClosestSelectorProvider().create(Map.of("latitude", "40.0", "longitude", "-75.0"));
        ny.updateServers(Map.of("tcp@beijing:8972", BEIJING, "tcp@shanghai:8972", SHANGHAI,
                "tcp@newyork:8972", NEW_YORK));
        assertEquals("tcp@newyork:8972", ny.select(CTX));
        // an update recomputes
        s.updateServers(Map.of("tcp@shanghai:8972", SHANGHAI, "tcp@newyork:8972", NEW_YORK));
        assertEquals("tcp@shanghai:8972", s.select(CTX));
    }

    @Test
    void tiesAreBrokenAtRandom() {
        Selector s = selector(Map.of("tcp@b1:8972", BEIJING, "tcp@b2:8972", "group=x&" + BEIJING,
                "tcp@shanghai:8972", SHANGHAI));
        Map<String, Integer> c = new HashMap<>();
        for (int i = 0; i < 1000; i++) {
            c.merge(s.select(CTX), 1, Integer::sum);
        }
        assertEquals(2, c.size(), c.toString());
        assertTrue(c.get("tcp@b1:8972") > 350 && c.get("tcp@b2:8972") > 350, c.toString());
    }

    @Test
    void serversWithoutValidCoordinatesAreExcluded() {
        Map<String, String> servers = new HashMap<>();
        servers.put("tcp@none:8972", "");
        servers.put("tcp@latonly:8972", "latitude=39.3434");
        servers.put("tcp@bad:8972", "latitude=abc&longitude=117.3616");
        servers.put("tcp@javasuffix:8972", "latitude=39.3434d&longitude=117.3616");
        servers.put("tcp@space:8972", "latitude=%2039.3434&longitude=117.3616");
        servers.put("tcp@range:8972", "latitude=139.3434&longitude=117.3616");
        servers.put("tcp@nan:8972", "latitude=NaN&longitude=117.3616");
        servers.put("tcp@malformed:8972", "latitude=39.3434&longitude=117.3616&x=%zz");
        servers.put("tcp@newyork:8972", NEW_YORK);
        Selector s = selector(servers);
        for (int i = 0; i < 100; i++) {
            assertEquals("tcp@newyork:8972", s.select(CTX));
        }
        assertEquals(39.5, ClosestSelectorProvider.serverCoordinate("39.5", 90));
        assertEquals(-180, ClosestSelectorProvider.serverCoordinate("-180", 180));
        assertTrue(Double.isNaN(ClosestSelectorProvider.serverCoordinate("180.5", 180)));
        assertTrue(Double.isNaN(ClosestSelectorProvider.serverCoordinate("Infinity", 180)));
    }

    @Test
    void noCoordinatesMeansNoServer() {
        assertNull(selector(Map.of("tcp@a:8972", "", "tcp@b:8972", "weight=3")).select(CTX));
        assertNull(selector(Map.of()).select(CTX));
    }

    @Test
    void clientCoordinatesAreRequired() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ClosestSelectorProvider().create(Map.of()));
        assertTrue(e.getMessage().contains("latitude") && e.getMessage().contains("longitude"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ClosestSelectorProvider().create());
        assertTrue(e.getMessage().contains("latitude"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new ClosestSelectorProvider().create(Map.of("latitude", "39.1")));
        assertTrue(e.getMessage().contains("longitude is missing"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new ClosestSelectorProvider().create(Map.of("latitude", "north", "longitude", "1")));
        assertTrue(e.getMessage().contains("latitude=north"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new ClosestSelectorProvider().create(Map.of("latitude", "1", "longitude", "200")));
        assertTrue(e.getMessage().contains("longitude=200"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new ClosestSelectorProvider().create(Map.of("latitude", "NaN", "longitude", "1")));
        assertTrue(e.getMessage().contains("latitude"), e.getMessage());
        // what XClient.Builder passes: Double.toString
        new ClosestSelectorProvider().create(Map.of("latitude", Double.toString(1e-5), "longitude", "-0.0"));
    }
}
