package rpcx.it;

import rpcx.api.ServiceException;

/** Go rpcx's example service: {@code Arith.Mul(Args{A,B int}) -> Reply{C int}}; {@code Div} fails on B == 0. */
public class Arith {
    /** Go: {@code type Args struct { A int; B int }}. */
    public record Args(int a, int b) {
    }

    /** Go: {@code type Reply struct { C int }}. */
    public record Reply(int c) {
    }

    /** C = A * B. */
    public Reply mul(Args args) {
        return new Reply(args.a() * args.b());
    }

    /** C = A / B, or the error {@code divide by zero}. */
    public Reply div(Args args) {
        if (args.b() == 0) {
            throw new ServiceException("divide by zero");
        }
        return new Reply(args.a() / args.b());
    }
}
