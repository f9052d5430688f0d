package rpcx.api.internal;

import java.util.function.LongSupplier;

import rpcx.api.spi.CircuitBreaker;

/**
 * The one closed → open → half-open → closed state machine behind every bundled circuit breaker. A
 * {@link TripPolicy} counts outcomes while the breaker is closed and says when it trips; everything else lives
 * here:
 * <ul>
 *   <li>{@code CLOSED}: every call may go; outcomes go to the policy; when the policy trips → {@code OPEN}.</li>
 *   <li>{@code OPEN}: no call may go, for {@code openTimeout}; then → {@code HALF_OPEN}.</li>
 *   <li>{@code HALF_OPEN}: {@link #ready()} admits at most {@code halfOpenProbes} probe calls and refuses the
 *   rest; a success → {@code CLOSED} with the policy's counts cleared; a failure → {@code OPEN} for another
 *   {@code openTimeout}. If the admitted probes all went unreported for {@code openTimeout} (a caller that asked
 *   {@code ready()} and then never called), a fresh round of probes is admitted, so a lost report cannot wedge
 *   the breaker open forever.</li>
 * </ul>
 * With {@code probeless} (Go's {@code ConsecCircuitBreaker}) there is no half-open state: once the open period
 * has passed, {@code ready()} closes the breaker and admits every call; while open a failure restarts the open
 * period and a success closes the breaker, as Go's {@code fail()} and {@code success()} do.
 *
 * <p>Cost: in the closed state {@link #ready()} is one volatile read, and {@link #success()} /
 * {@link #fail()} cost what the policy costs; the lock is taken only off the closed state or on a trip. Time
 * comes from an injectable monotonic clock (nanoseconds; {@link System#nanoTime()} in production).
 */
final class StateMachineBreaker implements CircuitBreaker {

    /**
     * When a closed breaker trips. Implementations are thread-safe: {@link #onSuccess()} and
     * {@link #onFailure()} run concurrently, without the breaker's lock.
     */
    interface TripPolicy {
        /** Records a success while the breaker is closed. */
        void onSuccess();

        /** Records a failure while the breaker is closed; true when the breaker should trip now. */
        boolean onFailure();

        /** Forgets every recorded outcome: the breaker has just closed again. */
        void reset();
    }

    private final String description;
    private final TripPolicy policy;
    private final long openTimeoutNanos;
    /** How long after opening the open period is over: Go's {@code time.Since(last) > window} when probeless. */
    private final long openUntil;
    private final int halfOpenProbes;
    private final boolean probeless;
    private final LongSupplier clock;

    /** Read without the lock on every call; written only under it. */
    private volatile State state = State.CLOSED;
    /** When the breaker last opened (or, probeless, last failed while open). Guarded by this. */
    private long openedAt;
    /** Probes admitted in the current half-open round. Guarded by this. */
    private int probes;
    /** When the last probe was admitted. Guarded by this. */
    private long lastProbeAt;

    /**
     * Creates a breaker.
     *
     * @param description      what it is, for {@link #toString()}: {@code consecutive{failureThreshold=2, ...}}
     * @param policy           when the closed breaker trips
     * @param openTimeoutNanos how long it stays open, > 0
     * @param halfOpenProbes   how many probe calls the half-open state admits at once, >= 1
     * @param probeless        Go's behaviour: no half-open state, all calls flow once the open period passed
     * @param clock            monotonic nanoseconds
     */
    StateMachineBreaker(String description, TripPolicy policy, long openTimeoutNanos, int halfOpenProbes,
                        boolean probeless, LongSupplier clock) {
        if (openTimeoutNanos <= 0 || halfOpenProbes < 1) {
            throw new IllegalArgumentException("openTimeout must be positive and halfOpenProbes >= 1");
        }
        this.description = description;
        this.policy = policy;
        this.openTimeoutNanos = openTimeoutNanos;
        this.openUntil = probeless && openTimeoutNanos < Long.MAX_VALUE ? openTimeoutNanos + 1 : openTimeoutNanos;
        this.halfOpenProbes = halfOpenProbes;
        this.probeless = probeless;
        this.clock = clock;
    }

    @Override
    public boolean ready() {
        return state == State.CLOSED || readySlow();
    }

    private synchronized boolean readySlow() {
        long now = clock.getAsLong();
        switch (advance(now)) {
            case CLOSED:
                return true;
            case OPEN:
                return false;
            default: // HALF_OPEN
                if (probes >= halfOpenProbes && now - lastProbeAt >= openTimeoutNanos) {
                    probes = 0; // the probes' outcomes never came: start a fresh round rather than stay shut
                }
                if (probes < halfOpenProbes) {
                    probes++;
                    lastProbeAt = now;
                    return true;
                }
                return false;
        }
    }

    @Override
    public void success() {
        if (state == State.CLOSED) {
            policy.onSuccess();
        } else {
            successSlow();
        }
    }

    private synchronized void successSlow() {
        if (probeless) {
            if (state == State.CLOSED) {
                policy.onSuccess();
            } else {
                closeLocked(); // Go's success() resets the breaker whatever its state
            }
            return;
        }
        switch (advance(clock.getAsLong())) {
            case CLOSED -> policy.onSuccess();
            case HALF_OPEN -> closeLocked();
            case OPEN -> {
                // a call admitted before the trip finished late; the open period runs its course
            }
        }
    }

    @Override
    public void fail() {
        if (state == State.CLOSED) {
            if (policy.onFailure()) {
                tripIfClosed();
            }
        } else {
            failSlow();
        }
    }

    private synchronized void tripIfClosed() {
        if (state == State.CLOSED) {
            openLocked(clock.getAsLong());
        }
    }

    private synchronized void failSlow() {
        long now = clock.getAsLong();
        if (probeless) {
            if (state == State.CLOSED) {
                if (policy.onFailure()) {
                    openLocked(now);
                }
            } else {
                openedAt = now; // Go's fail() stamps lastFailureTime: the open period restarts
            }
            return;
        }
        switch (advance(now)) {
            case CLOSED -> {
                if (policy.onFailure()) {
                    openLocked(now);
                }
            }
            case HALF_OPEN -> openLocked(now); // the probe failed
            case OPEN -> {
                // a call admitted before the trip finished late; the open period runs its course
            }
        }
    }

    /**
     * The current state. An open breaker whose open period has passed reports where the next call will find it
     * ({@code HALF_OPEN}, or {@code CLOSED} when probeless); looking does not move it.
     */
    @Override
    public State state() {
        State s = state;
        if (s != State.OPEN) {
            return s;
        }
        synchronized (this) {
            if (state == State.OPEN && clock.getAsLong() - openedAt >= openUntil) {
                return probeless ? State.CLOSED : State.HALF_OPEN;
            }
            return state;
        }
    }

    /** The timed move out of {@code OPEN}; the caller holds the lock. Returns the state after it. */
    private State advance(long now) {
        if (state == State.OPEN && now - openedAt >= openUntil) {
            if (probeless) {
                closeLocked();
            } else {
                probes = 0;
                state = State.HALF_OPEN;
            }
        }
        return state;
    }

    private void openLocked(long now) {
        openedAt = now;
        probes = 0;
        state = State.OPEN;
    }

    private void closeLocked() {
        policy.reset();
        probes = 0;
        state = State.CLOSED;
    }

    /** Probes admitted in the current half-open round, for tests. */
    synchronized int probesAdmitted() {
        return probes;
    }

    /** The breaker's kind, settings and state: {@code consecutive{failureThreshold=2, window=PT30S} CLOSED}. */
    @Override
    public String toString() {
        return description + " " + state;
    }
}
