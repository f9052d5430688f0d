package rpcx.api.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** The executors the runtime creates when the user gives none. */
public final class Executors2 {
    private static final ScheduledThreadPoolExecutor TIMER;

    static {
        TIMER = new ScheduledThreadPoolExecutor(1, daemon("rpcx-timer"));
        TIMER.setRemoveOnCancelPolicy(true);
    }

    private Executors2() {
    }

    /** A factory of named daemon threads. */
    public static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Where service methods run by default: a virtual thread per call on Java 21+, else an elastic pool that starts
     * a thread whenever all are busy (so no call waits for another to return) and lets busy workers take queued
     * calls without a wake-up each.
     */
    public static ExecutorService serviceExecutor() {
        try {
            Object e = Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
            return (ExecutorService) e;
        } catch (ReflectiveOperationException | RuntimeException notOnThisJava) {
            return new ElasticExecutor(Runtime.getRuntime().availableProcessors(), daemon("rpcx-service"));
        }
    }

    /** The shared timer for deadlines and heartbeats (one daemon thread; tasks must be short). */
    public static ScheduledExecutorService timer() {
        return TIMER;
    }

    /** The shared pool completing asynchronous client calls (so user callbacks never run on I/O threads). */
    public static ExecutorService callbacks() {
        return Callbacks.POOL;
    }

    private static final class Callbacks {
        // queue-fed like the service executor: a busy callback thread takes the next completion without a wake-up
        static final ExecutorService POOL = new ElasticExecutor(Runtime.getRuntime().availableProcessors(),
                daemon("rpcx-callback"));
    }

    /** An executor that runs tasks one at a time, in submission order, on the callback threads. */
    public static java.util.concurrent.Executor serial() {
        return new SerialExecutor(callbacks());
    }
}
