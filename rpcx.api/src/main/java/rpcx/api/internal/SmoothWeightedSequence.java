package rpcx.api.internal;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One immutable generation of nginx's smooth weighted round-robin, shared by the weighted round-robin and the
 * weighted ICMP selectors (one implementation for both).
 *
 * <p>The algorithm, per pick: every candidate's {@code current += weight}; the candidate with the largest
 * {@code current} (the first one in candidate order on a tie) is picked; the picked one's
 * {@code current -= totalWeight}. The sequence of picks repeats every {@code totalWeight} picks, so, like Go's
 * {@code container/ring} of {@code totalWeight} slots, it is computed once when the servers change and
 * {@link #next()} just reads slot {@code counter++ mod length}: O(1), lock-free, no allocation.
 *
 * <p>Weights are first divided by their greatest common divisor, which gives exactly the same picks (every
 * {@code current} is scaled by the same factor, so every comparison is unchanged). When the reduced total is still
 * huge (a weight of a billion, say, for which Go would allocate a ring of a billion slots), the sequence is not
 * precomputed: picks are computed one at a time under a short lock instead, with the same result.
 *
 * <p>A candidate with weight {@code <= 0} is never picked while another one has a positive weight; when no
 * candidate has a positive weight, every candidate counts as weight 1 (Go builds an empty ring then and its
 * {@code Select} panics; an even spread lets the call itself report why the servers cannot be reached).
 *
 * <p>Each generation has its own counter starting at 0, so a new generation starts at the beginning of its
 * sequence, as Go's rebuilt ring does.
 */
final class SmoothWeightedSequence {
    /** Largest precomputed sequence, in slots. */
    static final int MAX_SLOTS = 1 << 16;
    /** Largest precomputation effort, in slots times candidates. */
    private static final long MAX_WORK = 1L << 23;

    /** The generation with no servers: {@link #next()} returns null. */
    static final SmoothWeightedSequence EMPTY = new SmoothWeightedSequence(new String[0], null, null, null);

    /** The candidates in candidate order (positive weights only). */
    private final String[] servers;
    /** Precomputed picks, or null when picks are computed on the fly. */
    private final String[] slots;
    /** Reduced weights, for picks computed on the fly (null when precomputed). */
    private final long[] weights;
    /** Running {@code current} values, for picks computed on the fly (guarded by {@code this}). */
    private final long[] current;
    private final long total;
    private final AtomicLong counter = new AtomicLong();

    private SmoothWeightedSequence(String[] servers, String[] slots, long[] weights, long[] current) {
        this.servers = servers;
        this.slots = slots;
        this.weights = weights;
        this.current = current;
        long t = 0;
        if (weights != null) {
            for (long w : weights) {
                t += w;
            }
        }
        this.total = t;
    }

    /**
     * Builds a generation.
     *
     * @param servers candidates in the order ties are broken (callers sort them by address); not modified
     * @param weights their weights, same length; {@code <= 0} means never picked (see the class description)
     */
    static SmoothWeightedSequence build(String[] servers, long[] weights) {
        if (servers.length != weights.length) {
            throw new IllegalArgumentException("servers and weights differ in length");
        }
        if (servers.length == 0) {
            return EMPTY;
        }
        int live = 0;
        for (long w : weights) {
            if (w > 0) {
                live++;
            }
        }
        String[] cand;
        long[] w;
        if (live == 0) {
            cand = servers.clone();
            w = new long[servers.length];
            Arrays.fill(w, 1);
        } else {
            cand = new String[live];
            w = new long[live];
            for (int i = 0, j = 0; i < servers.length; i++) {
                if (weights[i] > 0) {
                    cand[j] = servers[i];
                    w[j++] = weights[i];
                }
            }
        }
        long g = 0;
        for (long x : w) {
            g = gcd(g, x);
        }
        long total = 0;
        for (int i = 0; i < w.length; i++) {
            w[i] /= g;
            total += w[i];
        }
        if (cand.length == 1) {
            return new SmoothWeightedSequence(cand, new String[] {cand[0]}, null, null);
        }
        if (total <= MAX_SLOTS && total * cand.length <= MAX_WORK) {
            String[] slots = new String[(int) total];
            long[] cur = new long[cand.length];
            for (int s = 0; s < slots.length; s++) {
                slots[s] = cand[pick(w, cur, total)];
            }
            return new SmoothWeightedSequence(cand, slots, null, null);
        }
        return new SmoothWeightedSequence(cand, null, w, new long[cand.length]);
    }

    /** One step of the smooth algorithm; returns the picked index. */
    private static int pick(long[] w, long[] cur, long total) {
        int best = 0;
        for (int i = 0; i < w.length; i++) {
            cur[i] += w[i];
            if (cur[i] > cur[best]) {
                best = i;
            }
        }
        cur[best] -= total;
        return best;
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    /** The next pick, or null when there are no servers. Thread-safe; lock-free unless the weights are huge. */
    String next() {
        String[] s = slots;
        if (s != null) {
            return s[(int) Math.floorMod(counter.getAndIncrement(), (long) s.length)];
        }
        if (weights == null) {
            return null;
        }
        synchronized (this) {
            return servers[pick(weights, current, total)];
        }
    }

    /** The candidates that can be picked (positive weight, or all when none has one), in candidate order. */
    String[] candidates() {
        return servers.clone();
    }

    /** The length of one period of the sequence (the reduced total weight); 0 when empty. */
    long period() {
        return slots != null ? slots.length : total;
    }
}
