package rpcx.api.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import rpcx.api.spi.SelectContext;
import rpcx.api.spi.Selector;
import rpcx.api.spi.SelectorProvider;

/** Go's {@code RandomSelect}: a uniformly random server per call. */
public final class RandomSelectorProvider implements SelectorProvider {
    @Override
    public String name() {
        return "random";
    }

    @Override
    public Selector create() {
        return new RandomSelector();
    }

    static final class RandomSelector implements Selector {
        private volatile List<String> servers = List.of();

        @Override
        public String select(SelectContext context) {
            List<String> s = servers;
            return s.isEmpty() ? null : s.get(ThreadLocalRandom.current().nextInt(s.size()));
        }

        @Override
        public void updateServers(Map<String, String> newServers) {
            servers = newServers.keySet().stream().sorted().toList();
        }
    }
}
