package rpcx.api.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

import rpcx.api.ServerNode;
import rpcx.api.spi.SelectContext;
import rpcx.api.spi.Selector;
import rpcx.api.spi.SelectorProvider;

/**
 * Go's {@code Closest} ({@code NewGeoSelector} / {@code ConfigGeoSelector}): the server nearest to the client,
 * by the haversine great-circle distance on a sphere of radius 6,378,100 m (Go's {@link #distanceMeters}), from
 * the client's coordinates (settings {@code latitude} and {@code longitude}, decimal degrees, required) to each
 * server's metadata {@code latitude} and {@code longitude}.
 *
 * <ul>
 *   <li>Servers without both coordinates, with one Go's {@code strconv.ParseFloat} would reject, with metadata
 *       Go's {@code url.ParseQuery} rejects, or (stricter than Go) with non-finite or out-of-range coordinates
 *       (latitude beyond ±90, longitude beyond ±180) are never picked.</li>
 *   <li>Servers at exactly the smallest distance are picked at random, uniformly.</li>
 *   <li>When no server has coordinates, {@code select} returns null (no server).</li>
 * </ul>
 * The set of nearest servers is computed on every update, so {@code select} is O(1) and lock-free.
 */
public final class ClosestSelectorProvider implements SelectorProvider {
    /** The Earth radius Go's {@code getDistanceFrom} uses, in metres. */
    public static final double EARTH_RADIUS_METERS = 6_378_100;

    /** Creates the provider; cheap (no threads, no state). */
    public ClosestSelectorProvider() {
    }

    /** {@code "closest"}, the name of {@link rpcx.api.SelectMode#CLOSEST}. */
    @Override
    public String name() {
        return "closest";
    }

    /**
     * Always fails: this selector needs the client's coordinates; use {@link #create(Map)}.
     *
     * @throws IllegalArgumentException always, naming the settings {@code latitude} and {@code longitude}
     */
    @Override
    public Selector create() {
        return create(Map.of());
    }

    /**
     * A new selector for a client at settings {@code latitude} (-90..90) and {@code longitude} (-180..180), in
     * decimal degrees ({@code "39.9042"}); other settings are ignored.
     *
     * @throws IllegalArgumentException when {@code latitude} or {@code longitude} is missing, not a number or out of
     *                                  range (the message names the setting)
     */
    @Override
    public Selector create(Map<String, String> settings) {
        Map<String, String> s = settings == null ? Map.of() : settings;
        double lat = coordinate(s, "latitude", 90);
        double lon = coordinate(s, "longitude", 180);
        return new ClosestSelector(lat, lon);
    }

    private static double coordinate(Map<String, String> settings, String key, double limit) {
        String v = settings.get(key);
        if (v == null) {
            throw new IllegalArgumentException("the closest selector needs the client's coordinates: settings "
                    + "latitude and longitude (decimal degrees); " + key + " is missing");
        }
        double d;
        try {
            d = Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("closest selector setting " + key + "=" + v + " is not a number", e);
        }
        if (!(Math.abs(d) <= limit)) {
            throw new IllegalArgumentException("closest selector setting " + key + "=" + v + " is out of range -"
                    + (int) limit + ".." + (int) limit);
        }
        return d;
    }

    /**
     * Go's {@code getDistanceFrom}: the haversine distance in metres between two points given in decimal degrees,
     * on a sphere of radius {@link #EARTH_RADIUS_METERS}.
     */
    public static double distanceMeters(double lat1, double lon1, double lat2, double lon2) {
        double la1 = lat1 * Math.PI / 180;
        double lo1 = lon1 * Math.PI / 180;
        double la2 = lat2 * Math.PI / 180;
        double lo2 = lon2 * Math.PI / 180;
        double h = hsin(la2 - la1) + Math.cos(la1) * Math.cos(la2) * hsin(lo2 - lo1);
        return 2 * EARTH_RADIUS_METERS * Math.asin(Math.sqrt(h));
    }

    private static double hsin(double theta) {
        double s = Math.sin(theta / 2);
        return s * s;
    }

    /**
     * A server coordinate as Go's {@code strconv.ParseFloat} would read it, or NaN when Go would reject it or it is
     * not finite or beyond {@code limit}.
     */
    static double serverCoordinate(String v, double limit) {
        if (v == null || v.isEmpty() || !v.strip().equals(v)) {
            return Double.NaN;
        }
        char last = v.charAt(v.length() - 1);
        if (last == 'd' || last == 'D' || last == 'f' || last == 'F') {
            return Double.NaN; // Java's type suffixes, which Go does not accept
        }
        try {
            double d = Double.parseDouble(v);
            return Math.abs(d) <= limit ? d : Double.NaN;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** The selector: the nearest servers, recomputed on every update. */
    static final class ClosestSelector implements Selector {
        private final double latitude;
        private final double longitude;
        private volatile String[] nearest = new String[0];

        ClosestSelector(double latitude, double longitude) {
            this.latitude = latitude;
            this.longitude = longitude;
        }

        @Override
        public String select(SelectContext context) {
            String[] n = nearest;
            return switch (n.length) {
                case 0 -> null;
                case 1 -> n[0];
                default -> n[ThreadLocalRandom.current().nextInt(n.length)];
            };
        }

        @Override
        public void updateServers(Map<String, String> servers) {
            List<String> best = new ArrayList<>();
            double min = Double.POSITIVE_INFINITY;
            for (Map.Entry<String, String> e : new TreeMap<>(servers).entrySet()) {
                ServerNode node = new ServerNode(e.getKey(), e.getValue());
                if (!node.isMetadataWellFormed()) {
                    continue;
                }
                double lat = serverCoordinate(node.metadataValue("latitude"), 90);
                double lon = serverCoordinate(node.metadataValue("longitude"), 180);
                if (Double.isNaN(lat) || Double.isNaN(lon)) {
                    continue;
                }
                double d = distanceMeters(latitude, longitude, lat, lon);
                if (d < min) {
                    min = d;
                    best.clear();
                    best.add(e.getKey());
                } else if (d == min) {
                    best.add(e.getKey());
                }
            }
            nearest = best.toArray(String[]::new);
        }
    }
}
