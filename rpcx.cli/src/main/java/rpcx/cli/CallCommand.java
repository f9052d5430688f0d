package rpcx.cli;

import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import rpcx.api.CallOptions;
import rpcx.api.ClientOptions;
import rpcx.api.FailMode;
import rpcx.api.Peer2PeerDiscovery;
import rpcx.api.Registries;
import rpcx.api.RpcException;
import rpcx.api.RpcTimeoutException;
import rpcx.api.SelectMode;
import rpcx.api.ServiceException;
import rpcx.api.UnauthenticatedException;
import rpcx.api.XClient;
import rpcx.api.protocol.SerializeType;
import rpcx.api.spi.Codec;
import rpcx.api.spi.ServiceDiscovery;

/** {@code rpcx call}: one call with JSON arguments; the reply is printed as JSON. */
@Command(name = "call", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Calls Service.Method with JSON arguments and prints the reply as JSON.",
            "",
            "  rpcx call tcp@127.0.0.1:8972 ServiceUser.UserInfo '{\"Uid\":999}'",
            "  rpcx call -r etcd://127.0.0.1:2379/rpcx_test ServiceUser.UserInfo '{}'",
            "",
            "With msgpack (the default, as Go's client) the JSON becomes maps with the",
            "same keys (write Go field names, e.g. Uid) and integers stay integers.",
            "With json the text is sent as it is.",
            ""},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the call succeeded", "1:the service answered with an error",
            "2:the command line is wrong", "3:no server could be reached, or the transport failed",
            "4:the call timed out"})
final class CallCommand implements Callable<Integer> {
    @CommandLine.Spec
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
            description = "Go duration: 500ms, 5s, 1m30s (default 10s)")
    String timeout;

    @Option(names = {"-a", "--auth"}, paramLabel = "TOKEN", description = "sent as __AUTH (Go's XClient.Auth)")
    String auth;

    @Option(names = {"-r", "--registry"}, paramLabel = "ADDRESS",
            description = "find the servers in a registry: etcd://host:2379/base, zookeeper://..., consul://...")
    String registry;

    @Override
    public Integer call() {
        int needed = registry == null ? 2 : 1;
        if (positional.size() < needed || positional.size() > needed + 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), registry == null
                    ? "give the server, Service.Method and (optionally) the JSON arguments"
                    : "with --registry give Service.Method and (optionally) the JSON arguments, no server");
        }
        String address = registry == null ? positional.get(0) : null;
        String target = positional.get(needed - 1);
        String json = positional.size() > needed ? positional.get(needed) : "{}";
        int dot = target.lastIndexOf('.');
        if (dot <= 0 || dot == target.length() - 1) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "'" + target + "' is not Service.Method (e.g. ServiceUser.UserInfo)");
        }
        String service = target.substring(0, dot);
        String method = target.substring(dot + 1);
        Duration limit;
        try {
            limit = GoDuration.parse(timeout);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--timeout: " + e.getMessage());
        }
        Object args;
        ClientOptions options = ClientOptions.defaults().withRetries(0).withConnectTimeout(limit);
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
                default -> throw new CommandLine.ParameterException(spec.commandLine(), "--codec: '" + codec
                        + "' is not one the tool can build from JSON; use msgpack or json");
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        CallOptions call = CallOptions.timeout(limit).withSerializeType(serializeType);
        for (Map.Entry<String, String> e : meta.entrySet()) {
            call = call.withMetadata(e.getKey(), e.getValue());
        }
        try (XClient client = XClient.create(service, registry == null ? FailMode.FAILFAST : FailMode.FAILOVER,
                SelectMode.RANDOM_SELECT, discovery(address, service), options)) {
            if (auth != null) {
                client.auth(auth);
            }
            Object reply = client.invoke(method, args, replyType, call).value();
            spec.commandLine().getOut().println(reply instanceof byte[] b ? new String(b, StandardCharsets.UTF_8)
                    : JsonTree.print(reply));
            return Rpcx.OK;
        } catch (ServiceException | UnauthenticatedException e) {
            spec.commandLine().getErr().println("rpcx call " + service + "." + method + ": " + e.getMessage());
            return Rpcx.SERVICE_ERROR;
        } catch (RpcTimeoutException e) {
            spec.commandLine().getErr().println("rpcx: " + e.getMessage());
            return Rpcx.TIMEOUT;
        } catch (RpcException e) {
            spec.commandLine().getErr().println("rpcx: " + e.getMessage());
            return Rpcx.UNREACHABLE;
        }
    }

    private ServiceDiscovery discovery(String address, String service) {
        if (registry != null) {
            return Registries.discovery(registry, service);
        }
        if (!address.contains("@")) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "'" + address + "' is not a server address: write network@host:port, e.g. tcp@127.0.0.1:8972");
        }
        return new Peer2PeerDiscovery(address, "");
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
