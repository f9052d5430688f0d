package rpcx.it;

import rpcx.examples.memberproto.pb.ProtoArgs;
import rpcx.examples.memberproto.pb.ProtoReply;

/** Go rpcx's {@code Arith.Mul} with the tutorial's protobuf messages (and, nested, with thrift structs): {@code ProtoArgs{A,B}} to {@code ProtoReply{C}}. */
public class ProtoArith {
    /** C = A * B. */
    public ProtoReply mul(ProtoArgs args) {
        return ProtoReply.newBuilder().setC(args.getA() * args.getB()).build();
    }

    /** The same service with thrift structs ({@code ThriftArgs{1: i32 A, 2: i32 B}} to {@code ThriftReply{1: i32 C}}). */
    public static class Thrift {
        /** C = A * B. */
        public rpcx.codec.thrift.testtypes.ThriftReply mul(rpcx.codec.thrift.testtypes.ThriftArgs args) {
            return new rpcx.codec.thrift.testtypes.ThriftReply(args.getA() * args.getB());
        }
    }
}
