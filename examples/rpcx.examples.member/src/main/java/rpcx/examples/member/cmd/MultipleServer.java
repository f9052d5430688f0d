package rpcx.examples.member.cmd;

import java.util.ArrayList;
import java.util.List;

import rpcx.api.Server;
import rpcx.examples.member.service.ServiceUser;

/**
 * The tutorial's {@code membermultiple} {@code server.go}: the same {@code ServiceUser} served on two addresses
 * from one process ({@code go createServer(*addr0)} and {@code go createServer(*addr1)}), one {@link Server} per
 * address, as two machines would. Flags: {@code -addr localhost:8972} (or the tutorial's name {@code -addr0}),
 * {@code -addr1 localhost:8973}; an address may carry a network ({@code tcp@localhost:8972}).
 *
 * <pre>
 * examples/run.sh member MultipleServer -addr localhost:8972 -addr1 localhost:8973
 * </pre>
 */
public final class MultipleServer {
    private MultipleServer() {
    }

    /**
     * The tutorial's {@code createServer(addr)}: a new server with {@code ServiceUser} registered under that name
     * with this metadata ({@code s.RegisterName("ServiceUser", new(service.ServiceUser), metadata)}), listening on
     * {@code address} ({@code network@host:port}, no {@code @} meaning tcp). The bound address is
     * {@link Server#address()}.
     */
    public static Server createServer(String address, ServiceUser service, String metadata) {
        Server s = Server.create();
        try {
            s.register("ServiceUser", service, metadata);
            s.listen(address);
            return s;
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** Starts one server per address (closing those started when one cannot listen). */
    public static List<Server> createServers(String metadata, String... addresses) {
        List<Server> servers = new ArrayList<>();
        try {
            for (String a : addresses) {
                servers.add(createServer(a, new ServiceUser(), metadata));
            }
            return servers;
        } catch (RuntimeException e) {
            servers.forEach(Server::close);
            throw e;
        }
    }

    /** Serves until every server is closed (killed). */
    static void serveAll(List<Server> servers) throws InterruptedException {
        try {
            for (Server s : servers) {
                s.awaitTermination();
            }
        } finally {
            servers.forEach(Server::close);
        }
    }

    /** Serves on both addresses until killed. */
    public static void main(String[] args) throws InterruptedException {
        Console.useGoLogFormat();
        Flags flags = Flags.parse(args);
        serveAll(createServers("", flags.first("localhost:8972", "addr", "addr0"), flags.get("addr1", "localhost:8973")));
    }
}
