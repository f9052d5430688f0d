package rpcx.transport.tcp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import rpcx.api.CallContext;
import rpcx.api.ServiceException;

/** Shared bits of the HTTP gateway, JSON-RPC and TLS tests: the Arith service, a raw HTTP/1 socket, curl. */
public final class HttpTests {
    private HttpTests() {
    }

    /** Go rpcx's example service. */
    public static class Arith {
        /** Go: {@code type Args struct { A int; B int }}. */
        public record Args(int a, int b) {
        }

        /** Go: {@code type Reply struct { C int }}. */
        public record Reply(int c) {
        }

        /** Oneway calls land here. */
        final java.util.concurrent.BlockingQueue<Args> recorded = new java.util.concurrent.LinkedBlockingQueue<>();

        /** C = A * B; echoes metadata {@code echo} as response metadata. */
        public Reply mul(CallContext ctx, Args args) {
            String echo = ctx.requestMetadata("echo");
            if (echo != null) {
                ctx.setResponseMetadata("echo", echo);
            }
            String auth = ctx.authToken();
            if (auth != null && !auth.isEmpty()) {
                ctx.setResponseMetadata("auth", auth);
            }
            return new Reply(args.a() * args.b());
        }

        /** C = A / B, or the error {@code divide by zero}. */
        public Reply div(Args args) {
            if (args.b() == 0) {
                throw new ServiceException("divide by zero");
            }
            return new Reply(args.a() / args.b());
        }

        /** Records the args (for oneway tests). */
        public Reply record(Args args) {
            recorded.add(args);
            return new Reply(0);
        }
    }

    /** A parsed HTTP/1 response. */
    record Response(int status, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** A plain socket speaking HTTP/1 by hand: for malformed, pipelined and keep-alive requests. */
    static final class RawHttp implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        RawHttp(int port) throws IOException {
            socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(10_000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }

        RawHttp send(String text) throws IOException {
            return send(text.getBytes(StandardCharsets.ISO_8859_1));
        }

        RawHttp send(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
            return this;
        }

        /** Reads one response (Content-Length bodies only). */
        Response read() throws IOException {
            String status = line();
            if (status == null) {
                throw new IOException("connection closed before a response");
            }
            String[] parts = status.split(" ", 3);
            int code = Integer.parseInt(parts[1]);
            Map<String, String> headers = new TreeMap<>();
            String l;
            while ((l = line()) != null && !l.isEmpty()) {
                int colon = l.indexOf(':');
                headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
            }
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            byte[] body = in.readNBytes(length);
            return new Response(code, headers, body);
        }

        private String line() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) >= 0) {
                if (c == '\n') {
                    String s = b.toString(StandardCharsets.ISO_8859_1);
                    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
                }
                b.write(c);
            }
            return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
        }

        /** Whether the server closed the connection (EOF) within the socket timeout. */
        boolean closedByPeer() {
            try {
                return in.read() < 0;
            } catch (IOException e) {
                return true; // reset
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** Whether a curl binary is there. */
    static boolean curlAvailable() {
        return Files.isExecutable(Path.of("/usr/bin/curl")) || Files.isExecutable(Path.of("/usr/local/bin/curl"));
    }

    /** Runs curl with {@code -s -i} and the arguments; parses its output as one response. */
    static Response curl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("curl", "-s", "-S", "-i", "--max-time", "10"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("curl failed (" + (p.isAlive() ? "timeout" : "exit " + p.exitValue()) + "): " + err);
        }
        // skip "HTTP/1.1 100 Continue" blocks
        int start = 0;
        String all = new String(out, StandardCharsets.ISO_8859_1);
        while (all.startsWith("HTTP/1.1 100", start)) {
            start = all.indexOf("\r\n\r\n", start) + 4;
        }
        int headerEnd = all.indexOf("\r\n\r\n", start);
        String[] lines = all.substring(start, headerEnd).split("\r\n");
        int code = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        byte[] body = java.util.Arrays.copyOfRange(out, headerEnd + 4, out.length);
        return new Response(code, headers, body);
    }
}
