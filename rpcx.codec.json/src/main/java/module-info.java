/**
 * SerializeType 1, JSON: compatible with Go's {@code encoding/json} as Go rpcx uses it (compact output, struct
 * fields in declaration order under their {@code json} tag or Go field name, case-insensitive field matching,
 * {@code []byte} as base64). Exports nothing; found through {@link rpcx.api.spi.CodecProvider}.
 */
module rpcx.codec.json {
    requires rpcx.api;
    requires com.fasterxml.jackson.core;

    provides rpcx.api.spi.CodecProvider with rpcx.codec.json.JsonCodecProvider;
}
