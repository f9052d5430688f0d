package rpcx.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP listener beside the rpcx port that serves connections bearing a token handed out by an rpcx call: the
 * peer writes the 32-byte token first, then the connection belongs to the session the token was issued for. Tokens
 * are used once; at most {@code waitNum} wait, the oldest dropped first (Go's LRU of {@code waitNum}).
 *
 * <p>Unlike Go, the token is read on a worker with a 10-second limit (Go reads it in its accept loop, so one
 * silent peer stalls every other), and the connection is closed when the session returns.
 */
final class SideChannel implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("rpcx.server");
    static final int TOKEN_LENGTH = 32;
    private static final int TOKEN_READ_TIMEOUT_MS = 10_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What a connection with a token does; the connection is closed when it returns. */
    interface Session {
        void run(Socket connection) throws Exception;
    }

    private final String name;
    private final ServerSocket listener;
    private final String listenHost;
    private final Map<String, Session> waiting;
    private final ExecutorService workers;
    private volatile String advertised;

    private SideChannel(String name, ServerSocket listener, String listenHost, int waitNum) {
        this.name = name;
        this.listener = listener;
        this.listenHost = listenHost;
        this.waiting = new LinkedHashMap<>(16, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Session> eldest) {
                return size() > waitNum;
            }
        };
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "rpcx-" + name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Listens on {@code host:port} ({@code :port} or an empty host: every interface; port 0: any free one).
     *
     * @throws TransferException when the address is malformed or cannot be bound
     */
    static SideChannel open(String name, String address, int waitNum) {
        if (waitNum < 1) {
            throw new IllegalArgumentException("waitNum must be at least 1: " + waitNum);
        }
        int colon = address.lastIndexOf(':');
        if (colon < 0) {
            throw new TransferException(name + ": '" + address + "' is not host:port (or :port)");
        }
        String host = address.substring(0, colon).replace("[", "").replace("]", "");
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new TransferException(name + ": '" + address + "' has no port number");
        }
        ServerSocket listener = null;
        try {
            listener = new ServerSocket();
            listener.setReuseAddress(true);
            listener.bind(host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port));
        } catch (IOException | IllegalArgumentException e) {
            closeQuietly(listener);
            throw new TransferException(name + ": cannot listen on " + address + ": " + e.getMessage(), e);
        }
        SideChannel channel = new SideChannel(name, listener, host, waitNum);
        Thread accept = new Thread(channel::acceptLoop, "rpcx-" + name + "-accept");
        accept.setDaemon(true);
        accept.start();
        return channel;
    }

    /** The address handed out with tokens: the one set, else the listen host with the bound port. */
    String address() {
        String a = advertised;
        if (a != null) {
            return a;
        }
        String host = listenHost.contains(":") ? "[" + listenHost + "]" : listenHost;
        return host + ":" + listener.getLocalPort();
    }

    void advertise(String address) {
        advertised = address;
    }

    /** Issues a token for a session and the address to bring it to. */
    TokenReply issue(Session session) {
        byte[] token = new byte[TOKEN_LENGTH];
        RANDOM.nextBytes(token);
        synchronized (waiting) {
            waiting.put(HexFormat.of().formatHex(token), session);
        }
        return new TokenReply(token, address());
    }

    private void acceptLoop() {
        long backoffMs = 0;
        while (!listener.isClosed()) {
            Socket s;
            try {
                s = listener.accept();
                backoffMs = 0;
            } catch (IOException e) {
                if (listener.isClosed()) {
                    return;
                }
                // out of file descriptors, say: wait 5 ms doubling to 1 s, as Go's accept loop
                backoffMs = Math.min(1000, backoffMs == 0 ? 5 : backoffMs * 2);
                LOG.log(System.Logger.Level.WARNING, "rpcx {0}: accept failed: {1}; retrying in {2} ms", name,
                        e.getMessage(), backoffMs);
                try {
                    Thread.sleep(backoffMs);
                } catch (InterruptedException ie) {
                    return;
                }
                continue;
            }
            try {
                workers.execute(() -> serve(s));
            } catch (RuntimeException e) { // closed meanwhile
                closeQuietly(s);
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            Session session = session(s);
            if (session != null) {
                s.setSoTimeout(0);
                session.run(s);
            }
        } catch (SocketException e) {
            LOG.log(System.Logger.Level.DEBUG, "rpcx {0}: connection ended: {1}", name, e.getMessage());
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "rpcx " + name + ": a handler failed", e);
        }
    }

    /** The session the connection's token was issued for, or null (logged) when it brings none in time. */
    private Session session(Socket s) throws IOException {
        byte[] token;
        try {
            s.setKeepAlive(true);
            s.setSoTimeout(TOKEN_READ_TIMEOUT_MS);
            token = readToken(s.getInputStream());
        } catch (SocketTimeoutException e) {
            token = null;
        }
        Session session;
        synchronized (waiting) {
            session = token == null ? null : waiting.remove(HexFormat.of().formatHex(token));
        }
        if (session == null) {
            LOG.log(System.Logger.Level.WARNING, "rpcx {0}: {1} brought no valid token within {2} ms; closed", name,
                    s.getRemoteSocketAddress(), TOKEN_READ_TIMEOUT_MS);
        }
        return session;
    }

    private static byte[] readToken(InputStream in) throws IOException {
        byte[] token = in.readNBytes(TOKEN_LENGTH);
        return token.length == TOKEN_LENGTH ? token : null;
    }

    /** Stops listening; sessions running go on until they return. */
    @Override
    public void close() {
        closeQuietly(listener);
        workers.shutdown();
        synchronized (waiting) {
            waiting.clear();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing
            }
        }
    }

    /** A loopback address for an empty host, as Go dials {@code :port} locally. */
    static InetSocketAddress dialAddress(String address) {
        int colon = address.lastIndexOf(':');
        if (colon < 0) {
            throw new TransferException("the server handed out '" + address + "', which is not host:port");
        }
        String host = address.substring(0, colon).replace("[", "").replace("]", "");
        int port = Integer.parseInt(address.substring(colon + 1));
        return host.isEmpty() ? new InetSocketAddress(InetAddress.getLoopbackAddress(), port) : new InetSocketAddress(host, port);
    }
}
