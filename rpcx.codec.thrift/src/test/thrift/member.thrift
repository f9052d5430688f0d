// Test types of rpcx.codec.thrift (SerializeType 4).
//
// The Java classes under src/test/java/rpcx/codec/thrift/testtypes were generated from this file by the Debian
// package thrift-compiler 0.17.0 (`apt-get install thrift-compiler`) with
//     thrift --gen java:generated_annotations=suppress
// and are checked in, because no thrift compiler can be obtained from Maven Central (so the build cannot run one).
// They compile and run against the libthrift 0.25.0 runtime the module uses. After editing this file run
// ./regen.sh (next to it) and commit the regenerated sources.

namespace java rpcx.codec.thrift.testtypes
namespace go testtypes

// The rpcx tutorial's Arith arguments and reply (Go: type Args struct { A int; B int }; type Reply struct { C int }).
struct ThriftArgs {
  1: i32 A,
  2: i32 B,
}

struct ThriftReply {
  1: i32 C,
}

enum Color {
  RED = 1,
  GREEN = 2,
  BLUE = 3,
}

struct Inner {
  1: string name,
  2: i32 score,
}

// Every kind of field the binary protocol writes: each fixed-width number, bool, string, binary, the three
// containers, a nested struct, an optional field and an enum.
struct Rich {
  1: i64 id,
  2: i16 small,
  3: i8 tiny,       // "byte" in older IDL; wire type 3 either way
  4: double ratio,
  5: bool flag,
  6: string title,
  7: binary blob,
  8: list<string> tags,
  9: map<string, i64> counts,
  10: set<i32> ids,
  11: Inner inner,
  12: optional string note,
  13: Color color,
  14: list<Inner> inners,
}

// An older version of Rich that knows only two of its fields: decoding Rich's bytes into it must skip the others.
struct RichHead {
  1: i64 id,
  6: string title,
}
