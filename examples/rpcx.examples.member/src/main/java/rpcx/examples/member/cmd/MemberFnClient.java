package rpcx.examples.member.cmd;

import rpcx.api.RpcException;

/**
 * The tutorial's {@code clientfn.go}: calls the function {@code ServiceUserFn.UserReply} for Uid 888 and prints
 * {@code 888 : {888 10000999 3 http://image.xxxx.xxx/reply.gif Reply}}. Flags as {@link MemberClient}.
 */
public final class MemberFnClient {
    private MemberFnClient() {
    }

    /** Exits 1 after printing Go's {@code failed to call: ...} when the call fails. */
    public static void main(String[] args) {
        Console.useGoLogFormat();
        Flags flags = Flags.parse(args);
        try {
            MemberClient.run(flags.get("network", "tcp") + "@" + flags.get("addr", "localhost:8972"), flags.codec(),
                    "ServiceUserFn", "UserReply", Integer.parseInt(flags.get("uid", "888")));
        } catch (RpcException e) {
            Console.log("failed to call: " + e.getMessage());
            System.exit(1);
        }
    }
}
