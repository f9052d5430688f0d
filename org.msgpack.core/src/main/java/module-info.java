/**
 * msgpack-core (https://msgpack.org/, Apache-2.0) as an explicit module. The classes are the unchanged upstream
 * classes of {@code org.msgpack:msgpack-core}; only this descriptor is added.
 *
 * <p>As an explicit module msgpack-core cannot reach {@code sun.nio.ch.DirectBuffer}, so unpacking from a direct
 * {@code ByteBuffer} fails with {@code IllegalAccessError}. Pass heap {@code byte[]} (as rpcx does), or run with
 * {@code --add-exports java.base/sun.nio.ch=org.msgpack.core --add-opens java.base/java.nio=org.msgpack.core}.
 */
module org.msgpack.core {
    requires jdk.unsupported;

    exports org.msgpack.core;
    exports org.msgpack.core.annotations;
    exports org.msgpack.core.buffer;
    exports org.msgpack.value;
    exports org.msgpack.value.impl;
}
