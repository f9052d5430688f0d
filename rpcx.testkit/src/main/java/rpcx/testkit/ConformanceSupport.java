package rpcx.testkit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import rpcx.api.spi.Provider;

/** What the codec and compressor suites check alike. */
final class ConformanceSupport {
    private ConformanceSupport() {
    }

    /** One thread's share of a concurrency test. */
    interface ThreadBody {
        /** Runs the work of thread number {@code thread}. */
        void run(int thread) throws Exception;
    }

    /** Asserts a provider has a name, is available and is found by {@link ServiceLoader} under its SPI. */
    static <P extends Provider> void assertDeclared(Class<P> spi, P provider) {
        assertFalse(provider.name() == null || provider.name().isBlank(), "name() must not be blank");
        assertTrue(provider.isAvailable(), () -> "provider reports itself unavailable: " + provider.unavailableReason());
        boolean found = false;
        for (P q : ServiceLoader.load(spi)) {
            found |= q.getClass() == provider.getClass();
        }
        assertTrue(found, provider.getClass().getName() + " is not found by ServiceLoader: declare it with 'provides "
                + spi.getName() + " with ...' in module-info.java and in META-INF/services/" + spi.getName()
                + " (for class-path users)");
    }

    /** Runs {@code body} on {@code threads} threads started together; rethrows the first failure. */
    static void concurrently(int threads, ThreadBody body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    body.run(thread);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
