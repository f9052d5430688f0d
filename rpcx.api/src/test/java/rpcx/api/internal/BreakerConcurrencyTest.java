package rpcx.api.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import rpcx.api.spi.CircuitBreaker;
import rpcx.api.spi.CircuitBreaker.State;

/** Eight threads against one breaker: the half-open probe limit holds and the state machine stays consistent. */
class BreakerConcurrencyTest {
    private static final int THREADS = 8;
    private static ExecutorService pool;

    @BeforeAll
    static void start() {
        pool = Executors.newFixedThreadPool(THREADS);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }

    /** Runs the task on every pool thread at once and waits for all of them. */
    private static void onAllThreads(Runnable task) throws Exception {
        CyclicBarrier barrier = new CyclicBarrier(THREADS);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            futures.add(pool.submit(() -> {
                barrier.await();
                task.run();
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get(30, TimeUnit.SECONDS);
        }
    }

    private static BiFunction<FakeClock, Integer, CircuitBreaker> factory(String kind) {
        return (clock, probes) -> switch (kind) {
            case "consecutive" -> new ConsecutiveBreakerProvider().create(Map.of("failureThreshold", "3", "window", "PT1S",
                    "halfOpenProbes", probes.toString()), clock);
            case "threshold" -> new ThresholdBreakerProvider().create(Map.of("threshold", "3", "openTimeout", "PT1S",
                    "halfOpenProbes", probes.toString()), clock);
            case "rate" -> new RateBreakerProvider().create(Map.of("rate", "0.5", "minSamples", "3", "openTimeout", "PT1S",
                    "halfOpenProbes", probes.toString()), clock);
            default -> throw new AssertionError(kind);
        };
    }

    private static void trip(CircuitBreaker b) {
        for (int i = 0; i < 100 && b.state() != State.OPEN; i++) {
            b.fail();
        }
        assertEquals(State.OPEN, b.state());
    }

    @ParameterizedTest
    @ValueSource(strings = {"consecutive", "threshold", "rate"})
    void halfOpenAdmitsExactlyTheProbeLimitUnderContention(String kind) throws Exception {
        for (int probes : new int[] {1, 3}) {
            FakeClock clock = new FakeClock();
            CircuitBreaker b = factory(kind).apply(clock, probes);
            for (int round = 0; round < 100; round++) {
                trip(b);
                clock.advance(Duration.ofSeconds(1));
                AtomicInteger admitted = new AtomicInteger();
                onAllThreads(() -> {
                    for (int i = 0; i < 50; i++) {
                        if (b.ready()) {
                            admitted.incrementAndGet();
                        }
                    }
                });
                assertEquals(probes, admitted.get(), kind + " round " + round);
                assertEquals(State.HALF_OPEN, b.state());
                if (round % 2 == 0) {
                    b.success();
                    assertEquals(State.CLOSED, b.state());
                } else {
                    b.fail();
                    assertEquals(State.OPEN, b.state());
                    clock.advance(Duration.ofSeconds(1));
                    assertTrue(b.ready());
                    b.success();
                    assertEquals(State.CLOSED, b.state());
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"consecutive", "threshold", "rate"})
    void failingProbesNeverLetMoreThanTheLimitThrough(String kind) throws Exception {
        FakeClock clock = new FakeClock();
        CircuitBreaker b = factory(kind).apply(clock, 2);
        for (int round = 0; round < 100; round++) {
            trip(b);
            clock.advance(Duration.ofSeconds(1));
            AtomicInteger admitted = new AtomicInteger();
            onAllThreads(() -> {
                for (int i = 0; i < 50; i++) {
                    if (b.ready()) {
                        admitted.incrementAndGet();
                        b.fail(); // a failed probe reopens; the clock stands still, so nothing more gets through
                    }
                }
            });
            assertTrue(admitted.get() >= 1 && admitted.get() <= 2, kind + " admitted " + admitted.get());
            assertEquals(State.OPEN, b.state());
            clock.advance(Duration.ofSeconds(1));
            assertTrue(b.ready());
            b.success();
            assertEquals(State.CLOSED, b.state());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"consecutive", "threshold", "rate"})
    void hammeringNeverCorruptsTheState(String kind) throws Exception {
        int limit = 2;
        FakeClock clock = new FakeClock();
        StateMachineBreaker b = (StateMachineBreaker) factory(kind).apply(clock, limit);
        AtomicInteger violations = new AtomicInteger();
        onAllThreads(() -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int i = 0; i < 20_000; i++) {
                switch (random.nextInt(6)) {
                    case 0, 1 -> b.ready();
                    case 2 -> b.fail();
                    case 3 -> b.success();
                    case 4 -> clock.advance(Duration.ofMillis(random.nextInt(50)));
                    default -> {
                        if (b.ready()) {
                            if (random.nextBoolean()) {
                                b.fail();
                            } else {
                                b.success();
                            }
                        }
                    }
                }
                int probes = b.probesAdmitted();
                if (probes < 0 || probes > limit || !EnumSet.allOf(State.class).contains(b.state())) {
                    violations.incrementAndGet();
                }
            }
        });
        assertEquals(0, violations.get());
        assertTrue(b.probesAdmitted() <= limit);
        assertTrue(EnumSet.allOf(State.class).contains(b.state()));

        // still a working state machine afterwards
        b.success();
        clock.advance(Duration.ofSeconds(2));
        if (b.state() != State.CLOSED) {
            assertTrue(b.ready());
            b.success();
        }
        assertEquals(State.CLOSED, b.state());
        trip(b);
        clock.advance(Duration.ofSeconds(1));
        AtomicInteger admitted = new AtomicInteger();
        onAllThreads(() -> {
            for (int i = 0; i < 20; i++) {
                if (b.ready()) {
                    admitted.incrementAndGet();
                }
            }
        });
        assertEquals(limit, admitted.get());
        b.success();
        assertEquals(State.CLOSED, b.state());
    }
}
