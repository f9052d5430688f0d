/**
 * SerializeType 3, MessagePack: the Go rpcx client's default codec, byte-compatible with Go's
 * {@code vmihailenco/msgpack/v5} defaults (structs as maps keyed by Go field name, Go {@code int} compact,
 * {@code int64} fixed width, ...). Exports nothing; found through {@link rpcx.api.spi.CodecProvider}.
 */
module rpcx.codec.msgpack {
    requires rpcx.api;
    requires org.msgpack.core;

    provides rpcx.api.spi.CodecProvider with rpcx.codec.msgpack.MsgpackCodecProvider;
}
