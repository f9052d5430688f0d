/**
 * Go rpcx's etcd v3 registry ({@code rpcx-etcd}): a server plugin that publishes services under Go's key layout
 * (one lease kept alive, nodes re-put periodically, deleted on unregister) and a discovery that lists and watches
 * them, on jetcd. Chosen by {@code etcd://host:port[,host:port]/basePath} addresses, never by being present.
 */
module rpcx.registry.etcd {
    requires transitive rpcx.api;
    requires jetcd.core;

    exports rpcx.registry.etcd;

    provides rpcx.api.spi.DiscoveryProvider with rpcx.registry.etcd.internal.EtcdDiscoveryProvider;
}
