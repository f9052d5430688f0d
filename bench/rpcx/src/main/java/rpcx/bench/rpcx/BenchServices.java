package rpcx.bench.rpcx;

import rpcx.bench.proto.BenchmarkMessage;

/** The services every rpcx bench server registers. */
public final class BenchServices {
    private BenchServices() {
    }

    /** {@code Hello.Say} with the protobuf BenchmarkMessage (target b1, and what rpcx-benchmark's Go client calls). */
    public static final class ProtoHello {
        /** Answers with {@code field1 = "OK"}, {@code field2 = 100}. */
        public BenchmarkMessage say(BenchmarkMessage m) {
            return m.toBuilder().setField1("OK").setField2(100).build();
        }
    }

    /** {@code Hello.Say} with the record mirror of BenchmarkMessage (target b2, msgpack). */
    public static final class PojoHello {
        /** Answers with {@code field1 = "OK"}, {@code field2 = 100}. */
        public BenchPojo say(BenchPojo m) {
            return m.answered();
        }
    }

    /** Go rpcx's example service {@code Arith}: {@code Args{A, B int}} to {@code Reply{C int}}. */
    public static final class Arith {
        /** Go's {@code Args}. */
        public record Args(int a, int b) {
        }

        /** Go's {@code Reply}. */
        public record Reply(int c) {
        }

        /** {@code C = A * B}. */
        public Reply mul(Args args) {
            return new Reply(args.a() * args.b());
        }
    }
}
