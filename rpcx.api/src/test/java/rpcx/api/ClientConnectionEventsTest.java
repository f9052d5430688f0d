package rpcx.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** The client's connection events pair up: every connectionCreated is followed by exactly one connectionClosed. */
class ClientConnectionEventsTest {
    static final class Counting implements ClientPlugin {
        final AtomicInteger created = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();

        @Override
        public void connectionCreated(String address) {
            created.incrementAndGet();
        }

        @Override
        public void connectionClosed(String address) {
            closed.incrementAndGet();
        }
    }

    @Test
    void aConnectionThePeerClosesBeforeTheDialCompletesIsReportedClosedOnce() throws Exception {
        try (Server server = Server.create()) {
            server.listen("memu", "peer-closes-first");
            Counting plugin = new Counting();
            for (int i = 0; i < 20; i++) {
                Client c = Client.connect("peercloses@peer-closes-first", ClientOptions.defaults().withPlugin(plugin));
                c.closeFuture().get(5, TimeUnit.SECONDS);
                c.close();
            }
            long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (plugin.closed.get() < 20 && System.nanoTime() < end) {
                Thread.sleep(10);
            }
            Thread.sleep(100); // a second report, if any, would arrive now
            assertEquals(20, plugin.created.get());
            assertEquals(20, plugin.closed.get(), "one connectionClosed per connectionCreated");
        }
    }
}
