package rpcx.api.spi;

import java.util.List;

/**
 * A registry's whole tree, for tools rather than clients: every service's server nodes with their metadata, and
 * changing one node's metadata (what rpcx-ui does to set {@code state=inactive} or a weight). Servers keep their
 * registration: a changed node keeps its lease or session, and the registration plugins leave a node whose value
 * changed under them as it is.
 */
public interface RegistryBrowser extends AutoCloseable {
    /**
     * One server node of a service.
     *
     * @param service  the service path
     * @param address  {@code network@host:port}
     * @param metadata its metadata, in URL query form ({@code weight=7&state=inactive}), possibly empty
     */
    record Node(String service, String address, String metadata) {
    }

    /**
     * Every node of every service, services and addresses in name order.
     *
     * @return the nodes
     * @throws rpcx.api.TransportException when the registry cannot be read
     */
    List<Node> nodes();

    /**
     * Replaces one node's metadata.
     *
     * @param service  the service path
     * @param address  the node's {@code network@host:port}
     * @param metadata the new metadata, in URL query form
     * @throws rpcx.api.RpcConfigurationException when there is no such node
     * @throws rpcx.api.TransportException        when the registry cannot be written
     */
    void setMetadata(String service, String address, String metadata);

    /** Releases the connection to the registry. */
    @Override
    void close();
}
