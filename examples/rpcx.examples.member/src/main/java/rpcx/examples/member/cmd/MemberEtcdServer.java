package rpcx.examples.member.cmd;

import java.time.Duration;

import rpcx.api.Registries;
import rpcx.api.RegistryPlugin;
import rpcx.api.Server;

/**
 * The tutorial's {@code memberetcd/server.go}: the member service registered in etcd under {@code /rpcx_test}
 * (Go's {@code EtcdRegisterPlugin}: metrics on, one-minute updates). Flags: {@code -addr localhost:8972},
 * {@code -etcdAddr localhost:2379}, {@code -base /rpcx_test}; or {@code -registry <address>} for any registry
 * module's address ({@code zookeeper://localhost:2181/rpcx_test}, {@code consul://localhost:8500/rpcx_test}), as
 * it would come from configuration. Needs the registry module on the module path (see examples/run-etcd.sh); this
 * module only names it by the address.
 */
public final class MemberEtcdServer {
    private MemberEtcdServer() {
    }

    public static void main(String[] args) throws InterruptedException {
        Console.useGoLogFormat();
        Flags flags = Flags.parse(args);
        String addr = flags.get("addr", "localhost:8972");
        String registry = flags.get("registry", "etcd://" + flags.get("etcdAddr", "localhost:2379")
                + flags.get("base", "/rpcx_test") + "?metrics=true&updateInterval=60");
        try (RegistryPlugin r = Registries.plugin(registry, "tcp@" + addr);
             Server s = Server.create()) {
            s.addPlugin(r);
            MemberServer.configure(s);
            s.shutdownOnSignal(Duration.ofSeconds(10));
            s.serve("tcp", addr);
        }
    }
}
