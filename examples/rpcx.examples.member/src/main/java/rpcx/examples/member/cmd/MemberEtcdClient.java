package rpcx.examples.member.cmd;

import rpcx.api.ClientOptions;
import rpcx.api.FailMode;
import rpcx.api.Registries;
import rpcx.api.RpcException;
import rpcx.api.SelectMode;
import rpcx.api.XClient;
import rpcx.api.spi.ServiceDiscovery;
import rpcx.examples.member.service.Args;
import rpcx.examples.member.service.Reply;

/**
 * The tutorial's {@code memberetcd/client.go}: discovers {@code ServiceUser} in etcd, prints each server found
 * ({@code === tcp@localhost:8972}), then calls {@code UserInfo} for Uid 999 with Failover and RoundRobin. Flags:
 * {@code -etcdAddr localhost:2379}, {@code -base /rpcx_test}, or {@code -registry <address>} for any registry
 * module's address. Exits 1 with Go's {@code failed to call: ...}.
 */
public final class MemberEtcdClient {
    private MemberEtcdClient() {
    }

    public static void main(String[] args) {
        Console.useGoLogFormat();
        Flags flags = Flags.parse(args);
        String registry = flags.get("registry", "etcd://" + flags.get("etcdAddr", "localhost:2379")
                + flags.get("base", "/rpcx_test"));
        try (ServiceDiscovery d = Registries.discovery(registry, "ServiceUser");
             XClient xclient = XClient.create("ServiceUser", FailMode.FAILOVER, SelectMode.ROUND_ROBIN, d,
                     ClientOptions.defaults())) {
            d.servers().forEach(node -> System.out.println("=== " + node.address()));
            Args a = new Args(999);
            Reply reply = xclient.call("UserInfo", a, Reply.class);
            Console.log(a.uid() + " : " + reply.user());
        } catch (RpcException e) {
            Console.log("failed to call: " + e.getMessage());
            System.exit(1);
        }
    }
}
