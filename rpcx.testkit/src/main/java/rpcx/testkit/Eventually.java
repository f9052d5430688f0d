package rpcx.testkit;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Waiting in a test for something that happens asynchronously (a registry change reaching a client, say). */
public final class Eventually {
    private Eventually() {
    }

    /**
     * Returns as soon as {@code condition} holds (an exception counts as not yet), polling every 20 ms; fails with
     * {@code what} (evaluated then, so it can show the state reached) after {@code limit}.
     */
    public static void await(Duration limit, Callable<Boolean> condition, Callable<?> what) throws Exception {
        long end = System.nanoTime() + limit.toNanos();
        Exception last = null;
        while (System.nanoTime() < end) {
            try {
                if (Boolean.TRUE.equals(condition.call())) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            Thread.sleep(20);
        }
        AssertionError e = new AssertionError("not within " + limit.toSeconds() + " s: " + what.call());
        if (last != null) {
            e.addSuppressed(last);
        }
        throw e;
    }
}
