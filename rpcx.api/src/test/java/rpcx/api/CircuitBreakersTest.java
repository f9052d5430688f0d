package rpcx.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import rpcx.api.spi.CircuitBreaker;
import rpcx.api.spi.CircuitBreaker.State;

/** The public breaker factories: settings checked up front, one fresh breaker per server. */
class CircuitBreakersTest {
    @Test
    void consecutiveIsGosNewConsecCircuitBreaker() {
        Supplier<CircuitBreaker> factory = CircuitBreakers.consecutive(2, Duration.ofSeconds(30));
        CircuitBreaker a = factory.get();
        CircuitBreaker b = factory.get();
        assertNotSame(a, b);
        assertTrue(a.toString().startsWith("consecutive{failureThreshold=2, window=PT30S, openTimeout=PT30S"), a.toString());
        a.fail();
        assertTrue(a.ready());
        a.fail();
        assertEquals(State.OPEN, a.state());
        assertFalse(a.ready());
        assertTrue(b.ready(), "one breaker per server");
    }

    @Test
    void thresholdAndRateCarryTheirArguments() {
        CircuitBreaker t = CircuitBreakers.threshold(10, Duration.ofSeconds(5)).get();
        assertTrue(t.toString().startsWith("threshold{threshold=10, window=PT10S/10, openTimeout=PT5S"), t.toString());
        CircuitBreaker r = CircuitBreakers.rate(0.95, 100, Duration.ofMillis(1500)).get();
        assertTrue(r.toString().startsWith("rate{rate=0.95, minSamples=100, window=PT10S/10, openTimeout=PT1.5S"), r.toString());
        for (int i = 0; i < 9; i++) {
            t.fail();
        }
        assertEquals(State.CLOSED, t.state());
        t.fail();
        assertEquals(State.OPEN, t.state());
    }

    @Test
    void badArgumentsFailWhenTheFactoryIsMade() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CircuitBreakers.consecutive(0, Duration.ofSeconds(30)));
        assertTrue(e.getMessage().contains("failureThreshold must be an integer >= 1, got '0'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CircuitBreakers.threshold(5, Duration.ZERO));
        assertTrue(e.getMessage().contains("openTimeout must be a positive"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CircuitBreakers.rate(1.01, 100, Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("rate must be a number > 0 and <= 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CircuitBreakers.rate(0.5, 0, Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("minSamples"), e.getMessage());
        assertThrows(NullPointerException.class, () -> CircuitBreakers.consecutive(2, null));
    }

    @Test
    void byNameGoesThroughServiceLoader() {
        CircuitBreaker b = CircuitBreakers.byName("consecutive",
                Map.of("failureThreshold", "1", "window", "PT30S", "goCompatible", "true")).get();
        assertEquals("consecutive{failureThreshold=1, window=PT30S, goCompatible=true} CLOSED", b.toString());
        b.fail();
        assertEquals(State.OPEN, b.state());

        RpcConfigurationException missing = assertThrows(RpcConfigurationException.class,
                () -> CircuitBreakers.byName("hystrix", Map.of()));
        assertTrue(missing.getMessage().contains("no circuit breaker named 'hystrix'"), missing.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> CircuitBreakers.byName("consecutive", Map.of("window", "thirty seconds")));
        assertTrue(bad.getMessage().contains("window must be a positive ISO-8601 duration"), bad.getMessage());
    }
}
