package rpcx.api;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What {@link Server#shutdownOnSignal} sets up, once per JVM: SIGTERM and SIGINT handlers (through
 * {@code sun.misc.Signal}, by reflection, when module {@code jdk.unsupported} is present) that shut every
 * registered server down gracefully and then exit, and one JVM shutdown hook that does the same bounded shutdown
 * on any other exit. Every wait is bounded: a shutdown hook must never hang the JVM.
 */
final class ShutdownSignals {
    private static final System.Logger LOG = System.getLogger("rpcx.server");
    /** Beyond the drain timeout: closing connections and transports. */
    private static final Duration MARGIN = Duration.ofSeconds(5);
    private static final Map<Server, Duration> SERVERS = new ConcurrentHashMap<>();
    private static final Map<Server, Duration> RESTARTS = new ConcurrentHashMap<>();
    private static final AtomicBoolean HUP_INSTALLED = new AtomicBoolean();
    private static final AtomicBoolean INSTALLED = new AtomicBoolean();
    private static final AtomicBoolean SIGNALLED = new AtomicBoolean();

    private ShutdownSignals() {
    }

    static void register(Server server, Duration timeout) {
        SERVERS.put(server, timeout);
        server.terminationFuture().whenComplete((v, e) -> SERVERS.remove(server, timeout));
        if (INSTALLED.compareAndSet(false, true)) {
            installSignalHandlers("TERM", "INT");
            Runtime.getRuntime().addShutdownHook(new Thread(ShutdownSignals::onJvmExit, "rpcx-shutdown-hook"));
        }
    }

    static void registerRestart(Server server, Duration timeout) {
        RESTARTS.put(server, timeout);
        server.terminationFuture().whenComplete((v, e) -> RESTARTS.remove(server, timeout));
        if (HUP_INSTALLED.compareAndSet(false, true)) {
            installSignalHandlers("HUP");
        }
    }

    /** SIGHUP: restart every server that asked for it (a new process each), then exit once they drained. */
    private static void onRestartSignal() {
        if (!SIGNALLED.compareAndSet(false, true)) {
            return;
        }
        Thread t = new Thread(() -> {
            boolean ok = true;
            for (Map.Entry<Server, Duration> e : Map.copyOf(RESTARTS).entrySet()) {
                LOG.log(System.Logger.Level.INFO, "rpcx: received SIGHUP: graceful restart");
                try {
                    e.getKey().restart(Duration.ofSeconds(3), e.getValue())
                            .get(e.getValue().plus(MARGIN).plusSeconds(3).toMillis(), TimeUnit.MILLISECONDS);
                    ok &= !e.getKey().drainTimedOut();
                } catch (Exception x) {
                    LOG.log(System.Logger.Level.WARNING, "rpcx: graceful restart failed (" + x.getMessage()
                            + "); shutting down gracefully instead", x);
                    ok = false;
                    try {
                        e.getKey().shutdown(e.getValue()).get(e.getValue().plus(MARGIN).toMillis(), TimeUnit.MILLISECONDS);
                    } catch (Exception y) {
                        LOG.log(System.Logger.Level.WARNING, "rpcx: graceful shutdown failed", y);
                    }
                }
            }
            System.exit(ok ? 0 : 1);
        }, "rpcx-signal-restart");
        t.setDaemon(false);
        t.start();
    }

    /** The JVM exits for another reason (System.exit, SIGHUP, SIGTERM without our handler): the same bounded drain. */
    private static void onJvmExit() {
        if (SIGNALLED.get()) {
            return; // our signal thread has shut everything down and is the one exiting
        }
        if (!SERVERS.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "rpcx: the JVM is exiting: shutting down gracefully");
            shutdownAll();
        }
    }

    private static void onSignal(String name, int number) {
        if (!SIGNALLED.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.INFO, "rpcx: received SIG" + name + " again; already shutting down");
            return;
        }
        Thread t = new Thread(() -> {
            int status;
            if (SERVERS.isEmpty()) {
                status = 128 + number; // nothing of ours left: the JVM's own status for this signal
            } else {
                LOG.log(System.Logger.Level.INFO, "rpcx: received SIG" + name + ": graceful shutdown");
                status = shutdownAll() ? 0 : 1;
            }
            System.exit(status);
        }, "rpcx-signal-shutdown");
        t.setDaemon(false); // keeps the JVM up until it calls System.exit
        t.start();
    }

    /** Shuts every registered server down at once; true when all drained within their timeouts. */
    private static boolean shutdownAll() {
        List<Server> servers = new ArrayList<>();
        List<CompletableFuture<Void>> done = new ArrayList<>();
        Duration longest = Duration.ZERO;
        for (Map.Entry<Server, Duration> e : Map.copyOf(SERVERS).entrySet()) {
            servers.add(e.getKey());
            done.add(e.getKey().shutdown(e.getValue()));
            longest = e.getValue().compareTo(longest) > 0 ? e.getValue() : longest;
        }
        try {
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new))
                    .get(longest.plus(MARGIN).toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.log(System.Logger.Level.WARNING, "rpcx: graceful shutdown did not end within " + longest.plus(MARGIN).toMillis()
                    + " ms; exiting anyway");
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            LOG.log(System.Logger.Level.WARNING, "rpcx: graceful shutdown failed", e.getCause());
            return false;
        }
        return servers.stream().noneMatch(Server::drainTimedOut);
    }

    /** Installs our handler for each signal it can; returns whether any was installed. */
    private static boolean installSignalHandlers(String... names) {
        Class<?> signalType;
        Class<?> handlerType;
        Method handle;
        Method number;
        try {
            signalType = Class.forName("sun.misc.Signal");
            handlerType = Class.forName("sun.misc.SignalHandler");
            handle = signalType.getMethod("handle", signalType, handlerType);
            number = signalType.getMethod("getNumber");
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "rpcx: sun.misc.Signal is not available (" + e
                    + "); graceful shutdown runs from a JVM shutdown hook only");
            return false;
        }
        boolean any = false;
        for (String name : names) {
            try {
                Object signal = signalType.getConstructor(String.class).newInstance(name);
                int n = (Integer) number.invoke(signal);
                Object handler = Proxy.newProxyInstance(ShutdownSignals.class.getClassLoader(), new Class<?>[] {handlerType},
                        (proxy, m, args) -> switch (m.getName()) {
                            case "handle" -> {
                                if (name.equals("HUP")) {
                                    onRestartSignal();
                                } else {
                                    onSignal(name, n);
                                }
                                yield null;
                            }
                            case "hashCode" -> System.identityHashCode(proxy);
                            case "equals" -> proxy == args[0];
                            default -> "rpcx graceful shutdown on SIG" + name;
                        });
                Object previous = handle.invoke(null, signal, handler);
                if (previous == handlerType.getField("SIG_IGN").get(null)) {
                    // the JVM leaves a signal ignored since start-up (nohup, a parent's SIG_IGN) alone: ours is not in place
                    LOG.log(System.Logger.Level.WARNING, "rpcx: SIG" + name + " is ignored by this process (started"
                            + " under nohup, or by a parent that ignores it), so it cannot trigger a graceful "
                            + (name.equals("HUP") ? "restart" : "shutdown") + "; start the JVM without ignoring it");
                    continue;
                }
                any = true;
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                // e.g. SIGINT ignored by a shell that started us in the background, or -Xrs
                LOG.log(System.Logger.Level.DEBUG, () -> "rpcx: cannot handle SIG" + name + ": " + e);
            }
        }
        return any;
    }
}
