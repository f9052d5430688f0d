package rpcx.testkit;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit Jupiter extension that fails a test class when Netty reports a leaked reference-counted object (a
 * {@code ByteBuf} whose {@code release()} was never called).
 *
 * <p><b>How it works.</b> Netty's {@code ResourceLeakDetector} reports leaks as ERROR log records that contain
 * {@code "LEAK"}; without SLF4J or Log4j on the class path Netty logs through {@code java.util.logging}, as
 * SEVERE records of the logger {@value #LEAK_LOGGER}. This class attaches a {@link Handler} to that logger and
 * collects those records. Leaks are only noticed when the leaked object has been garbage-collected <em>and</em>
 * Netty tracks a later allocation, so after all tests of a class it runs {@link System#gc()}, then allocates and
 * releases a few buffers through {@code io.netty.buffer.PooledByteBufAllocator.DEFAULT} and
 * {@code UnpooledByteBufAllocator.DEFAULT} (by reflection: this module does not depend on Netty), and fails the
 * class if any leak record was collected.
 *
 * <p><b>Use.</b> It is listed in {@code META-INF/services/org.junit.jupiter.api.extension.Extension} (and
 * provided in module-info), so any module with {@code rpcx.testkit} on its test class path gets it when JUnit's
 * extension autodetection is on ({@code junit.jupiter.extensions.autodetection.enabled=true}, set by the rpcx
 * parent pom for Surefire). It can also be registered explicitly with
 * {@code @ExtendWith(NettyLeakCheck.class)}. Run tests with {@code -Dio.netty.leakDetection.level=paranoid} so
 * that every buffer is tracked.
 *
 * <p><b>Limits.</b> A leak is attributed to the test class during or after which Netty reported it, which may be
 * a later class than the one that leaked. If SLF4J or Log4j is on the test class path Netty logs there instead,
 * and this check sees nothing.
 */
public final class NettyLeakCheck implements BeforeAllCallback, AfterAllCallback {
    /** The name of the logger Netty reports leaks to. */
    public static final String LEAK_LOGGER = "io.netty.util.ResourceLeakDetector";

    /** Held strongly: java.util.logging keeps loggers only weakly, and a collected logger loses its handlers. */
    private static final Logger NETTY_LEAK_LOGGER = Logger.getLogger(LEAK_LOGGER);
    private static final List<String> REPORTS = new ArrayList<>();
    private static final Handler COLLECTOR = new Handler() {
        private final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() < Level.SEVERE.intValue()) {
                return;
            }
            String text = formatter.formatMessage(record);
            if (text != null && text.contains("LEAK")) {
                synchronized (REPORTS) {
                    REPORTS.add(text);
                }
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    static {
        NETTY_LEAK_LOGGER.addHandler(COLLECTOR);
    }

    /** Creates the extension (JUnit does this; the collecting handler is installed once per JVM). */
    public NettyLeakCheck() {
    }

    /** Makes sure the collecting handler is installed before the class's tests run. */
    @Override
    public void beforeAll(ExtensionContext context) {
        install();
    }

    /** Collects leak reports (see the class comment) and fails the test class if there are any. */
    @Override
    public void afterAll(ExtensionContext context) {
        verifyNoLeaks();
    }

    /**
     * Installs the collecting handler on {@value #LEAK_LOGGER}. Idempotent; done automatically when this class is
     * initialised.
     */
    public static void install() {
        for (Handler h : NETTY_LEAK_LOGGER.getHandlers()) {
            if (h == COLLECTOR) {
                return;
            }
        }
        NETTY_LEAK_LOGGER.addHandler(COLLECTOR);
    }

    /**
     * Fails with every leak report collected so far (after forcing pending reports out, see
     * {@link #collectLeaks()}).
     *
     * @throws org.opentest4j.AssertionFailedError if Netty reported at least one leak
     */
    public static void verifyNoLeaks() {
        List<String> leaks = collectLeaks();
        if (!leaks.isEmpty()) {
            Assertions.fail(leaks.size() + " Netty leak report(s): a ByteBuf (or other reference-counted object) "
                    + "was garbage-collected without release():\n" + String.join("\n\n", leaks));
        }
    }

    /**
     * Runs the garbage collector a couple of times, makes Netty process its leak queue, and returns (and forgets)
     * the leak reports collected since the previous call.
     *
     * @return the formatted leak records, empty when there were none
     */
    public static List<String> collectLeaks() {
        for (int round = 0; round < 2; round++) {
            System.gc();
            pause(20);
            triggerLeakReporting();
        }
        return drain();
    }

    /**
     * Like {@link #collectLeaks()}, but keeps collecting until at least one leak was reported or the time is up.
     * Meant for tests that leak on purpose to prove the check works.
     *
     * @param timeout how long to keep trying
     * @return the leak records; empty if none was reported in time
     */
    public static List<String> awaitLeaks(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> leaks = new ArrayList<>();
        do {
            leaks.addAll(collectLeaks());
            if (!leaks.isEmpty()) {
                return leaks;
            }
            pause(50);
        } while (System.nanoTime() - deadline < 0);
        return leaks;
    }

    private static List<String> drain() {
        synchronized (REPORTS) {
            List<String> out = List.copyOf(REPORTS);
            REPORTS.clear();
            return out;
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Netty checks its queue of collected, unreleased buffers when it tracks a new allocation (every allocation
     * at level paranoid, one in 128 at the default level), so allocate and release some buffers if Netty is
     * present. Does nothing when it is not.
     */
    private static void triggerLeakReporting() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = NettyLeakCheck.class.getClassLoader();
        }
        try {
            Class<?> allocatorType = Class.forName("io.netty.buffer.ByteBufAllocator", false, loader);
            Class<?> refCounted = Class.forName("io.netty.util.ReferenceCounted", false, loader);
            Method heap = allocatorType.getMethod("heapBuffer", int.class);
            Method direct = allocatorType.getMethod("directBuffer", int.class);
            Method release = refCounted.getMethod("release");
            int count = paranoid(loader) ? 4 : 300;
            for (String name : new String[] {"io.netty.buffer.PooledByteBufAllocator", "io.netty.buffer.UnpooledByteBufAllocator"}) {
                Object allocator = Class.forName(name, true, loader).getField("DEFAULT").get(null);
                for (int i = 0; i < count; i++) {
                    release.invoke(heap.invoke(allocator, 16));
                    release.invoke(direct.invoke(allocator, 16));
                }
            }
        } catch (ClassNotFoundException | LinkageError e) {
            // Netty is not on the class path: nothing can leak.
        } catch (ReflectiveOperationException | RuntimeException e) {
            System.getLogger(NettyLeakCheck.class.getName()).log(System.Logger.Level.WARNING,
                    "cannot make Netty report pending leaks: " + e);
        }
    }

    private static boolean paranoid(ClassLoader loader) {
        try {
            Object level = Class.forName("io.netty.util.ResourceLeakDetector", true, loader).getMethod("getLevel").invoke(null);
            return "PARANOID".equals(String.valueOf(level));
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return false;
        }
    }
}
