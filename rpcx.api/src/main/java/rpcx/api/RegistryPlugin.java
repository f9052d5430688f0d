package rpcx.api;

/**
 * A server plugin that publishes the server's services in a registry (Go's {@code EtcdV3RegisterPlugin} and its
 * siblings): each {@code register} puts the service's node with its metadata, each {@code unregister} (and the
 * server's shutdown) removes it. Closing it removes what is still published and releases the registry client;
 * close it after the server.
 */
public interface RegistryPlugin extends ServerPlugin, AutoCloseable {
    /** The address published for this server's services, {@code network@host:port}. */
    String serviceAddress();

    /** Removes every node still published and releases the registry client. Idempotent. */
    @Override
    void close();
}
