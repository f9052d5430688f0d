package rpcx.registry.etcd;

import java.time.Duration;

import rpcx.api.RegistryPlugin;

/**
 * A server process for the lease-expiry test: registers {@code Arith} at etcd with a short lease, says READY and
 * waits to be killed. Arguments: endpoint, base path, service address, lease TTL in seconds.
 */
public final class RegisteringMain {
    private RegisteringMain() {
    }

    public static void main(String[] args) throws Exception {
        EtcdOptions options = EtcdOptions.of(args[0], args[1]).withLeaseTtl(Duration.ofSeconds(Long.parseLong(args[3])));
        RegistryPlugin plugin = EtcdRegistry.plugin(options, args[2]);
        plugin.register("Arith", new EtcdRegistryTest.Arith(), "weight=1");
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
