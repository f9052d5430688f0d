package rpcx.examples.member.cmd;

import java.time.Duration;

import rpcx.api.Server;
import rpcx.examples.member.service.Args;
import rpcx.examples.member.service.ServiceUser;
import rpcx.examples.member.service.UserFunctions;

/**
 * The tutorial's {@code cmd/server/server.go}: registers {@code ServiceUser} and the function
 * {@code ServiceUserFn.UserReply}, then serves. Flags: {@code -addr localhost:8972}, {@code -network tcp}.
 */
public final class MemberServer {
    private MemberServer() {
    }

    /** Registers the tutorial's services on a server. */
    public static Server configure(Server s) {
        // s.Register(new(service.ServiceUser), "") would register it under the class name too
        s.register("ServiceUser", new ServiceUser(), "");
        s.registerFunction("ServiceUserFn", "UserReply", Args.class, UserFunctions::userReply);
        return s;
    }

    /**
     * Serves until SIGTERM or Ctrl-C, then shuts down gracefully (in-flight calls finish, at most 10 s) and exits 0.
     * With {@code -network reuseport}, SIGHUP restarts it as Go's {@code Restart} does: a new process takes over the
     * port and this one drains and exits.
     */
    public static void main(String[] args) throws InterruptedException {
        Console.useGoLogFormat();
        Flags flags = Flags.parse(args);
        try (Server s = configure(Server.create())) {
            s.shutdownOnSignal(Duration.ofSeconds(10)).restartOnSignal(Duration.ofSeconds(10));
            s.serve(flags.get("network", "tcp"), flags.get("addr", "localhost:8972"));
        }
    }
}
