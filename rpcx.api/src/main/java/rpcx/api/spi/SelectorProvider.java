package rpcx.api.spi;

import java.util.Map;

/** A ServiceLoader provider of a selector, chosen by name ({@code random}, {@code roundrobin}...). */
public interface SelectorProvider extends Provider {
    /** Creates a fresh selector (one per client). */
    Selector create();

    /**
     * Creates a fresh selector with provider-specific settings (e.g. {@code latitude}/{@code longitude} for the
     * closest selector); the default ignores them.
     *
     * @throws IllegalArgumentException when a setting is invalid
     */
    default Selector create(Map<String, String> settings) {
        return create();
    }
}
