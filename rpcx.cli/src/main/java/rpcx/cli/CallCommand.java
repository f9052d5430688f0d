package rpcx.cli;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import rpcx.api.RpcException;
import rpcx.api.XClient;

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

    @Mixin
    CallSpec what;

    @Override
    public Integer call() {
        CallSpec.Call c = what.prepare();
        try (XClient client = c.client()) {
            Object reply = client.invoke(c.method(), c.args(), c.replyType(), c.options()).value();
            spec.commandLine().getOut().println(reply instanceof byte[] b ? new String(b, StandardCharsets.UTF_8)
                    : JsonTree.print(reply));
            return Rpcx.OK;
        } catch (RpcException e) {
            return CallSpec.failed(spec, "call", c, e);
        }
    }
}
