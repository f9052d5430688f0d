package rpcx.bench.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The server JVM's control port: a line protocol the client JVM uses to bracket the measured window
 * ({@code mark}, {@code report}), to read live memory ({@code memory}) and to stop the server ({@code quit}).
 * It runs on a thread of its own that is idle while a phase runs.
 */
public final class Control {
    private Control() {
    }

    /** Serves the control port until {@code quit}; then returns so the caller can close the target's server. */
    static void serve(String host, int port) throws IOException {
        ProcessStats mark = ProcessStats.now();
        try (ServerSocket ss = new ServerSocket(port, 8, InetAddress.getByName(host))) {
            while (true) {
                try (Socket s = ss.accept();
                     var in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                     var out = new PrintWriter(new OutputStreamWriter(s.getOutputStream(), StandardCharsets.UTF_8),
                             true)) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        switch (line.trim()) {
                            case "mark" -> {
                                mark = ProcessStats.now();
                                out.println("{}");
                            }
                            case "report" -> out.println(Json.write(ProcessStats.now().since(mark, "")));
                            case "memory" -> {
                                ProcessStats m = ProcessStats.afterGc();
                                Map<String, Object> r = new LinkedHashMap<>();
                                r.put("rss_bytes", m.rssBytes());
                                r.put("heap_used_bytes", m.heapUsedBytes());
                                r.put("threads", m.threads());
                                out.println(Json.write(r));
                            }
                            case "quit" -> {
                                out.println("{}");
                                return;
                            }
                            default -> out.println("{\"error\":\"unknown command\"}");
                        }
                    }
                } catch (IOException e) {
                    // a client that went away: wait for the next one
                }
            }
        }
    }

    /** A connection to a server's control port. */
    static final class Client implements AutoCloseable {
        private final Socket socket;
        private final BufferedReader in;
        private final PrintWriter out;

        Client(String host, int port) throws IOException {
            socket = new Socket(host, port);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out = new PrintWriter(new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8), true);
        }

        Map<String, Object> send(String command) throws IOException {
            out.println(command);
            String line = in.readLine();
            if (line == null) {
                throw new IOException("control port closed while waiting for the answer to " + command);
            }
            return Json.read(line);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
