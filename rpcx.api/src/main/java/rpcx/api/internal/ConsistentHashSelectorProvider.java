package rpcx.api.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import rpcx.api.spi.SelectContext;
import rpcx.api.spi.Selector;
import rpcx.api.spi.SelectorProvider;

/**
 * Go's {@code ConsistentHash}: calls with equal service, method and arguments go to the same server, and a change
 * of servers moves as few calls as possible.
 *
 * <p>The key is {@link ConsistentHashing#key}: FNV-1a 64 of {@code "/" + servicePath + "/" + serviceMethod + "/"
 * + argsKey}, where the args key renders the arguments like Go's {@code %v} ({@link ConsistentHashing#argsKey}),
 * the same in every JVM. The key is mapped to a server with the scheme of {@code edwingeng/doublejump}, which Go
 * rpcx uses, a jump consistent hash that supports removal:
 * <ul>
 *   <li>a <i>loose</i> table of slots where a removed server leaves a hole and an added server fills the most
 *       recently freed hole, else is appended; the key is jumped over all its slots;</li>
 *   <li>a key that lands on a hole is jumped again, with a remixed key, over a <i>compact</i> list of the live
 *       servers (a removal moves the last one into the freed place).</li>
 * </ul>
 * So removing a server moves exactly the keys that were on it (spread over the others), and adding one moves only
 * the keys that land on its slot. A fresh selector fills its slots in address order, so two JVMs given the same
 * servers pick the same server for the same key. (Go adds in map order, which differs run to run, and in one update
 * adds the new servers before it removes the old ones; here removals come first, so a replaced server's slot goes
 * to its replacement and no other key moves.) When all servers are gone the tables start afresh.
 *
 * <p>{@code select} reads an immutable snapshot: no locks; its only allocation is the text of the key.
 */
public final class ConsistentHashSelectorProvider implements SelectorProvider {
    /** The multiplier doublejump uses to remix a key for the second jump. */
    static final long REMIX = 0xc6a4a7935bd1e995L;

    /** Creates the provider; cheap (no threads, no state). */
    public ConsistentHashSelectorProvider() {
    }

    /** {@code "consistenthash"}, the name of {@link rpcx.api.SelectMode#CONSISTENT_HASH}. */
    @Override
    public String name() {
        return "consistenthash";
    }

    /** A new selector with no servers. */
    @Override
    public Selector create() {
        return new ConsistentHashSelector();
    }

    /** One immutable state of the two tables. */
    record Tables(String[] loose, String[] compact) {
        static final Tables EMPTY = new Tables(new String[0], new String[0]);

        /** The server of a key, or null when there is none. */
        String get(long key) {
            String[] c = compact;
            if (c.length == 0) {
                return null;
            }
            String[] l = loose;
            String s = l[ConsistentHashing.jump(key, l.length)];
            return s != null ? s : c[ConsistentHashing.jump(key * REMIX, c.length)];
        }
    }

    /** The selector: mutable tables behind a lock for updates, published as immutable {@link Tables}. */
    static final class ConsistentHashSelector implements Selector {
        private final Object lock = new Object();
        private final List<String> loose = new ArrayList<>(); // guarded by lock; null = hole
        private final Map<String, Integer> looseIndex = new HashMap<>(); // guarded by lock
        private final Deque<Integer> free = new ArrayDeque<>(); // guarded by lock; a stack, as in doublejump
        private final List<String> compact = new ArrayList<>(); // guarded by lock
        private final Map<String, Integer> compactIndex = new HashMap<>(); // guarded by lock
        private volatile Tables tables = Tables.EMPTY;

        @Override
        public String select(SelectContext context) {
            Tables t = tables;
            if (t.compact().length == 0) {
                return null;
            }
            return t.get(ConsistentHashing.key(context.servicePath(), context.serviceMethod(), context.args()));
        }

        @Override
        public void updateServers(Map<String, String> servers) {
            synchronized (lock) {
                if (servers.isEmpty()) {
                    loose.clear();
                    looseIndex.clear();
                    free.clear();
                    compact.clear();
                    compactIndex.clear();
                    tables = Tables.EMPTY;
                    return;
                }
                looseIndex.keySet().stream().filter(a -> !servers.containsKey(a)).sorted().toList()
                        .forEach(this::remove);
                servers.keySet().stream().filter(a -> !looseIndex.containsKey(a)).sorted().forEach(this::add);
                tables = new Tables(loose.toArray(String[]::new), compact.toArray(String[]::new));
            }
        }

        /** The loose table as published, holes as null (for tests). */
        String[] looseSlots() {
            return tables.loose().clone();
        }

        private void add(String address) {
            Integer hole = free.pollFirst();
            if (hole == null) {
                loose.add(address);
                looseIndex.put(address, loose.size() - 1);
            } else {
                loose.set(hole, address);
                looseIndex.put(address, hole);
            }
            compact.add(address);
            compactIndex.put(address, compact.size() - 1);
        }

        private void remove(String address) {
            int slot = looseIndex.remove(address);
            loose.set(slot, null);
            free.addFirst(slot);
            int at = compactIndex.remove(address);
            String last = compact.remove(compact.size() - 1);
            if (at < compact.size()) {
                compact.set(at, last);
                compactIndex.put(last, at);
            }
        }
    }
}
