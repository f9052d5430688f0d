package rpcx.api.internal;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The default service executor before virtual threads: a few workers (one per core) that take calls from a queue,
 * so a busy worker runs the next call without a thread wake-up, and more workers as soon as the queue stalls. A
 * watchdog looks every {@value #TICK_MILLIS} ms while there is work: when calls are waiting and no call finished since its last look
 * (every worker is blocked in a service method), it starts a worker for every waiting call. So no call waits on
 * another blocked call for longer than a tick, as with Go's goroutine per request; the extra workers stop after a
 * minute without work.
 *
 * <p>Why not {@code Executors.newCachedThreadPool()}: its {@code SynchronousQueue} needs a parked thread to
 * meet every single task, so under load each call costs a thread wake-up (measured on the benchmark server:
 * ≈ 2 µs of CPU per call, a third of the whole call; see docs/performance.md).
 */
final class ElasticExecutor extends ThreadPoolExecutor {
    static final long TICK_MILLIS = 10;

    private final int base;
    private final AtomicBoolean watching = new AtomicBoolean();
    private volatile ScheduledFuture<?> watchdog;
    private long completedAtLastTick = -1;

    ElasticExecutor(int base, ThreadFactory threads) {
        super(base, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), threads);
        this.base = base;
    }

    @Override
    public void execute(Runnable task) {
        super.execute(task);
        if (!watching.get() && watching.compareAndSet(false, true)) {
            // the watchdog runs only while there is work, so an idle pool costs no timer wake-ups
            completedAtLastTick = -1;
            watchdog = Executors2.timer().scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS,
                    TimeUnit.MILLISECONDS);
        }
    }

    private void tick() {
        int waiting = getQueue().size();
        long completed = getCompletedTaskCount();
        if (waiting > 0 && completed == completedAtLastTick) {
            setCorePoolSize(getCorePoolSize() + waiting); // starts workers for the queued calls right away
        } else if (waiting == 0 && getCorePoolSize() > base) {
            setCorePoolSize(base); // workers beyond the base stop once idle for the keep-alive time
        }
        completedAtLastTick = completed;
        if (waiting == 0 && getActiveCount() == 0 && getCorePoolSize() == base) {
            watchdog.cancel(false);
            watching.set(false);
            if (!getQueue().isEmpty() && watching.compareAndSet(false, true)) {
                watchdog = Executors2.timer().scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS,
                        TimeUnit.MILLISECONDS); // work arrived while stopping
            }
        }
    }

    @Override
    protected void terminated() {
        ScheduledFuture<?> w = watchdog;
        if (w != null) {
            w.cancel(false);
        }
    }
}
