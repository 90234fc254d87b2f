package dev.dynamo.pipeline;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apiguardian.api.API;

/**
 * Limits the capacity units consumed per second, counted from the {@code ConsumedCapacity} that
 * DynamoDB returns, so a copy out of production cannot starve the table's other users.
 *
 * <p>A token bucket that may go into debt: before a call, {@link #acquire} takes the call's
 * <em>estimated</em> units and, if the bucket is now negative, sleeps until the rate has paid the
 * debt; after the call, {@link #reconcile} corrects the bucket by what DynamoDB actually charged
 * (more or less than estimated), so later callers wait for any underestimate. Over any run the
 * units consumed stay within {@code rate * elapsed} plus one burst ({@link #MAX_BURST_SECONDS} of
 * units saved while idle) plus the estimates of the calls in flight. The bucket starts empty when
 * it is first used: no initial burst, and no credit for the time before the first call.
 *
 * <p>Thread-safe: every worker of a pipeline shares one limiter per table and kind (read or write). The rate of a
 * limited limiter may be changed while it is used ({@link #retune}): a job spread over several processes re-splits
 * its one rate among them as they start and finish.
 */
@API(status = INTERNAL, since = "0.1")
public final class CapacityLimiter {
    /** Unused capacity is saved for at most this long (DynamoDB itself keeps 300 s of burst; we keep less). */
    static final double MAX_BURST_SECONDS = 0.5;

    private static final CapacityLimiter UNLIMITED = new CapacityLimiter(0, System::nanoTime, nanos -> { });

    /** Sleeps for a number of nanoseconds; a test may advance a fake clock instead. */
    @FunctionalInterface
    interface Sleeper {
        void sleepNanos(long nanos) throws InterruptedException;
    }

    /** Guarded by {@code this}; read without the lock only through the volatile write in {@link #retune}. */
    private volatile double unitsPerSecond;
    private final LongSupplier nanoClock;
    private final Sleeper sleeper;
    private double balanceUnits;
    private long refilledAtNanos;
    private boolean started;

    CapacityLimiter(double unitsPerSecond, LongSupplier nanoClock, Sleeper sleeper) {
        if (unitsPerSecond < 0 || Double.isNaN(unitsPerSecond) || Double.isInfinite(unitsPerSecond)) {
            throw new IllegalArgumentException("capacity units per second must be positive, or 0 for no limit: " + unitsPerSecond);
        }
        this.unitsPerSecond = unitsPerSecond;
        this.nanoClock = nanoClock;
        this.sleeper = sleeper;
    }

    /** A limiter of {@code unitsPerSecond}, or one that never waits when it is 0. */
    public static CapacityLimiter of(double unitsPerSecond) {
        return unitsPerSecond == 0 ? UNLIMITED
                : new CapacityLimiter(unitsPerSecond, System::nanoTime, nanos -> TimeUnit.NANOSECONDS.sleep(nanos));
    }

    public boolean isLimited() {
        return unitsPerSecond > 0;
    }

    /** The limit in capacity units per second; 0 for none. */
    double unitsPerSecond() {
        return unitsPerSecond;
    }

    /**
     * Changes the rate of a limited limiter from now on: what was earned so far at the old rate stays earned (a debt
     * stays owed), capped by the new rate's burst.
     *
     * @throws IllegalArgumentException for a rate that is not positive: a limited limiter stays limited
     * @throws IllegalStateException    on a limiter without a limit
     */
    public void retune(double newUnitsPerSecond) {
        if (!(newUnitsPerSecond > 0) || Double.isInfinite(newUnitsPerSecond)) {
            throw new IllegalArgumentException("capacity units per second must be positive: " + newUnitsPerSecond);
        }
        if (!isLimited()) {
            throw new IllegalStateException("a limiter without a limit cannot be given one");
        }
        synchronized (this) {
            refill();
            unitsPerSecond = newUnitsPerSecond;
            balanceUnits = Math.min(unitsPerSecond * MAX_BURST_SECONDS, balanceUnits);
        }
    }

    /**
     * Takes {@code estimatedUnits} before a call, waiting as long as the rate needs to cover them.
     *
     * @throws InterruptedException if interrupted while waiting (the units stay taken)
     */
    public void acquire(double estimatedUnits) throws InterruptedException {
        if (!isLimited()) {
            return;
        }
        long waitNanos;
        synchronized (this) {
            refill();
            balanceUnits -= estimatedUnits;
            waitNanos = balanceUnits >= 0 ? 0 : (long) Math.ceil(-balanceUnits / unitsPerSecond * 1e9);
        }
        if (waitNanos > 0) {
            sleeper.sleepNanos(waitNanos);
        }
    }

    /** After the call: corrects the bucket by what DynamoDB charged ({@code actualUnits}, 0 for a rejected call). */
    public void reconcile(double estimatedUnits, double actualUnits) {
        if (!isLimited()) {
            return;
        }
        synchronized (this) {
            refill();
            balanceUnits -= actualUnits - estimatedUnits;
        }
    }

    private void refill() {
        long now = nanoClock.getAsLong();
        if (!started) {
            started = true;
            refilledAtNanos = now;
        }
        double earned = (now - refilledAtNanos) / 1e9 * unitsPerSecond;
        refilledAtNanos = now;
        balanceUnits = Math.min(unitsPerSecond * MAX_BURST_SECONDS, balanceUnits + earned);
    }
}
