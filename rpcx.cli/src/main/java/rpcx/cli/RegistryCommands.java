package rpcx.cli;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import rpcx.api.Registries;
import rpcx.api.RpcConfigurationException;
import rpcx.api.RpcException;
import rpcx.api.spi.RegistryBrowser;

/** {@code rpcx list} and {@code rpcx state}: a registry's services and nodes, as rpcx-ui shows and changes them. */
final class RegistryCommands {
    private RegistryCommands() {
    }

    /** The registry both commands work on. */
    static final class RegistryOption {
        @Option(names = {"-r", "--registry"}, required = true, paramLabel = "ADDRESS",
                description = "etcd://host:2379/base, zookeeper://host:2181/base, consul://host:8500/base")
        String registry;
    }

    /** {@code rpcx list}: every service with its nodes and their metadata. */
    @Command(name = "list", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Lists the services of a registry with their server nodes and metadata.",
                "",
                "  rpcx list -r etcd://127.0.0.1:2379/rpcx_test",
                "  rpcx list -r zookeeper://127.0.0.1:2181/rpcx_test ServiceUser",
                ""},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:listed", "2:the command line is wrong", "3:the registry could not be read"})
    static final class ListCommand implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        RegistryOption where;

        @Parameters(arity = "0..1", paramLabel = "SERVICE", description = "only this service")
        String service;

        @Override
        public Integer call() {
            try (RegistryBrowser browser = Registries.browser(where.registry)) {
                String current = null;
                for (RegistryBrowser.Node n : browser.nodes()) {
                    if (service != null && !service.equals(n.service())) {
                        continue;
                    }
                    if (!n.service().equals(current)) {
                        current = n.service();
                        spec.commandLine().getOut().println(current);
                    }
                    spec.commandLine().getOut().println("  " + n.address() + (n.metadata().isEmpty() ? "" : "  " + n.metadata()));
                }
                return Rpcx.OK;
            } catch (RpcConfigurationException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            } catch (RpcException e) {
                spec.commandLine().getErr().println("rpcx list: " + e.getMessage());
                return Rpcx.UNREACHABLE;
            }
        }
    }

    /** {@code rpcx state}: marks a node inactive or active, or sets its weight or any metadata key. */
    @Command(name = "state", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Changes one node's metadata in the registry, as rpcx-ui does: clients stop",
                "selecting an inactive node and weigh nodes by their weight.",
                "",
                "  rpcx state -r etcd://127.0.0.1:2379/rpcx_test ServiceUser tcp@10.0.0.5:8972 --inactive",
                "  rpcx state -r etcd://127.0.0.1:2379/rpcx_test ServiceUser tcp@10.0.0.5:8972 --weight 5",
                ""},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:changed (the new metadata is printed)", "1:the registry has no such node",
                "2:the command line is wrong", "3:the registry could not be read or written"})
    static final class StateCommand implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        RegistryOption where;

        @Parameters(index = "0", paramLabel = "SERVICE", description = "the service")
        String service;

        @Parameters(index = "1", paramLabel = "NODE", description = "the node: network@host:port")
        String address;

        @ArgGroup(exclusive = false, multiplicity = "1")
        Changes changes;

        static final class Changes {
            @Option(names = "--inactive", description = "state=inactive: clients stop selecting the node")
            boolean inactive;

            @Option(names = "--active", description = "removes state: the node is selected again")
            boolean active;

            @Option(names = "--weight", paramLabel = "N", description = "weight=N (weighted selection)")
            Integer weight;

            @Option(names = "--set", paramLabel = "KEY=VALUE", description = "sets any key; repeat for more")
            List<String> set;
        }

        @Override
        public Integer call() {
            if (changes.inactive && changes.active) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--inactive and --active contradict each other");
            }
            try (RegistryBrowser browser = Registries.browser(where.registry)) {
                String metadata = browser.nodes().stream()
                        .filter(n -> n.service().equals(service) && n.address().equals(address))
                        .map(RegistryBrowser.Node::metadata).findFirst().orElse(null);
                if (metadata == null) {
                    spec.commandLine().getErr().println("rpcx state: no node " + address + " of service " + service
                            + " in " + where.registry + " (rpcx list shows what there is)");
                    return Rpcx.SERVICE_ERROR;
                }
                String changed = metadata;
                if (changes.inactive) {
                    changed = withKey(changed, "state", "inactive");
                }
                if (changes.active) {
                    changed = withKey(changed, "state", null);
                }
                if (changes.weight != null) {
                    changed = withKey(changed, "weight", String.valueOf(changes.weight));
                }
                for (String kv : changes.set == null ? List.<String>of() : changes.set) {
                    int eq = kv.indexOf('=');
                    if (eq <= 0) {
                        throw new CommandLine.ParameterException(spec.commandLine(), "--set " + kv + ": write KEY=VALUE");
                    }
                    changed = withKey(changed, kv.substring(0, eq), kv.substring(eq + 1));
                }
                browser.setMetadata(service, address, changed);
                spec.commandLine().getOut().println(service + "  " + address + "  " + changed);
                return Rpcx.OK;
            } catch (RpcConfigurationException e) {
                spec.commandLine().getErr().println("rpcx state: " + e.getMessage());
                return Rpcx.SERVICE_ERROR;
            } catch (RpcException e) {
                spec.commandLine().getErr().println("rpcx state: " + e.getMessage());
                return Rpcx.UNREACHABLE;
            }
        }
    }

    /**
     * Metadata in URL query form with one key set to a value (in place, or appended) or removed (null); the other
     * pairs are kept exactly as written.
     */
    static String withKey(String metadata, String key, String value) {
        List<String> pairs = new ArrayList<>();
        boolean done = false;
        for (String pair : metadata.isEmpty() ? new String[0] : metadata.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (!k.equals(key)) {
                pairs.add(pair);
            } else if (value != null && !done) {
                pairs.add(encode(key) + "=" + encode(value));
                done = true;
            }
        }
        if (value != null && !done) {
            pairs.add(encode(key) + "=" + encode(value));
        }
        return String.join("&", pairs);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
