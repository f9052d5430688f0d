package rpcx.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import rpcx.api.protocol.FrameLimits;
import rpcx.api.protocol.Message;
import rpcx.api.spi.HostPort;

/**
 * {@code rpcx dump}: rpcx frames decoded from a hex dump, a pcap capture, or the traffic through a TCP proxy (Go's
 * rpcxdump), each printed with its header fields, metadata and payload.
 */
@Command(name = "dump", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Decodes rpcx frames and prints their header fields, metadata and payload.",
            "",
            "  rpcx dump --hex 0800003000000000000000000000001f...",
            "  rpcx dump --hex-file frames.txt      (hex lines; # comments)",
            "  rpcx dump --pcap capture.pcap --port 8972",
            "  rpcx dump --proxy 127.0.0.1:9000 --to 127.0.0.1:8972",
            ""},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every frame decoded", "1:some input was not an rpcx frame (what came before is printed)",
            "2:the command line is wrong", "3:the input could not be read, or the proxy could not listen"})
final class DumpCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--hex", paramLabel = "HEX", description = "frames in hex, back to back (spaces allowed)")
        String hex;

        @Option(names = "--hex-file", paramLabel = "FILE", description = "a file of hex lines; # lines are comments")
        Path hexFile;

        @Option(names = "--pcap", paramLabel = "FILE", description = "a libpcap capture (tcpdump -w)")
        Path pcap;

        @Option(names = "--proxy", paramLabel = "HOST:PORT",
                description = "listen here and relay to --to, printing every frame both ways")
        String proxy;
    }

    @Option(names = "--to", paramLabel = "HOST:PORT", description = "with --proxy: the rpcx server")
    String to;

    @Option(names = "--port", paramLabel = "PORT", description = "with --pcap: only TCP flows to or from this port")
    Integer port;

    @Option(names = "--frames", paramLabel = "N", description = "with --proxy: stop after N frames (default: never)")
    Integer frames;

    @Option(names = "--max-length", paramLabel = "BYTES", defaultValue = "67108864",
            description = "the largest frame accepted (default 64 MiB)")
    int maxLength;

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private FrameLimits limits() {
        return FrameLimits.DEFAULT.withMaxMessageLength(maxLength);
    }

    @Override
    public Integer call() {
        if ((source.proxy != null) != (to != null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--proxy and --to go together");
        }
        try {
            if (source.hex != null) {
                return hex(source.hex, "");
            }
            if (source.hexFile != null) {
                return hexFile(source.hexFile);
            }
            if (source.pcap != null) {
                return pcap(source.pcap);
            }
            return proxy();
        } catch (IOException e) {
            spec.commandLine().getErr().println("rpcx dump: " + e.getMessage());
            return Rpcx.UNREACHABLE;
        }
    }

    private int hex(String text, String where) {
        byte[] bytes;
        try {
            bytes = HexFormat.of().parseHex(text.replaceAll("\\s+", ""));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "not hex" + where + ": " + e.getMessage());
        }
        FrameStream stream = new FrameStream(limits());
        for (Message m : stream.append(bytes, 0, bytes.length)) {
            out().println(FramePrinter.describe(m));
        }
        if (stream.error() != null) {
            out().println("not an rpcx frame" + where + ": " + stream.error().getMessage());
            return Rpcx.SERVICE_ERROR;
        }
        if (stream.pending() > 0) {
            out().println("an unfinished frame" + where + ": " + stream.pending() + " bytes left over");
            return Rpcx.SERVICE_ERROR;
        }
        return Rpcx.OK;
    }

    private int hexFile(Path file) throws IOException {
        int code = Rpcx.OK;
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            code = Math.max(code, hex(line, " (line " + (i + 1) + ")"));
        }
        return code;
    }

    /** One direction of a TCP connection being put back in order. */
    private final class Flow {
        long next = -1;
        final TreeMap<Long, byte[]> ahead = new TreeMap<>();
        final FrameStream stream = new FrameStream(limits());
        boolean broken;
    }

    private int pcap(Path file) throws IOException {
        Map<String, Flow> flows = new LinkedHashMap<>();
        int code = Rpcx.OK;
        for (Pcap.Segment s : Pcap.tcpSegments(file)) {
            if (port != null && s.srcPort() != port && s.dstPort() != port) {
                continue;
            }
            Flow f = flows.computeIfAbsent(s.flow(), k -> new Flow());
            if (s.syn()) {
                f.next = (s.seq() + 1) & 0xffffffffL;
                continue;
            }
            if (s.data().length == 0 || f.broken) {
                continue;
            }
            if (f.next < 0) {
                f.next = s.seq(); // the capture started mid-connection
            }
            f.ahead.merge(s.seq(), s.data(), (a, b) -> a.length >= b.length ? a : b);
            // deliver what is now in order; drop what was seen already (retransmissions)
            for (Map.Entry<Long, byte[]> e = f.ahead.firstEntry(); e != null; e = f.ahead.firstEntry()) {
                long offset = (f.next - e.getKey()) & 0xffffffffL;
                if (offset > Integer.MAX_VALUE) {
                    break; // a gap: wait for the missing segment
                }
                f.ahead.pollFirstEntry();
                byte[] data = e.getValue();
                if (offset >= data.length) {
                    continue;
                }
                f.next = (f.next + data.length - offset) & 0xffffffffL;
                for (Message m : f.stream.append(data, (int) offset, data.length - (int) offset)) {
                    out().println(s.flow() + "\n" + FramePrinter.describe(m));
                }
                if (f.stream.error() != null) {
                    f.broken = true;
                    if (port != null) {
                        out().println(s.flow() + ": not rpcx: " + f.stream.error().getMessage());
                        code = Rpcx.SERVICE_ERROR;
                    }
                    break;
                }
            }
        }
        return code;
    }

    private int proxy() throws IOException {
        InetSocketAddress listen = HostPort.resolve("tcp", source.proxy, true);
        InetSocketAddress target = HostPort.resolve("tcp", to, false);
        AtomicInteger printed = new AtomicInteger();
        CountDownLatch enough = new CountDownLatch(1);
        try (ServerSocket server = new ServerSocket()) {
            server.bind(listen);
            spec.commandLine().getErr().println("rpcx dump: relaying " + server.getLocalSocketAddress() + " -> " + target);
            Thread acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket client = server.accept();
                        Socket upstream = new Socket();
                        upstream.connect(target, 5_000);
                        String peer = hostPort((InetSocketAddress) client.getRemoteSocketAddress());
                        String name = peer + " -> " + hostPort(target);
                        String back = hostPort(target) + " -> " + peer;
                        pipe(client, upstream, name, printed, enough);
                        pipe(upstream, client, back, printed, enough);
                    } catch (IOException e) {
                        if (!server.isClosed()) {
                            spec.commandLine().getErr().println("rpcx dump: " + e.getMessage());
                        }
                    }
                }
            }, "rpcx-dump-accept");
            acceptor.setDaemon(true);
            acceptor.start();
            enough.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Rpcx.OK;
    }

    /** Copies one direction and prints its frames; closes both sockets when either side ends. */
    private void pipe(Socket from, Socket into, String name, AtomicInteger printed, CountDownLatch enough) {
        Thread t = new Thread(() -> {
            FrameStream stream = new FrameStream(limits());
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream o = into.getOutputStream()) {
                for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                    o.write(buf, 0, n);
                    o.flush();
                    boolean broken = stream.error() != null;
                    for (Message m : stream.append(buf, 0, n)) {
                        synchronized (this) {
                            out().println(name + "\n" + FramePrinter.describe(m));
                            out().flush();
                        }
                        if (frames != null && printed.incrementAndGet() >= frames) {
                            enough.countDown();
                        }
                    }
                    if (!broken && stream.error() != null) {
                        synchronized (this) {
                            out().println(name + ": not rpcx (relayed as is): " + stream.error().getMessage());
                        }
                    }
                }
            } catch (IOException e) {
                // one side closed: close the other too
            } finally {
                close(from);
                close(into);
            }
        }, "rpcx-dump-pipe");
        t.setDaemon(true);
        t.start();
    }

    private static String hostPort(InetSocketAddress a) {
        return a.getHostString() + ":" + a.getPort();
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
