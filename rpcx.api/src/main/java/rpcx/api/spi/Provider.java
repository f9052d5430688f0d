package rpcx.api.spi;

/**
 * What every ServiceLoader provider of rpcx has in common: a name, whether it can work on this machine, and a
 * priority to choose among several providers of one name (epoll over NIO, say). Providers are cheap to create:
 * no sockets or threads before their product is started.
 */
public interface Provider {
    /** The provider's name as users write it: {@code "msgpack"}, {@code "tcp"}, {@code "random"}. */
    String name();

    /** Higher wins among available providers of the same name. */
    default int priority() {
        return 0;
    }

    /** Whether this provider can work here (a native library loaded, say). Never throws. */
    default boolean isAvailable() {
        return true;
    }

    /** Why {@link #isAvailable()} says no; empty when available. */
    default String unavailableReason() {
        return "";
    }
}
