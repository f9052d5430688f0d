package rpcx.api.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** The default service/callback executor: queue-fed workers that grow when every worker is blocked. */
class ElasticExecutorTest {

    @Test
    void aBlockedWorkerDoesNotStarveTheNextCall() throws Exception {
        ElasticExecutor pool = new ElasticExecutor(1, Executors2.daemon("elastic-test"));
        try {
            CountDownLatch secondRan = new CountDownLatch(1);
            CountDownLatch firstDone = new CountDownLatch(1);
            pool.execute(() -> {
                try {
                    // the only base worker waits for a call queued behind it, as a service calling itself would
                    if (secondRan.await(10, TimeUnit.SECONDS)) {
                        firstDone.countDown();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            pool.execute(secondRan::countDown);
            assertTrue(firstDone.await(10, TimeUnit.SECONDS), "the queued call never got a worker");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void fiftyCallsThatWaitForEachOtherAllRun() throws Exception {
        ElasticExecutor pool = new ElasticExecutor(2, Executors2.daemon("elastic-test"));
        try {
            int n = 50;
            CyclicBarrier barrier = new CyclicBarrier(n);
            CountDownLatch passed = new CountDownLatch(n);
            for (int i = 0; i < n; i++) {
                pool.execute(() -> {
                    try {
                        barrier.await(20, TimeUnit.SECONDS);
                        passed.countDown();
                    } catch (Exception e) {
                        // counted as not passed
                    }
                });
            }
            assertTrue(passed.await(20, TimeUnit.SECONDS), "only " + (n - passed.getCount()) + " of " + n
                    + " mutually waiting calls ran: the pool did not grow to one worker per blocked call");
            assertTrue(pool.getLargestPoolSize() >= n);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void busyWorkersTakeQueuedCallsWithoutGrowingAndTheCoreShrinksBackWhenIdle() throws Exception {
        ElasticExecutor pool = new ElasticExecutor(2, Executors2.daemon("elastic-test"));
        try {
            AtomicInteger ran = new AtomicInteger();
            CountDownLatch block = new CountDownLatch(1);
            CyclicBarrier started = new CyclicBarrier(3);
            for (int i = 0; i < 2; i++) {
                pool.execute(() -> {
                    try {
                        started.await(10, TimeUnit.SECONDS);
                        block.await(10, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            started.await(10, TimeUnit.SECONDS);
            for (int i = 0; i < 3; i++) {
                pool.execute(ran::incrementAndGet);
            }
            // both workers blocked and three calls waiting: the watchdog starts workers for them
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (ran.get() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(3, ran.get());
            assertTrue(pool.getLargestPoolSize() > 2, "grew for the stalled queue");
            block.countDown();
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (pool.getCorePoolSize() > 2 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(2, pool.getCorePoolSize(), "back to its base once the queue is empty");
            // a steady stream of quick calls, each submitted after the previous finished, never grows the pool
            int before = pool.getLargestPoolSize();
            for (int i = 0; i < 1000; i++) {
                CountDownLatch done = new CountDownLatch(1);
                pool.execute(done::countDown);
                assertTrue(done.await(10, TimeUnit.SECONDS));
            }
            assertEquals(before, pool.getLargestPoolSize());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shortBlockingCallsRunSideBySideLikeGoroutines() throws Exception {
        ElasticExecutor pool = new ElasticExecutor(2, Executors2.daemon("elastic-test"));
        try {
            int n = 200;
            AtomicInteger running = new AtomicInteger();
            AtomicInteger peak = new AtomicInteger();
            CountDownLatch done = new CountDownLatch(n);
            for (int i = 0; i < n; i++) {
                pool.execute(() -> {
                    peak.accumulateAndGet(running.incrementAndGet(), Math::max);
                    try {
                        Thread.sleep(50); // a database call, say: each finishes, but none of them is quick
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        running.decrementAndGet();
                        done.countDown();
                    }
                });
            }
            assertTrue(done.await(30, TimeUnit.SECONDS));
            assertTrue(peak.get() >= n / 2, "blocking calls were run " + peak.get() + " at a time, not side by side");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void callsQueuedBehindBusyCpusDoNotGrowThePool() throws Exception {
        // told it has one CPU: a worker spinning on it keeps the process at (at least) that CPU's worth of time
        ElasticExecutor pool = new ElasticExecutor(1, Executors2.daemon("elastic-test"), 1);
        try {
            int n = 8;
            CountDownLatch done = new CountDownLatch(n);
            for (int i = 0; i < n; i++) {
                pool.execute(() -> {
                    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(40);
                    while (System.nanoTime() < end) {
                        Thread.onSpinWait();
                    }
                    done.countDown();
                });
            }
            assertTrue(done.await(20, TimeUnit.SECONDS));
            assertEquals(1, pool.getLargestPoolSize(), "more workers would only take turns on the busy CPU");
        } finally {
            pool.shutdownNow();
        }
    }
}
