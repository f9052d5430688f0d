package rpcx.api;

import java.util.Map;
import java.util.TreeMap;

import rpcx.api.spi.SelectContext;
import rpcx.api.spi.Selector;
import rpcx.api.spi.SelectorProvider;

/** A "third-party" selector found through ServiceLoader (test resources): always the last server by address. */
public final class LastServerSelectorProvider implements SelectorProvider {
    @Override
    public String name() {
        return "test-last";
    }

    @Override
    public Selector create() {
        return new Selector() {
            private volatile String last;

            @Override
            public String select(SelectContext context) {
                return last;
            }

            @Override
            public void updateServers(Map<String, String> servers) {
                last = servers.isEmpty() ? null : new TreeMap<>(servers).lastKey();
            }
        };
    }
}
