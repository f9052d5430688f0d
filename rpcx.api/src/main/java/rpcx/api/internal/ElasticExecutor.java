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
 * one it saw there last time, and this process used less than half of its CPUs over the last few ticks (the
 * workers are blocked in service methods, not merely busy or waiting for a CPU), it starts a worker for every
 * waiting call. So a call never waits much longer than a few ticks for a worker, whatever the others do, as with
 * Go's goroutine per request; the extra workers stop after ten seconds without work. On saturated CPUs more
 * workers would only take turns on them (measured on a one-core benchmark server: up to 10 workers instead of 1,
 * and up to 25 % fewer calls per second), so then the queue waits for the workers there are.
 *
 * <p>Why not {@code Executors.newCachedThreadPool()}: its {@code SynchronousQueue} needs a parked thread to
 * meet every single task, so under load each call costs a thread wake-up (measured on the benchmark server:
 * ≈ 2 µs of CPU per call, a third of the whole call; see docs/performance.md).
 */
final class ElasticExecutor extends ThreadPoolExecutor {
    static final long TICK_MILLIS = 10;
    /** Below this share of the CPUs used over the window, the workers are taken to be blocked. */
    static final double BLOCKED_BELOW = 0.5;
    /**
     * Ticks of CPU history weighed: the process CPU clock the JDK reads moves in 10 ms steps on Linux, so one tick
     * alone says little; eight give the share to about ±15 %.
     */
    static final int WINDOW = 8;
    /** The fewest ticks of history that decide; before that the queue waits (at most this many ticks). */
    static final int MIN_WINDOW = 3;

    private final int base;
    private final int cpus;
    private final AtomicBoolean watching = new AtomicBoolean();
    private volatile ScheduledFuture<?> watchdog;
    // only the timer thread touches these
    private Runnable headAtLastTick;
    private final long[] cpuHistory = new long[WINDOW];
    private final long[] nanosHistory = new long[WINDOW];
    private long samples; // ticks recorded since the watchdog started

    ElasticExecutor(int base, ThreadFactory threads) {
        this(base, threads, Runtime.getRuntime().availableProcessors());
    }

    /** With the number of CPUs the process may use, against which a stalled tick's CPU time is weighed. */
    ElasticExecutor(int base, ThreadFactory threads, int cpus) {
        super(base, Integer.MAX_VALUE, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), threads);
        this.base = base;
        this.cpus = Math.max(1, cpus);
    }

    @Override
    public void execute(Runnable task) {
        super.execute(task);
        // the watchdog runs only while there is work, so an idle pool costs no timer wake-ups
        startWatchdog();
    }

    private void startWatchdog() {
        if (!watching.get() && watching.compareAndSet(false, true)) {
            samples = 0; // the timer thread reads it only after the schedule below, which publishes it
            watchdog = Executors2.timer().scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS,
                    TimeUnit.MILLISECONDS);
        }
    }

    private void tick() {
        Runnable head = getQueue().peek();
        int waiting = getQueue().size();
        record(processCpuNanos(), System.nanoTime());
        if (head != null && head == headAtLastTick) {
            // the same call has waited a whole tick: grow if the workers are blocked, not queueing for the CPUs
            if (workersLookBlocked()) {
                setCorePoolSize(getCorePoolSize() + waiting); // starts workers for the queued calls right away
            }
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

    private void record(long cpu, long nanos) {
        int i = (int) (samples++ % WINDOW);
        cpuHistory[i] = cpu;
        nanosHistory[i] = nanos;
    }

    /**
     * Whether this process used less than {@link #BLOCKED_BELOW} of its CPUs over the recorded window. Where the
     * platform gives no CPU time, always: growing can then never be wrongly held back.
     */
    private boolean workersLookBlocked() {
        int last = (int) ((samples - 1) % WINDOW);
        if (cpuHistory[last] < 0) {
            return true;
        }
        int span = (int) Math.min(samples, WINDOW) - 1;
        if (span < MIN_WINDOW) {
            return false;
        }
        int first = (int) ((samples - 1 - span) % WINDOW);
        long wall = nanosHistory[last] - nanosHistory[first];
        return wall > 0 && cpuHistory[last] - cpuHistory[first] < BLOCKED_BELOW * cpus * wall;
    }

    /** CPU time of the whole process (every thread), or -1 where the platform does not tell. */
    private static long processCpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(-1L);
    }

    @Override
    protected void terminated() {
        ScheduledFuture<?> w = watchdog;
        if (w != null) {
            w.cancel(false);
        }
    }
}
