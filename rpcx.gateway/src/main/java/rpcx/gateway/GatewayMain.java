package rpcx.gateway;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import rpcx.api.ClientOptions;
import rpcx.api.FailMode;
import rpcx.api.MultipleServersDiscovery;
import rpcx.api.SelectMode;
import rpcx.api.ServerNode;

/**
 * Runs the gateway until killed: {@code -listen 127.0.0.1:9981 -servers tcp@127.0.0.1:8972,tcp@127.0.0.1:8973
 * -failmode failover -selectmode roundrobin}. Gateway mode: one central process in front of the servers; agent
 * mode: the same process beside each client, listening on loopback. The server list is static here
 * ({@code MultipleServersDiscovery}); embed {@link Gateway} to use a registry.
 */
public final class GatewayMain {
    private GatewayMain() {
    }

    /** Starts the gateway from the flags and waits. */
    public static void main(String[] args) throws InterruptedException {
        String listen = "127.0.0.1:9981";
        String servers = "tcp@127.0.0.1:8972";
        FailMode fail = FailMode.FAILOVER;
        SelectMode select = SelectMode.ROUND_ROBIN;
        for (int i = 0; i + 1 < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i].replaceFirst("^--?", "")) {
                case "listen" -> listen = v;
                case "servers" -> servers = v;
                case "failmode" -> fail = FailMode.valueOf(v.toUpperCase(Locale.ROOT));
                case "selectmode" -> select = SelectMode.valueOf(v.toUpperCase(Locale.ROOT).replace("ROUNDROBIN", "ROUND_ROBIN")
                        .replace("RANDOM", "RANDOM_SELECT"));
                default -> throw new IllegalArgumentException("unknown flag " + args[i]
                        + " (flags: -listen host:port, -servers tcp@host:port,..., -failmode, -selectmode)");
            }
        }
        List<ServerNode> nodes = new ArrayList<>();
        for (String s : servers.split(",")) {
            nodes.add(new ServerNode(s.strip(), ""));
        }
        int colon = listen.lastIndexOf(':');
        Gateway g = Gateway.start(new InetSocketAddress(listen.substring(0, colon), Integer.parseInt(listen.substring(colon + 1))),
                new MultipleServersDiscovery(nodes), fail, select, ClientOptions.defaults());
        Runtime.getRuntime().addShutdownHook(new Thread(g::close, "rpcx-gateway-shutdown"));
        Thread.currentThread().join();
    }
}
