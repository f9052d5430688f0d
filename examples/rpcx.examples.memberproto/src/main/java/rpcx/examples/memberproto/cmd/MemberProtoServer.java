package rpcx.examples.memberproto.cmd;

import java.time.Duration;

import rpcx.api.Server;
import rpcx.examples.member.cmd.Console;
import rpcx.examples.member.cmd.Flags;
import rpcx.examples.memberproto.service.ServiceUser;

/**
 * The tutorial's memberproto {@code server.go}: registers the protobuf {@code ServiceUser} and serves. The server
 * needs no codec setting: it answers every request in the request's own SerializeType.
 * Flags: {@code -addr localhost:8972}, {@code -network tcp}.
 */
public final class MemberProtoServer {
    private MemberProtoServer() {
    }

    /** Registers the protobuf {@code ServiceUser} on a server. */
    public static Server configure(Server s) {
        s.register("ServiceUser", new ServiceUser(), "");
        return s;
    }

    /** Serves until SIGTERM or Ctrl-C, then shuts down gracefully (in-flight calls finish, at most 10 s) and exits 0. */
    public static void main(String[] args) throws InterruptedException {
        Console.useGoLogFormat();
        Flags flags = Flags.parse(args);
        try (Server s = configure(Server.create())) {
            s.shutdownOnSignal(Duration.ofSeconds(10));
            s.serve(flags.get("network", "tcp"), flags.get("addr", "localhost:8972"));
        }
    }
}
