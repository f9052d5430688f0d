package rpcx.examples.memberproto.service;

import rpcx.api.CallContext;
import rpcx.examples.memberproto.pb.Args;
import rpcx.examples.memberproto.pb.ProtoArgs;
import rpcx.examples.memberproto.pb.ProtoReply;
import rpcx.examples.memberproto.pb.Reply;

/** The tutorial's protobuf {@code ServiceUser}: {@code UserInfo} and {@code Mul}. */
public class ServiceUser {
    /** Go: {@code func (s *ServiceUser) UserInfo(ctx context.Context, args *pb.Args, reply *pb.Reply) error}. */
    public Reply userInfo(CallContext ctx, Args args) {
        System.out.println("service: " + args.getId());
        return Reply.newBuilder().setAddTime(14990093).setUface("http://image.xxxx.xxx/t.gif").setUID(args.getId())
                .setUserName("Joke").setUserType(2).build();
    }

    /** Go: {@code func (t *ServiceUser) Mul(ctx context.Context, args *pb.ProtoArgs, reply *pb.ProtoReply) error}. */
    public ProtoReply mul(CallContext ctx, ProtoArgs args) {
        ProtoReply reply = ProtoReply.newBuilder().setC(args.getA() * args.getB()).build();
        System.out.printf("call: %d * %d = %d%n", args.getA(), args.getB(), reply.getC());
        return reply;
    }
}
