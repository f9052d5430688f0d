package rpcx.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The connection limiter at the hook level. */
class ConnectionRateLimiterTest {
    private final FakeClock clock = new FakeClock();

    @Test
    void acceptsTheBurstThenOnePerInterval() {
        ConnectionRateLimiter l = ConnectionRateLimiter.withClock(2, 3, clock); // 500 ms per connection
        int accepted = 0;
        for (int i = 0; i < 20; i++) {
            if (l.connectionAccepted(FakeConnection.from("127.0.0.1"))) {
                accepted++;
            }
        }
        assertEquals(3, accepted);
        assertEquals(3, l.acceptedCount());
        assertEquals(17, l.refusedCount());
        clock.advance(Duration.ofMillis(499));
        assertFalse(l.connectionAccepted(FakeConnection.from("127.0.0.1")));
        clock.advance(Duration.ofMillis(1));
        assertTrue(l.connectionAccepted(FakeConnection.from("127.0.0.1")));
        assertFalse(l.connectionAccepted(FakeConnection.from("127.0.0.1")));
    }

    @Test
    void goStyleConstructor() {
        ConnectionRateLimiter l = ConnectionRateLimiter.every(Duration.ofMillis(100), 5);
        assertEquals(10.0, l.permitsPerSecond(), 1e-9);
        assertEquals(5, l.burst());
        int accepted = 0;
        for (int i = 0; i < 50; i++) {
            if (l.connectionAccepted(FakeConnection.from("::1"))) {
                accepted++;
            }
        }
        assertTrue(accepted >= 5 && accepted <= 6, "accepted " + accepted); // a refill may happen meanwhile
    }

    @Test
    void rejectsBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> new ConnectionRateLimiter(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new ConnectionRateLimiter(1, 0));
        assertThrows(IllegalArgumentException.class, () -> ConnectionRateLimiter.every(Duration.ZERO, 1));
    }
}
