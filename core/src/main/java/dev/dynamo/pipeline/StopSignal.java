package dev.dynamo.pipeline;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.function.Supplier;
import org.apiguardian.api.API;

/**
 * Asks a running copy to stop gracefully: readers read no new page, writers finish the batch they
 * are writing and take no new page, and what was acknowledged until then stays acknowledged (so
 * the checkpoint saved at the stop claims exactly that).
 *
 * <p>Concurrency contract: {@link #request} may be called from any thread (a signal handler), any
 * number of times; workers poll {@link #requested} between pages and batches.
 */
@API(status = INTERNAL, since = "0.1")
public final class StopSignal {
    private volatile boolean requested;

    public void request() {
        requested = true;
    }

    public boolean requested() {
        return requested;
    }

    /**
     * Requests a stop, and interrupts the thread {@code runner} names if it is still running {@code graceMillis} later
     * (a daemon thread waits for that). Returns at once.
     */
    public void request(long graceMillis, Supplier<Thread> runner) {
        request();
        Thread grace = new Thread(() -> {
            try {
                Thread.sleep(graceMillis);
            } catch (InterruptedException e) {
                return;
            }
            Thread running = runner.get();
            if (running != null) {
                running.interrupt();
            }
        }, "dynamo-stop-grace");
        grace.setDaemon(true);
        grace.start();
    }
}
