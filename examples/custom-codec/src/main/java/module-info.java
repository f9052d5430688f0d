/**
 * CBOR (RFC 8949) payloads for rpcx under SerializeType 5: a third-party codec plugin.
 *
 * <p>Exports nothing. The runtime finds the codec through {@link java.util.ServiceLoader}: put this module (and
 * Jackson's CBOR data format) on the module path of any rpcx server or client and call with SerializeType 5.
 * Class-path users get the same through {@code META-INF/services/rpcx.api.spi.CodecProvider}.
 */
module com.example.rpcx.codec.cbor {
    requires rpcx.api;
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.dataformat.cbor;

    provides rpcx.api.spi.CodecProvider with com.example.rpcx.codec.cbor.CborCodecProvider;
}
