package dev.dynamo.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {
    /** new Random(42) with base 50 ms and cap 1000 ms: ceilings 50, 100, 200, 400, 800, 1000, 1000, 1000. */
    private static final Long[] GOLDEN_SEED_42 = {46L, 92L, 158L, 17L, 264L, 284L, 219L, 446L};

    @Test
    void ceilingDoublesFromBase_untilTheCap() {
        Backoff backoff = new Backoff(50, 1000, new Random(1));
        List<Long> ceilings = new ArrayList<>();
        for (int retry = 1; retry <= 8; retry++) {
            ceilings.add(backoff.ceilingMillis(retry));
        }
        assertThat(ceilings).containsExactly(50L, 100L, 200L, 400L, 800L, 1000L, 1000L, 1000L);
    }

    @Test
    void ceilingStaysAtTheCap_forVeryManyRetries() {
        Backoff backoff = new Backoff(50, 20_000, new Random(1));
        assertThat(backoff.ceilingMillis(1_000)).isEqualTo(20_000);
        assertThat(backoff.ceilingMillis(Integer.MAX_VALUE)).isEqualTo(20_000);
    }

    @Test
    void delaysAreFullJitter_withASeededRandom() {
        Backoff backoff = new Backoff(50, 1000, new Random(42));
        List<Long> delays = new ArrayList<>();
        for (int retry = 1; retry <= 8; retry++) {
            delays.add(backoff.delayMillis(retry));
        }
        // Golden: the same seed gives the same sequence, each delay uniform in [0, ceiling].
        assertThat(delays).containsExactly(GOLDEN_SEED_42);
        for (int retry = 1; retry <= 8; retry++) {
            assertThat(delays.get(retry - 1)).isBetween(0L, backoff.ceilingMillis(retry));
        }
    }

    @Test
    void delaysSpreadOverTheWholeRange() {
        Backoff backoff = new Backoff(100, 100_000, new Random(7));
        long sum = 0;
        long max = 0;
        long min = Long.MAX_VALUE;
        int samples = 20_000;
        for (int i = 0; i < samples; i++) {
            long delay = backoff.delayMillis(4); // ceiling 800
            sum += delay;
            max = Math.max(max, delay);
            min = Math.min(min, delay);
        }
        assertThat((double) sum / samples).isBetween(380.0, 420.0);
        assertThat(min).isLessThan(10);
        assertThat(max).isGreaterThan(790).isLessThanOrEqualTo(800);
    }

    @Test
    void rejectsRetryZero_andBadBounds() {
        Backoff backoff = new Backoff(50, 1000, new Random(1));
        assertThatThrownBy(() -> backoff.delayMillis(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(0, 10, new Random())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(100, 10, new Random())).isInstanceOf(IllegalArgumentException.class);
    }
}
