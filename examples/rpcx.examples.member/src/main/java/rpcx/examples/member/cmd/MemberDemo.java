package rpcx.examples.member.cmd;

import java.time.Duration;

import rpcx.api.Server;
import rpcx.api.protocol.SerializeType;

/**
 * The quick-start job: the member server and its clients in one process, over real TCP on loopback, no
 * registry. Starts the server, calls {@code ServiceUser.UserInfo} (msgpack, then JSON) and
 * {@code ServiceUserFn.UserReply}, prints what the tutorial prints, and shuts the server down gracefully.
 * Flags: {@code -addr 127.0.0.1:0} (port 0 picks a free port), {@code -network tcp}.
 */
public final class MemberDemo {
    private MemberDemo() {
    }

    /** Runs the demo; exits non-zero if any call fails. */
    public static void main(String[] args) throws Exception {
        Console.useGoLogFormat();
        Flags flags = Flags.parse(args);
        Server server = MemberServer.configure(Server.create());
        try {
            String address = server.listen(flags.get("network", "tcp"), flags.get("addr", "127.0.0.1:0"));
            MemberClient.run(address, SerializeType.MSGPACK, "ServiceUser", "UserInfo", 999);
            MemberClient.run(address, SerializeType.JSON, "ServiceUser", "UserInfo", 999);
            MemberClient.run(address, SerializeType.MSGPACK, "ServiceUserFn", "UserReply", 888);
        } finally {
            server.shutdown(Duration.ofSeconds(5)).get();
        }
    }
}
