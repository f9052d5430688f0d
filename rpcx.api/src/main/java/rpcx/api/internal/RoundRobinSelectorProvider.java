package rpcx.api.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import rpcx.api.spi.SelectContext;
import rpcx.api.spi.Selector;
import rpcx.api.spi.SelectorProvider;

/** Go's {@code RoundRobin}: a counter modulo the number of servers (servers ordered by address). */
public final class RoundRobinSelectorProvider implements SelectorProvider {
    @Override
    public String name() {
        return "roundrobin";
    }

    @Override
    public Selector create() {
        return new RoundRobinSelector();
    }

    static final class RoundRobinSelector implements Selector {
        private final AtomicInteger next = new AtomicInteger();
        private volatile List<String> servers = List.of();

        @Override
        public String select(SelectContext context) {
            List<String> s = servers;
            return s.isEmpty() ? null : s.get(Math.floorMod(next.getAndIncrement(), s.size()));
        }

        @Override
        public void updateServers(Map<String, String> newServers) {
            servers = newServers.keySet().stream().sorted().toList();
        }
    }
}
