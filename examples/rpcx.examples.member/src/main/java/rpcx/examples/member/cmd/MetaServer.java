package rpcx.examples.member.cmd;

/**
 * The tutorial's {@code membermeta} servers ({@code cmd/state/server} and {@code cmd/group/server}): the two
 * servers of {@link MultipleServer}, with {@code ServiceUser} registered with metadata:
 * {@code s.RegisterName("ServiceUser", new(service.ServiceUser), "state=inactive")} or {@code "group=Member"}.
 *
 * <p>As the tutorial finds, this server-side metadata is what a registry plugin would publish; with
 * {@code NewMultipleServersDiscovery} only the metadata the client gives its discovery counts ({@link MetaClient}).
 *
 * <p>Flags: {@code -meta state=inactive} (the state case; {@code -meta group=Member} for the group case),
 * {@code -addr localhost:8972} (or {@code -addr0}), {@code -addr1 localhost:8973}.
 *
 * <pre>
 * examples/run.sh member MetaServer -meta "state=inactive"
 * examples/run.sh member MetaServer -meta "group=Member"
 * </pre>
 */
public final class MetaServer {
    private MetaServer() {
    }

    /** Serves on both addresses until killed. */
    public static void main(String[] args) throws InterruptedException {
        Console.useGoLogFormat();
        Flags flags = Flags.parse(args);
        MultipleServer.serveAll(MultipleServer.createServers(flags.get("meta", "state=inactive"),
                flags.first("localhost:8972", "addr", "addr0"), flags.get("addr1", "localhost:8973")));
    }
}
