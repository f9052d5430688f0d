package rpcx.api.spi;

/** A ServiceLoader provider of a selector, chosen by name ({@code random}, {@code roundrobin}...). */
public interface SelectorProvider extends Provider {
    /** Creates a fresh selector (one per client). */
    Selector create();
}
