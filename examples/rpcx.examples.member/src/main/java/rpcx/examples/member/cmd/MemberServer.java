package rpcx.examples.member.cmd;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;

import javax.net.ssl.KeyManagerFactory;

import rpcx.api.Server;
import rpcx.api.ServerOptions;
import rpcx.api.Tls;
import rpcx.examples.member.service.Args;
import rpcx.examples.member.service.ServiceUser;
import rpcx.examples.member.service.UserFunctions;

/**
 * The tutorial's {@code cmd/server/server.go}: registers {@code ServiceUser} and the function
 * {@code ServiceUserFn.UserReply}, then serves. Flags: {@code -addr localhost:8972}, {@code -network tcp}, and
 * {@code -keystore server.p12 -storepass changeit} for TLS (a PKCS#12 key store; required by {@code -network quic},
 * as Go's QUIC server requires a TLS config). {@code -network kcp} uses the rpcx KCP examples' key (see
 * {@link KcpSettings}: {@code -kcpkey}, {@code -kcpsalt}).
 */
public final class MemberServer {
    private MemberServer() {
    }

    /** Registers the tutorial's services on a server. */
    public static Server configure(Server s) {
        // s.Register(new(service.ServiceUser), "") would register it under the class name too
        s.register("ServiceUser", new ServiceUser(), "");
        s.registerFunction("ServiceUserFn", "UserReply", Args.class, UserFunctions::userReply);
        return s;
    }

    /**
     * Serves until SIGTERM or Ctrl-C, then shuts down gracefully (in-flight calls finish, at most 10 s) and exits 0.
     * With {@code -network reuseport}, SIGHUP restarts it as Go's {@code Restart} does: a new process takes over the
     * port and this one drains and exits.
     */
    public static void main(String[] args) throws InterruptedException {
        Console.useGoLogFormat();
        Flags flags = Flags.parse(args);
        ServerOptions options = ServerOptions.defaults();
        String keystore = flags.get("keystore", "");
        if (!keystore.isEmpty()) {
            options = options.withTls(Tls.context(keyManagers(keystore, flags.get("storepass", "changeit")), null));
        }
        if (flags.get("network", "tcp").equals("kcp")) {
            options = options.withTransportOption(KcpSettings.options(flags));
        }
        try (Server s = configure(Server.create(options))) {
            s.shutdownOnSignal(Duration.ofSeconds(10)).restartOnSignal(Duration.ofSeconds(10));
            s.serve(flags.get("network", "tcp"), flags.get("addr", "localhost:8972"));
        }
    }

    /** The key and certificate of a PKCS#12 key store. */
    static KeyManagerFactory keyManagers(String file, String password) {
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password.toCharArray());
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, password.toCharArray());
            return kmf;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read the key store " + file + ": " + e.getMessage(), e);
        }
    }
}
