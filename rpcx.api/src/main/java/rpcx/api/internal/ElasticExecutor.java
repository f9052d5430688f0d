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
 * watchdog looks every {@value #TICK_MILLIS} ms while there is work: when the call at the head of the queue is the
 * one it saw there last time (the workers are blocked in service methods, not merely busy), it starts a worker for
 * every waiting call. So a call never waits longer than about a tick for a worker, whatever the others do, as
 * with Go's goroutine per request; the extra workers stop after ten seconds without work.
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
    private Runnable headAtLastTick; // only the timer thread touches it

    ElasticExecutor(int base, ThreadFactory threads) {
        super(base, Integer.MAX_VALUE, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), threads);
        this.base = base;
    }

    @Override
    public void execute(Runnable task) {
        super.execute(task);
        // the watchdog runs only while there is work, so an idle pool costs no timer wake-ups
        startWatchdog();
    }

    private void startWatchdog() {
        if (!watching.get() && watching.compareAndSet(false, true)) {
            watchdog = Executors2.timer().scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS,
                    TimeUnit.MILLISECONDS);
        }
    }

    private void tick() {
        Runnable head = getQueue().peek();
        int waiting = getQueue().size();
        if (head != null && head == headAtLastTick) {
            // the same call has waited a whole tick: the workers are blocked, not merely busy
            setCorePoolSize(getCorePoolSize() + waiting); // starts workers for the queued calls right away
        } else if (waiting == 0 && getCorePoolSize() > base) {
            setCorePoolSize(base); // workers beyond the base stop once idle for the keep-alive time
        }
        headAtLastTick = head;
        if (waiting == 0 && getActiveCount() == 0 && getCorePoolSize() == base) {
            watchdog.cancel(false);
            headAtLastTick = null;
            watching.set(false);
            if (!getQueue().isEmpty()) {
                startWatchdog(); // work arrived while stopping
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
