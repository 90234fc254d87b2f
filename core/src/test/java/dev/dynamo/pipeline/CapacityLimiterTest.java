package dev.dynamo.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CapacityLimiterTest {
    /** A clock that only moves when the limiter sleeps (or the test says so). */
    private static final class FakeClock {
        long nanos = 1_000_000_000L;
        long slept;

        void sleep(long duration) {
            nanos += duration;
            slept += duration;
        }

        void advanceSeconds(double seconds) {
            nanos += (long) (seconds * 1e9);
        }
    }

    @Test
    void paceIsTheRate_overManyCalls() throws InterruptedException {
        FakeClock clock = new FakeClock();
        CapacityLimiter limiter = new CapacityLimiter(100, () -> clock.nanos, clock::sleep);
        for (int call = 0; call < 50; call++) {
            limiter.acquire(10);
            limiter.reconcile(10, 10);
        }
        // 500 units at 100 units/s, from an empty bucket: 5 s.
        assertThat(clock.slept / 1e9).isCloseTo(5.0, within(1e-6));
    }

    @Test
    void underestimatedCallsAreMadeUpForByTheNextOnes() throws InterruptedException {
        FakeClock clock = new FakeClock();
        CapacityLimiter limiter = new CapacityLimiter(100, () -> clock.nanos, clock::sleep);
        for (int call = 0; call < 20; call++) {
            limiter.acquire(1);
            limiter.reconcile(1, 25); // DynamoDB charged 25 per call
        }
        limiter.acquire(0);
        // 20 calls of 25 units = 500 units: 5 s at 100 units/s, paid before the 21st call goes out.
        assertThat(clock.slept / 1e9).isCloseTo(5.0, within(1e-6));
    }

    @Test
    void overestimatedCallsNeverRunAhead_andGiveTheRestBack() throws InterruptedException {
        FakeClock clock = new FakeClock();
        CapacityLimiter limiter = new CapacityLimiter(100, () -> clock.nanos, clock::sleep);
        for (int call = 0; call < 10; call++) {
            limiter.acquire(50);
            limiter.reconcile(50, 10);
        }
        limiter.acquire(0);
        // 10 calls of 10 units need 1 s. Each call first waits for its estimate of 50 (at most 0.5 s of units
        // come back as burst), so an overestimating caller lags the rate a little, never leads it.
        assertThat(clock.slept / 1e9).isBetween(1.0, 1.5);
    }

    @Test
    void givesNoCreditForTheTimeBeforeTheFirstCall() throws InterruptedException {
        FakeClock clock = new FakeClock();
        CapacityLimiter limiter = new CapacityLimiter(100, () -> clock.nanos, clock::sleep);
        clock.advanceSeconds(60);
        limiter.acquire(10);
        assertThat(clock.slept / 1e9).isCloseTo(0.1, within(1e-6));
    }

    @Test
    void savesAtMostHalfASecond_whileIdle() throws InterruptedException {
        FakeClock clock = new FakeClock();
        CapacityLimiter limiter = new CapacityLimiter(100, () -> clock.nanos, clock::sleep);
        limiter.acquire(0);
        clock.advanceSeconds(60);
        limiter.acquire(50); // the saved burst: 0.5 s * 100 units/s
        assertThat(clock.slept).isZero();
        limiter.acquire(100);
        assertThat(clock.slept / 1e9).isCloseTo(1.0, within(1e-6));
    }

    @Test
    void unlimitedNeverWaits() throws InterruptedException {
        CapacityLimiter unlimited = CapacityLimiter.of(0);
        long start = System.nanoTime();
        for (int call = 0; call < 1000; call++) {
            unlimited.acquire(1_000_000);
            unlimited.reconcile(1_000_000, 5_000_000);
        }
        assertThat(unlimited.isLimited()).isFalse();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1000);
    }

    @Test
    void retunedRate_pacesTheCallsAfterIt() throws InterruptedException {
        FakeClock clock = new FakeClock();
        CapacityLimiter limiter = new CapacityLimiter(100, () -> clock.nanos, clock::sleep);
        for (int call = 0; call < 10; call++) {
            limiter.acquire(10);
        }
        assertThat(clock.slept / 1e9).isCloseTo(1.0, within(1e-6));
        limiter.retune(50);
        for (int call = 0; call < 10; call++) {
            limiter.acquire(10);
        }
        // 100 more units at 50 units/s: 2 s more.
        assertThat(clock.slept / 1e9).isCloseTo(3.0, within(1e-6));
    }

    @Test
    void retune_refusesToLimitAnUnlimitedLimiterOrToLiftALimit() {
        assertThatThrownBy(() -> CapacityLimiter.of(0).retune(10)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> CapacityLimiter.of(10).retune(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
