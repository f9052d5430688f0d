package rpcx.examples.member.service;

import rpcx.api.CallContext;
import rpcx.examples.member.model.User;

/** The tutorial's user service: {@code ServiceUser.UserInfo}. */
public class ServiceUser {
    /** Go: {@code func (s *ServiceUser) UserInfo(ctx context.Context, args *Args, reply *Reply) error}. */
    public Reply userInfo(CallContext ctx, Args args) {
        System.out.println("service: " + args.uid());
        return new Reply(new User(args.uid(), 14990093, 2, "http://image.xxxx.xxx/t.gif", "Joke"));
    }
}
