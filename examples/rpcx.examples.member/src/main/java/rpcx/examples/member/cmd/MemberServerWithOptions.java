package rpcx.examples.member.cmd;

import java.time.Duration;

import rpcx.api.Server;
import rpcx.api.ServerOptions;

/**
 * The tutorial's server-options variant: {@code server.NewServer(server.WithReadTimeout(..),
 * server.WithWriteTimeout(..))}. Flags: {@code -addr}, {@code -network}, {@code -readTimeout 30s},
 * {@code -writeTimeout 30s} (Go duration syntax: {@code 500ms}, {@code 30s}, {@code 1m}).
 */
public final class MemberServerWithOptions {
    private MemberServerWithOptions() {
    }

    /** Serves until SIGTERM or Ctrl-C, then shuts down gracefully (in-flight calls finish, at most 10 s) and exits 0. */
    public static void main(String[] args) throws InterruptedException {
        Console.useGoLogFormat();
        Flags flags = Flags.parse(args);
        ServerOptions options = ServerOptions.defaults()
                .withReadTimeout(goDuration(flags.get("readTimeout", "30s")))
                .withWriteTimeout(goDuration(flags.get("writeTimeout", "30s")));
        try (Server s = MemberServer.configure(Server.create(options))) {
            s.shutdownOnSignal(Duration.ofSeconds(10));
            s.serve(flags.get("network", "tcp"), flags.get("addr", "localhost:8972"));
        }
    }

    /** Parses {@code 500ms}, {@code 30s}, {@code 1m}, {@code 2h}. */
    static Duration goDuration(String s) {
        if (s.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
        }
        long n = Long.parseLong(s.substring(0, s.length() - 1));
        return switch (s.charAt(s.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            default -> throw new IllegalArgumentException("not a duration: " + s + " (use 500ms, 30s, 1m, 2h)");
        };
    }
}
