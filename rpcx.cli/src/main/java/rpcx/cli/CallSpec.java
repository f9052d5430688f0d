package rpcx.cli;

import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;

import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import rpcx.api.CallOptions;
import rpcx.api.ClientOptions;
import rpcx.api.FailMode;
import rpcx.api.Peer2PeerDiscovery;
import rpcx.api.Registries;
import rpcx.api.RpcException;
import rpcx.api.RpcTimeoutException;
import rpcx.api.ServiceException;
import rpcx.api.UnauthenticatedException;
import rpcx.api.SelectMode;
import rpcx.api.XClient;
import rpcx.api.protocol.SerializeType;
import rpcx.api.spi.Codec;
import rpcx.api.spi.ServiceDiscovery;

/**
 * What to call and how, as {@code rpcx call} and {@code rpcx bench} take it: {@code [network@host:port]
 * Service.Method [JSON]} and the codec, metadata, timeout, auth and registry options.
 */
final class CallSpec {
    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..3", paramLabel = "ARG", description = {
        "[network@host:port] Service.Method [JSON]: the server (none with",
        "--registry), what to call, the arguments (default {})"})
    List<String> positional;

    @Option(names = {"-c", "--codec"}, defaultValue = "msgpack", paramLabel = "CODEC",
            description = "msgpack (default, Go's client default) or json")
    String codec;

    @Option(names = {"-m", "--meta"}, paramLabel = "KEY=VALUE", description = "request metadata; repeat for more")
    Map<String, String> meta = new LinkedHashMap<>();

    @Option(names = {"-t", "--timeout"}, defaultValue = "10s", paramLabel = "DURATION",
            description = "per call, Go duration: 500ms, 5s, 1m30s (default 10s)")
    String timeout;

    @Option(names = {"-a", "--auth"}, paramLabel = "TOKEN", description = "sent as __AUTH (Go's XClient.Auth)")
    String auth;

    @Option(names = {"-r", "--registry"}, paramLabel = "ADDRESS",
            description = "find the servers in a registry: etcd://host:2379/base, zookeeper://..., consul://...")
    String registry;

    @Option(names = "--tls", description = "dial tcp with TLS, the server checked against the JVM's trusted CAs")
    boolean tls;

    @Option(names = "--cacert", paramLabel = "FILE",
            description = "TLS, the server checked against these certificates (PEM); tcp and quic")
    Path cacert;

    @Option(names = "--insecure", description = "TLS without checking the server's certificate (Go's"
            + " InsecureSkipVerify; what quic does without --tls/--cacert)")
    boolean insecure;

    @Option(names = "--cert", paramLabel = "FILE",
            description = "TLS: this client's certificate (PEM), for servers that require one; with --key")
    Path cert;

    @Option(names = "--key", paramLabel = "FILE", description = "TLS: the --cert's private key (PEM, unencrypted PKCS#8)")
    Path key;

    @Option(names = "--kcp-key", paramLabel = "PASSWORD", description = "kcp: the packet encryption both ends share:"
            + " AES keyed by pbkdf2-sha1(PASSWORD, salt, 4096, 32) as the rpcx examples derive it (theirs: rpcx-key),"
            + " or none")
    String kcpKey;

    @Option(names = "--kcp-salt", defaultValue = "rpcx-salt", paramLabel = "SALT",
            description = "kcp: the salt of that key (default rpcx-salt, the rpcx examples')")
    String kcpSalt;

    /** A checked call: the client to make and what to send. */
    record Call(String where, String service, String method, Object args, Type replyType, CallOptions options,
                ClientOptions clientOptions, ServiceDiscovery discovery, FailMode failMode, String auth) {
        /** A new client for this call (the caller closes it). */
        XClient client() {
            XClient c = XClient.create(service, failMode, SelectMode.RANDOM_SELECT, discovery, clientOptions);
            if (auth != null) {
                c.auth(auth);
            }
            return c;
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /**
     * Checks the command line and builds the call.
     *
     * @throws CommandLine.ParameterException for a wrong command line (exit code 2, with the reason)
     */
    Call prepare() {
        int needed = registry == null ? 2 : 1;
        if (positional.size() < needed || positional.size() > needed + 1) {
            throw usage(registry == null
                    ? "give the server, Service.Method and (optionally) the JSON arguments"
                    : "with --registry give Service.Method and (optionally) the JSON arguments, no server");
        }
        String address = registry == null ? positional.get(0) : null;
        String target = positional.get(needed - 1);
        String json = positional.size() > needed ? positional.get(needed) : "{}";
        int dot = target.lastIndexOf('.');
        if (dot <= 0 || dot == target.length() - 1) {
            throw usage("'" + target + "' is not Service.Method (e.g. ServiceUser.UserInfo)");
        }
        String service = target.substring(0, dot);
        Duration limit;
        try {
            limit = GoDuration.parse(timeout);
        } catch (IllegalArgumentException e) {
            throw usage("--timeout: " + e.getMessage());
        }
        ClientOptions options = ClientOptions.defaults().withRetries(0).withConnectTimeout(limit);
        try {
            SSLContext context = ClientTls.context(new ClientTls.Flags(tls, cacert, insecure, cert, key));
            if (context != null) {
                options = options.withTls(context);
            }
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        options = withKcp(options, address);
        Object args;
        int serializeType;
        Type replyType;
        try {
            switch (codec) {
                case "msgpack" -> {
                    serializeType = SerializeType.MSGPACK;
                    args = JsonTree.parse(json);
                    replyType = Object.class;
                }
                case "json" -> {
                    JsonTree.parse(json); // checked here rather than by the server
                    serializeType = SerializeType.JSON;
                    args = json.getBytes(StandardCharsets.UTF_8);
                    replyType = byte[].class;
                    options = options.withCodec(SerializeType.JSON, new Passthrough());
                }
                default -> throw usage("--codec: '" + codec + "' is not one the tool can build from JSON; use msgpack or json");
            }
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        CallOptions call = CallOptions.timeout(limit).withSerializeType(serializeType);
        for (Map.Entry<String, String> e : meta.entrySet()) {
            call = call.withMetadata(e.getKey(), e.getValue());
        }
        ServiceDiscovery discovery;
        if (registry != null) {
            discovery = Registries.discovery(registry, service);
        } else if (!address.contains("@")) {
            throw usage("'" + address + "' is not a server address: write network@host:port, e.g. tcp@127.0.0.1:8972");
        } else {
            discovery = new Peer2PeerDiscovery(address, "");
        }
        return new Call(registry != null ? registry : address, service, target.substring(dot + 1), args, replyType,
                call, options, discovery, registry == null ? FailMode.FAILFAST : FailMode.FAILOVER, auth);
    }

    private ClientOptions withKcp(ClientOptions options, String address) {
        if (kcpKey == null) {
            if (address != null && address.startsWith("kcp@")) {
                throw usage("kcp needs the packet encryption the server uses: --kcp-key PASSWORD (the rpcx examples'"
                        + " is rpcx-key) or --kcp-key none");
            }
            return options;
        }
        ModuleLayer layer = CallSpec.class.getModule().getLayer(); // null on the class path
        if (layer != null && layer.findModule("rpcx.transport.kcp").isEmpty()) {
            throw usage("--kcp-key: the kcp transport (module rpcx.transport.kcp) is not on the module path");
        }
        return KcpFlags.apply(options, kcpKey, kcpSalt);
    }

    /**
     * Reports a failed call on the command's error stream and returns its exit code: 1 when the service answered
     * with an error (or refused the auth), 4 on a timeout, 3 otherwise (no server, transport).
     */
    static int failed(CommandLine.Model.CommandSpec spec, String command, Call c, RpcException e) {
        boolean answered = e instanceof ServiceException || e instanceof UnauthenticatedException;
        spec.commandLine().getErr().println(answered ? "rpcx " + command + " " + c.service() + "." + c.method() + ": "
                + e.getMessage() : "rpcx: " + e.getMessage());
        return answered ? Rpcx.SERVICE_ERROR : e instanceof RpcTimeoutException ? Rpcx.TIMEOUT : Rpcx.UNREACHABLE;
    }

    /** The JSON text the user typed, sent as it is; the reply's bytes printed as they came. */
    private static final class Passthrough implements Codec {
        @Override
        public byte[] encode(Object value) {
            return (byte[]) value;
        }

        @Override
        public Object decode(byte[] data, Type type) {
            return data;
        }
    }
}
