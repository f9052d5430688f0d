/**
 * Go rpcx's ZooKeeper registry ({@code rpcx-zookeeper}): a server plugin that publishes services as Go does
 * (persistent base and service nodes, an ephemeral node per server holding the metadata, re-created on a new
 * session) and a discovery that lists and watches them. Chosen by {@code zookeeper://host:port[,host:port]/basePath}
 * addresses, never by being present.
 */
module rpcx.registry.zookeeper {
    requires transitive rpcx.api;
    requires org.apache.zookeeper;

    exports rpcx.registry.zookeeper;

    provides rpcx.api.spi.DiscoveryProvider with rpcx.registry.zookeeper.internal.ZooKeeperDiscoveryProvider;
}
