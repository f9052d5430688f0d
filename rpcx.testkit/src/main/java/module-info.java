/**
 * Test support for rpcx modules and third-party plugin authors.
 *
 * <ul>
 *   <li>{@link rpcx.testkit.NettyLeakCheck}: a JUnit Jupiter extension, registered for autodetection, that fails
 *       a test class when Netty reports a leaked buffer.</li>
 *   <li>{@link rpcx.testkit.TransportConformance}, {@link rpcx.testkit.CodecConformance} and
 *       {@link rpcx.testkit.CompressorConformance} and {@link rpcx.testkit.RegistryConformance}: the behaviour
 *       every transport, codec, compressor and registry must show, as abstract JUnit test classes to extend.</li>
 *   <li>{@link rpcx.testkit.RecordingHandler} and {@link rpcx.testkit.RawPeer}: a connection handler that records
 *       events and a raw byte-level socket peer, for transport tests of one's own.</li>
 *   <li>{@link rpcx.testkit.Eventually} and {@link rpcx.testkit.JavaProcess}: waiting for asynchronous outcomes, and
 *       JVMs started on the test's class path or module path with their output read as it comes;
 *       {@link rpcx.testkit.ModulePath}: modules resolved from the class path in a layer of their own;
 *       {@link rpcx.testkit.EtcdServer}: a real etcd process (the {@code etcd} binary on the PATH).</li>
 *   <li>{@link rpcx.testkit.LossyUdpRelay}: a UDP relay that drops, duplicates, reorders and delays datagrams at set
 *       rates (seeded), and {@link rpcx.testkit.LossyPath}: many calls through it, every reply checked, for datagram
 *       transports over a bad path.</li>
 * </ul>
 *
 * <p>Add it with test scope. It does not depend on Netty: the leak check reaches Netty through
 * {@code java.util.logging} and reflection only.
 */
module rpcx.testkit {
    requires transitive rpcx.api;
    requires transitive org.junit.jupiter.api;
    requires java.logging;

    exports rpcx.testkit;

    provides org.junit.jupiter.api.extension.Extension with rpcx.testkit.NettyLeakCheck;
}
