package rpcx.registry.zookeeper.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

import rpcx.api.TransportException;
import rpcx.registry.zookeeper.ZooKeeperOptions;

/**
 * A ZooKeeper connection that outlives its sessions: when a session expires (the ensemble was unreachable longer
 * than the session timeout, or was wiped) a new handle is opened, and the listeners hear of every connected
 * state together with whether the session is new, so they can re-create ephemeral nodes and re-set watches.
 * Listeners and tasks run on the one thread this owns, never on ZooKeeper's event thread.
 */
final class ZkSession implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("rpcx.registry.zookeeper");

    final ZooKeeperOptions options;
    private final ScheduledExecutorService thread;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Object connectedLock = new Object();
    private volatile ZooKeeper zk;
    private boolean connected; // guarded by connectedLock
    private long lastSessionId; // only on the thread
    private volatile boolean closed;

    /** Told of each (re)connection, on the session's thread. */
    interface Listener {
        /** Connected again; {@code newSession} when the previous session (and its ephemeral nodes and watches) is gone. */
        void connected(boolean newSession);
    }

    ZkSession(ZooKeeperOptions options, String threadName) {
        this.options = options;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        this.zk = open();
    }

    private ZooKeeper open() {
        try {
            return new ZooKeeper(options.connectString(), (int) options.sessionTimeout().toMillis(), this::stateChanged);
        } catch (IOException | IllegalArgumentException e) {
            throw new TransportException("cannot open a ZooKeeper client for " + options.connectString() + ": " + e.getMessage(), e);
        }
    }

    /** ZooKeeper's connection events (on its event thread): remember the state, hand the rest to our thread. */
    private void stateChanged(WatchedEvent e) {
        if (e.getType() != Watcher.Event.EventType.None) {
            return;
        }
        switch (e.getState()) {
            case SyncConnected, ConnectedReadOnly -> {
                setConnected(true);
                run(this::tellConnected);
            }
            case Disconnected -> setConnected(false);
            case Expired -> {
                setConnected(false);
                run(this::renew);
            }
            default -> {
                // AuthFailed, Closed, SaslAuthenticated: nothing to do
            }
        }
    }

    private void setConnected(boolean now) {
        synchronized (connectedLock) {
            connected = now;
            connectedLock.notifyAll();
        }
    }

    private void tellConnected() {
        ZooKeeper h = zk;
        long id = h.getSessionId();
        if (closed || id == 0) {
            return;
        }
        boolean fresh = id != lastSessionId;
        lastSessionId = id;
        for (Listener l : listeners) {
            try {
                l.connected(fresh);
            } catch (RuntimeException ex) {
                LOG.log(System.Logger.Level.WARNING, "rpcx: a ZooKeeper session listener failed", ex);
            }
        }
    }

    /** The session expired: its handle is dead for good, so open another. */
    private void renew() {
        if (closed) {
            return;
        }
        LOG.log(System.Logger.Level.INFO, "rpcx: ZooKeeper session 0x" + Long.toHexString(zk.getSessionId())
                + " expired; opening a new one");
        closeQuietly(zk);
        try {
            zk = open();
        } catch (TransportException ex) {
            LOG.log(System.Logger.Level.WARNING, "rpcx: " + ex.getMessage() + "; retrying in 1 s");
            later(this::renew, 1000);
        }
    }

    void addListener(Listener l) {
        listeners.add(l);
    }

    void removeListener(Listener l) {
        listeners.remove(l);
    }

    /** Runs the task on the session's thread (dropped once closed). */
    void run(Runnable task) {
        later(task, 0);
    }

    void later(Runnable task, long millis) {
        try {
            if (!closed) {
                thread.schedule(task, millis, TimeUnit.MILLISECONDS);
            }
        } catch (RejectedExecutionException closing) {
            // closed meanwhile
        }
    }

    /** Repeats the task on the session's thread. */
    void every(Runnable task, long millis) {
        thread.scheduleWithFixedDelay(task, millis, millis, TimeUnit.MILLISECONDS);
    }

    /**
     * The current handle once connected.
     *
     * @throws TransportException when ZooKeeper cannot be reached within the options' timeout
     */
    ZooKeeper connected() {
        long end = System.nanoTime() + options.timeout().toNanos();
        synchronized (connectedLock) {
            while (!connected) {
                long left = end - System.nanoTime();
                if (left <= 0 || closed) {
                    throw new TransportException("ZooKeeper at " + options.connectString() + " cannot be reached (waited "
                            + options.timeout().toMillis() + " ms)");
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(connectedLock, left);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new TransportException("interrupted while connecting to ZooKeeper", ie);
                }
            }
        }
        return zk;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] b) {
        return b == null ? "" : new String(b, StandardCharsets.UTF_8);
    }

    /** A request failure as rpcx's error. */
    static TransportException failure(String what, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new TransportException("ZooKeeper: " + what + " failed: " + e.getMessage(), e);
    }

    /**
     * Go's libkv {@code Put} of a directory: every missing node of the path created persistent and empty, then the
     * last one's data set.
     */
    static void putDirectory(ZooKeeper zk, String path, String data) throws KeeperException, InterruptedException {
        createParents(zk, path + "/x");
        try {
            zk.create(path, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        } catch (KeeperException.NodeExistsException exists) {
            // fine
        }
        zk.setData(path, bytes(data), -1);
    }

    /** Creates the missing ancestors of {@code path}, persistent and empty. */
    static void createParents(ZooKeeper zk, String path) throws KeeperException, InterruptedException {
        for (int i = path.indexOf('/', 1); i > 0; i = path.indexOf('/', i + 1)) {
            try {
                zk.create(path.substring(0, i), new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            } catch (KeeperException.NodeExistsException exists) {
                // fine
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.shutdownNow();
        setConnected(false);
        closeQuietly(zk);
    }

    private static void closeQuietly(ZooKeeper h) {
        try {
            h.close();
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
    }

    /** For code that must wait for a connected state without failing. */
    boolean isConnected() {
        synchronized (connectedLock) {
            return connected;
        }
    }
}
