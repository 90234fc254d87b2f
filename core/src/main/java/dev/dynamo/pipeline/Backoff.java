package dev.dynamo.pipeline;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.Random;
import java.util.random.RandomGenerator;
import org.apiguardian.api.API;

/**
 * Capped exponential backoff with full jitter: before retry {@code n} (1-based) wait a random time
 * between 0 and {@code min(cap, base * 2^(n-1))} milliseconds, as the AWS Architecture Blog's
 * "Exponential Backoff And Jitter" recommends: retrying clients spread out instead of retrying in
 * waves. Thread-safe when the random generator is (the default {@link Random} is).
 */
@API(status = INTERNAL, since = "0.1")
public final class Backoff {
    private final long baseMillis;
    private final long capMillis;
    private final RandomGenerator random;

    public Backoff(long baseMillis, long capMillis, RandomGenerator random) {
        if (baseMillis <= 0 || capMillis < baseMillis) {
            throw new IllegalArgumentException("need 0 < base <= cap, got base " + baseMillis + " ms, cap " + capMillis + " ms");
        }
        this.baseMillis = baseMillis;
        this.capMillis = capMillis;
        this.random = random;
    }

    /** The defaults of {@link JobDefaults}, with a fresh random generator. */
    public static Backoff create() {
        return new Backoff(JobDefaults.BACKOFF_BASE_MILLIS, JobDefaults.BACKOFF_CAP_MILLIS, new Random());
    }

    /** The most that retry {@code retry} (1-based) can wait: {@code min(cap, base * 2^(retry-1))}. */
    long ceilingMillis(int retry) {
        if (retry < 1) {
            throw new IllegalArgumentException("retries count from 1, got " + retry);
        }
        // base * 2^(retry-1) overflows a long quickly: stop doubling once the cap is reached.
        long ceiling = baseMillis;
        for (int i = 1; i < retry && ceiling < capMillis; i++) {
            ceiling *= 2;
        }
        return Math.min(capMillis, ceiling);
    }

    /** How long to wait before retry {@code retry} (1-based): uniform in [0, ceiling]. */
    long delayMillis(int retry) {
        return random.nextLong(ceilingMillis(retry) + 1);
    }
}
