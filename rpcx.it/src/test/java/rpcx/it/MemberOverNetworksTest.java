package rpcx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import rpcx.testkit.SelfSignedTls;

/**
 * The tutorial's member server and client in JVMs of their own on the module path, over each network by flag
 * ({@code -network unix|ws|http|quic|kcp}); the client prints the tutorial's user.
 */
class MemberOverNetworksTest {
    private static final String MODULE = "rpcx.examples.member";
    private static final String USER_999 = Pattern.quote(" 999 : {999 14990093 2 http://image.xxxx.xxx/t.gif Joke}");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"unix", "ws", "http", "quic", "kcp"})
    void theTutorialRunsOverTheNetworkGivenByFlag(String network) throws Exception {
        Path dir = Files.createTempDirectory("rpcx-member-" + network);
        String addr = network.equals("unix") ? dir.resolve("member.sock").toString() : "127.0.0.1:" + SeparateJvmTest.freePort();
        List<String> serverArgs = new ArrayList<>(List.of("-network", network, "-addr", addr));
        if (network.equals("quic")) {
            serverArgs.addAll(List.of("-keystore", SelfSignedTls.keyStoreFile().toString(), "-storepass", SelfSignedTls.PASSWORD));
        }
        try (ChildJvm server = ChildJvm.modulePath(MODULE, MODULE + ".cmd.MemberServer", serverArgs.toArray(String[]::new))) {
            server.awaitLine(Pattern.quote("listening on " + network + "@" + addr), 30);
            try (ChildJvm client = ChildJvm.modulePath(MODULE, MODULE + ".cmd.MemberClient", "-network", network, "-addr", addr)) {
                assertEquals(0, client.awaitExit(60), client.output());
                client.awaitLine(USER_999, 1);
            }
            server.awaitLine("service: 999", 5);
        }
    }
}
