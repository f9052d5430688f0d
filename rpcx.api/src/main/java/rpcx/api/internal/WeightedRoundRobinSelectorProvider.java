package rpcx.api.internal;

import java.util.Map;

import rpcx.api.ServerNode;
import rpcx.api.spi.SelectContext;
import rpcx.api.spi.Selector;
import rpcx.api.spi.SelectorProvider;

/**
 * Go's {@code WeightedRoundRobin}: nginx's smooth weighted round-robin over the metadata {@code weight}.
 *
 * <p>The weight of a server is read from its URL-query metadata as Go does:
 * <ul>
 *   <li>no {@code weight}, an empty one, one that Go's {@code strconv.Atoi} rejects (not an optionally signed
 *       run of ASCII digits, or beyond 64 bits), or metadata that Go's {@code url.ParseQuery} rejects as a whole:
 *       weight <b>1</b>;</li>
 *   <li>{@code weight=0} or a negative weight: the server is <b>never picked</b> while another server has a
 *       positive weight (what Go's algorithm does with such weights: the operator's way to drain a server); when
 *       no server has a positive weight, every server counts as weight 1 (Go panics then);</li>
 *   <li>weights above {@link Integer#MAX_VALUE} count as {@link Integer#MAX_VALUE}.</li>
 * </ul>
 *
 * <p>Servers are ordered by address (ties in the algorithm go to the first), and the whole sequence of one period
 * is precomputed on every update, so {@code select} is O(1) and lock-free. For weights 5, 1, 1 of servers a, b, c
 * the picks are a, a, b, a, c, a, a, then again.
 */
public final class WeightedRoundRobinSelectorProvider implements SelectorProvider {
    /** Creates the provider; cheap (no threads, no state). */
    public WeightedRoundRobinSelectorProvider() {
    }

    /** {@code "weightedroundrobin"}, the name of {@link rpcx.api.SelectMode#WEIGHTED_ROUND_ROBIN}. */
    @Override
    public String name() {
        return "weightedroundrobin";
    }

    /** A new selector with no servers. */
    @Override
    public Selector create() {
        return new WeightedRoundRobinSelector();
    }

    /**
     * The weight Go's weighted round-robin gives a server with this metadata (see the class description): 1 by
     * default and when unparsable, 0 for a zero or negative weight (never picked while another is positive).
     */
    static long weightOf(String metadata) {
        ServerNode node = new ServerNode("", metadata);
        if (!node.isMetadataWellFormed()) {
            return 1;
        }
        String w = node.metadataValue("weight");
        if (w == null || w.isEmpty()) {
            return 1;
        }
        Long parsed = parseGoInt(w);
        if (parsed == null) {
            return 1;
        }
        long v = parsed;
        return v <= 0 ? 0 : Math.min(v, Integer.MAX_VALUE);
    }

    /** Go's {@code strconv.Atoi} on a 64-bit platform: optional sign, ASCII digits, int64 range; else null. */
    static Long parseGoInt(String s) {
        int i = 0;
        int n = s.length();
        if (n > 0 && (s.charAt(0) == '+' || s.charAt(0) == '-')) {
            i = 1;
        }
        if (i == n) {
            return null;
        }
        for (int k = i; k < n; k++) {
            char c = s.charAt(k);
            if (c < '0' || c > '9') {
                return null;
            }
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException outOfRange) {
            return null;
        }
    }

    /** The selector: an immutable generation replaced on every update. */
    static final class WeightedRoundRobinSelector implements Selector {
        private volatile SmoothWeightedSequence sequence = SmoothWeightedSequence.EMPTY;

        @Override
        public String select(SelectContext context) {
            return sequence.next();
        }

        @Override
        public void updateServers(Map<String, String> servers) {
            String[] addresses = servers.keySet().stream().sorted().toArray(String[]::new);
            long[] weights = new long[addresses.length];
            for (int i = 0; i < addresses.length; i++) {
                weights[i] = weightOf(servers.get(addresses[i]));
            }
            sequence = SmoothWeightedSequence.build(addresses, weights);
        }
    }
}
