package rpcx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The tutorial's member server and client in JVMs of their own on the module path, over each network by flag
 * ({@code -network unix|ws|http|quic|kcp}); the client prints the tutorial's user.
 */
class MemberOverNetworksTest {
    private static final String MODULE = "rpcx.examples.member";
    private static final String USER_999 = Pattern.quote(" 999 : {999 14990093 2 http://image.xxxx.xxx/t.gif Joke}");

    /** A PKCS#12 key store made with the JDK's keytool (QUIC needs TLS on the server, as Go's). */
    private static Path keystore(Path dir) throws Exception {
        Path p12 = dir.resolve("server.p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", p12.toString(),
                "-storepass", "changeit").redirectErrorStream(true).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("keytool failed: " + new String(p.getInputStream().readAllBytes()));
        }
        return p12;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"unix", "ws", "http", "quic", "kcp"})
    void theTutorialRunsOverTheNetworkGivenByFlag(String network) throws Exception {
        Path dir = Files.createTempDirectory("rpcx-member-" + network);
        String addr = network.equals("unix") ? dir.resolve("member.sock").toString() : "127.0.0.1:" + SeparateJvmTest.freePort();
        List<String> serverArgs = new ArrayList<>(List.of("-network", network, "-addr", addr));
        if (network.equals("quic")) {
            serverArgs.addAll(List.of("-keystore", keystore(dir).toString(), "-storepass", "changeit"));
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
