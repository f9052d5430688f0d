package rpcx.examples.memberproto.cmd;

import java.time.Duration;

import rpcx.api.Server;
import rpcx.examples.member.cmd.Console;
import rpcx.examples.member.cmd.Flags;

/**
 * The protobuf variant in one process: starts {@link MemberProtoServer} on loopback, runs
 * {@link MemberProtoClient} against it and shuts the server down gracefully. Flags: {@code -addr 127.0.0.1:0}.
 */
public final class MemberProtoDemo {
    private MemberProtoDemo() {
    }

    /** Runs the demo; exits non-zero if a call fails. */
    public static void main(String[] args) throws Exception {
        Console.useGoLogFormat();
        Flags flags = Flags.parse(args);
        Server server = MemberProtoServer.configure(Server.create());
        try {
            String address = server.listen(flags.get("network", "tcp"), flags.get("addr", "127.0.0.1:0"));
            MemberProtoClient.run(address);
        } finally {
            server.shutdown(Duration.ofSeconds(5)).get();
        }
    }
}
