package rpcx.bench.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Entry point of every target jar.
 * <pre>
 *   server --target ID --port P --control-port C [--host H] [--opt k=v]...
 *   client --target ID --port P [--host H] [--control-port C] [--phase T] [--connections 4] [--inflight 25]
 *          [--warmup 40] [--measure 30] [--idle 0] [--round 1] [--hlog FILE] [--out FILE] [--opt k=v]...
 *   report --dir bench/results/DATE
 *   targets
 * </pre>
 */
public final class Main {
    private Main() {
    }

    /** Runs one of the sub-commands above. */
    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: server|client|report|targets --name value ... (see Main's Javadoc)");
            System.exit(64);
        }
        switch (args[0]) {
            case "server" -> server(new Args(args, 1));
            case "client" -> System.exit(new ClosedLoop(new Args(args, 1)).run() ? 0 : 2);
            case "report" -> Report.write(new Args(args, 1));
            case "targets" -> {
                for (Target t : ServiceLoader.load(Target.class)) {
                    System.out.println(t.id() + "\t" + t.description());
                }
            }
            default -> {
                System.err.println("unknown sub-command " + args[0]);
                System.exit(64);
            }
        }
    }

    static Target target(String id) {
        List<String> ids = new ArrayList<>();
        for (Target t : ServiceLoader.load(Target.class)) {
            if (t.id().equals(id)) {
                return t;
            }
            ids.add(t.id());
        }
        throw new IllegalArgumentException("no target " + id + " in this class path; it has " + ids);
    }

    private static void server(Args a) throws Exception {
        Target t = target(a.require("target"));
        String host = a.get("host", "127.0.0.1");
        int port = Integer.parseInt(a.require("port"));
        try (AutoCloseable server = t.startServer(host, port, a.options)) {
            System.out.println("READY " + t.id() + " " + host + ":" + port + " " + t.description());
            System.out.flush();
            Control.serve(host, Integer.parseInt(a.require("control-port")));
        }
        System.out.println("STOPPED " + t.id());
        System.exit(0);
    }
}
