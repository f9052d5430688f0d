package rpcx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import rpcx.api.ClientOptions;
import rpcx.api.DnsDiscovery;
import rpcx.api.FailMode;
import rpcx.api.SelectMode;
import rpcx.api.Server;
import rpcx.api.ServerNode;
import rpcx.api.XClient;
import rpcx.api.spi.ServiceDiscovery;

/**
 * A client finds its server through DNS (Go's DNSDiscovery, as with a Kubernetes headless Service): the name
 * {@code localhost}, resolved by the JDK, the IPv4 node kept by a discovery filter (Go's SetFilter), a real TCP call.
 */
class DnsDiscoveryOverTcpTest {
    @Test
    void callsTheServerANameResolvesTo() throws Exception {
        try (Server server = Server.create()) {
            server.register(new Arith());
            String address = server.listen("tcp", "127.0.0.1:0");
            int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
            try (ServiceDiscovery dns = DnsDiscovery.of("localhost", "tcp", port, Duration.ofSeconds(30))
                    .withFilter(node -> node.hostAndPort().startsWith("127.0.0.1:"));
                 XClient client = XClient.create("Arith", FailMode.FAILFAST, SelectMode.RANDOM_SELECT, dns,
                    ClientOptions.defaults())) {
                assertEquals(List.of("tcp@127.0.0.1:" + port), dns.servers().stream().map(ServerNode::address).toList());
                Arith.Reply reply = client.call("Mul", new Arith.Args(7, 6), Arith.Reply.class);
                assertEquals(42, reply.c());
            }
        }
    }
}
