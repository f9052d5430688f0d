/**
 * protobuf-java (https://protobuf.dev/, BSD-3-Clause) as an explicit module, for jlink images. The classes are the
 * unchanged upstream classes of {@code com.google.protobuf:protobuf-java}; only this descriptor is added, with the
 * module name upstream gives in its manifest, so code compiled against protobuf-java links against it unchanged.
 * protobuf-java logs through {@code java.util.logging} and reaches {@code sun.misc.Unsafe} when it is there.
 */
module com.google.protobuf {
    requires java.logging;
    requires jdk.unsupported;

    exports com.google.protobuf;
    exports com.google.protobuf.compiler;
}
