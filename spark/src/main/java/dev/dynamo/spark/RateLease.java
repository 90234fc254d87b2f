package dev.dynamo.spark;

import dev.dynamo.pipeline.CapacityLimiter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A task's lease on its share of the job's rates ({@link DriverService}), on the executor: renewed every
 * {@link #RENEW_MILLIS} by a daemon thread that retunes the task's limiters to the share answered. Until the first
 * answer, and whenever the coordinator cannot be reached, the limiters keep the safe share (rate / slots), which
 * holds the job's limit whatever the others do.
 */
final class RateLease implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RateLease.class);
    static final long RENEW_MILLIS = 500;

    private final String coordinator;
    private final String task;
    private final CapacityLimiter reads;
    private final CapacityLimiter writes;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Thread thread;
    private volatile boolean closed;

    private RateLease(String coordinator, String task, CapacityLimiter reads, CapacityLimiter writes) {
        this.coordinator = coordinator;
        this.task = task;
        this.reads = reads;
        this.writes = writes;
        this.thread = new Thread(this::renew, "dynamo-rate-lease-" + task);
        thread.setDaemon(true);
    }

    /** Takes a lease for {@code task} and keeps its limiters at its share until {@link #close}. */
    static RateLease take(String coordinator, String task, CapacityLimiter reads, CapacityLimiter writes) {
        RateLease lease = new RateLease(coordinator, task, reads, writes);
        long waitMillis = lease.ask(false);
        lease.thread.start();
        if (waitMillis > 0) { // the others hold more than the rate leaves us until they renew (DriverService)
            try {
                Thread.sleep(Math.min(waitMillis, DriverService.RENEW_WAIT_MILLIS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return lease;
    }

    private void renew() {
        while (!closed) {
            try {
                Thread.sleep(RENEW_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            if (!closed) {
                ask(false);
            }
        }
    }

    /** Asks for (or gives back) the lease; the milliseconds to wait before using a first share. */
    private long ask(boolean end) {
        URI uri = URI.create(coordinator + "/lease?task=" + task + (end ? "&end" : ""));
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200 || end) {
                return 0;
            }
            // 12.5 250.0 480
            String[] shares = answer.body().trim().split(" ");
            retune(reads, Double.parseDouble(shares[0]));
            retune(writes, Double.parseDouble(shares[1]));
            return shares.length > 2 ? Long.parseLong(shares[2]) : 0;
        } catch (IOException | RuntimeException e) {
            LOG.warn("driver service {} not reached ({}); keeping the current share", coordinator, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static void retune(CapacityLimiter limiter, double share) {
        if (limiter.isLimited() && share > 0) {
            limiter.retune(share);
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        ask(true);
    }
}
