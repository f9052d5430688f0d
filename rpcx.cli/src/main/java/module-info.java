/**
 * The {@code rpcx} command-line tool ({@code rpcx.cli.Rpcx}): calls a service of any rpcx server, Go's included,
 * with JSON arguments, and prints the reply as JSON. Transports, codecs and registries are found through
 * ServiceLoader on the module path, as for any rpcx client.
 */
module rpcx.cli {
    requires rpcx.api;
    requires info.picocli;
    requires com.fasterxml.jackson.core;
    requires java.logging;
    // only --kcp-key names its settings (KcpFlags); the module itself is found through ServiceLoader binding
    requires static rpcx.transport.kcp;

    opens rpcx.cli to info.picocli; // picocli sets the annotated option fields
}
