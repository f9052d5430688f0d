package rpcx.examples.member.service;

import rpcx.api.CallContext;
import rpcx.examples.member.model.User;

/** The tutorial's plain function registered with {@code RegisterFunction("ServiceUserFn", service.UserReply, "")}. */
public final class UserFunctions {
    private UserFunctions() {
    }

    /** Go: {@code func UserReply(ctx context.Context, args *Args, reply *Reply) error}. */
    public static Reply userReply(CallContext ctx, Args args) {
        return new Reply(new User(args.uid(), 10000999, 3, "http://image.xxxx.xxx/reply.gif", "Reply"));
    }
}
