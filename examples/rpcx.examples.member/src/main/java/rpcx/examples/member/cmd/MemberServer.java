package rpcx.examples.member.cmd;

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

    /** Serves until killed. */
    public static void main(String[] args) throws InterruptedException {
        Console.useGoLogFormat();
        Flags flags = Flags.parse(args);
        try (Server s = configure(Server.create())) {
            s.serve(flags.get("network", "tcp"), flags.get("addr", "localhost:8972"));
        }
    }
}
