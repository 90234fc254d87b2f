package dev.dynamo.output;

import dev.dynamo.pipeline.JobCounters;
import dev.dynamo.pipeline.JobPhase;
import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The live progress line of {@code dynamo copy} on a terminal's stderr, redrawn in place with a
 * carriage return every {@link #INTERVAL_MILLIS} ms:
 * <pre>
 * copying 12,345/20,000 (61%) 12.1 MiB 3,100/s RCU 121 WCU ~12,345 retries 3 ETA 0:04
 * </pre>
 * Only for a terminal: the command does not start it when stderr is a file or a pipe, or with
 * {@code --no-progress}. No ANSI escapes: a shorter line is blanked with spaces.
 *
 * <p>Concurrency contract: one daemon thread draws the line; {@link #notice} (from the copy's
 * thread) and the drawing share one lock, so a notice never lands in the middle of a line.
 */
public final class CopyProgressReporter implements AutoCloseable {
    /** How often the line is redrawn. */
    public static final long INTERVAL_MILLIS = 500;
    /** The items/s and ETA shown are measured over this much of the recent past. */
    static final long RATE_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final PrintWriter err;
    private final JobCounters counters;
    private final Thread thread;
    private final Object lock = new Object();
    private final ArrayDeque<long[]> recent = new ArrayDeque<>(); // {nanos, phase items done}, newest last
    private JobPhase recentPhase;
    private int shownChars;
    private volatile boolean stopped;

    private CopyProgressReporter(PrintWriter err, JobCounters counters) {
        this.err = err;
        this.counters = counters;
        this.thread = new Thread(this::loop, "dynamo-copy-progress");
        this.thread.setDaemon(true);
    }

    /** Starts drawing the progress of {@code counters} on {@code err}. */
    public static CopyProgressReporter start(PrintWriter err, JobCounters counters) {
        CopyProgressReporter reporter = new CopyProgressReporter(err, counters);
        reporter.thread.start();
        return reporter;
    }

    /** Prints a message on a line of its own; the progress line comes back at the next redraw. */
    public void notice(String message) {
        synchronized (lock) {
            clearLine();
            err.println(message);
            err.flush();
        }
    }

    private void loop() {
        try {
            while (!stopped) {
                TimeUnit.MILLISECONDS.sleep(INTERVAL_MILLIS);
                if (!stopped) {
                    JobCounters.Snapshot now = counters.snapshot();
                    draw(line(now, recentRate(now)));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Items per second over the last {@link #RATE_WINDOW_NANOS}: what the copy does now, so the ETA does
     * not carry the slow start of a cold JVM (or a throttled minute) to the end.
     */
    private double recentRate(JobCounters.Snapshot now) {
        long nanos = System.nanoTime();
        if (now.phase() != recentPhase) {
            recent.clear();
            recentPhase = now.phase();
        }
        recent.addLast(new long[] {nanos, now.phaseDone()});
        while (recent.size() > 2 && nanos - recent.peekFirst()[0] > RATE_WINDOW_NANOS) {
            recent.removeFirst();
        }
        long[] oldest = recent.peekFirst();
        if (oldest[0] == nanos) {
            double seconds = now.phaseNanos() / 1e9;
            return seconds > 0 ? now.phaseDone() / seconds : 0;
        }
        return (now.phaseDone() - oldest[1]) / ((nanos - oldest[0]) / 1e9);
    }

    private void draw(String line) {
        synchronized (lock) {
            if (stopped) {
                return;
            }
            String padded = line.length() < shownChars ? line + " ".repeat(shownChars - line.length()) : line;
            err.print("\r" + padded);
            err.flush();
            shownChars = line.length();
        }
    }

    private void clearLine() {
        if (shownChars > 0) {
            err.print("\r" + " ".repeat(shownChars) + "\r");
            shownChars = 0;
        }
    }

    /** Stops drawing and removes the line, so the summary starts on a clean line. */
    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (lock) {
            clearLine();
            err.flush();
        }
    }

    /**
     * The progress line for a snapshot, with the recent rate in items per second.
     * <pre>
     * copying 12,345/20,000 (61%) 12.1 MiB 3,100/s RCU 121 WCU ~12,345 retries 3 ETA 0:04
     * emptying target 1,200/5,000 (24%) 800/s RCU 30 WCU ~1,200 ETA 0:04
     * </pre>
     */
    public static String line(JobCounters.Snapshot now, double rate) {
        StringBuilder line = new StringBuilder(now.phase().label());
        boolean counting = now.phase() == JobPhase.COPY || now.phase() == JobPhase.EMPTY || now.phase() == JobPhase.BACKUP
                || now.phase() == JobPhase.DELETE_STALE;
        if (counting) {
            line.append(String.format(Locale.ROOT, " %,d", now.phaseDone()));
            if (now.expectedItems() > 0) {
                // DynamoDB's item count is up to six hours old: never show more than 99% before the end.
                long percent = Math.min(99, now.phaseDone() * 100 / now.expectedItems());
                line.append(String.format(Locale.ROOT, "/%,d (%d%%)", now.expectedItems(), percent));
            }
            if (now.phase() == JobPhase.COPY) {
                line.append(' ').append(CopyReportPrinter.bytes(now.bytesWritten()));
            }
            line.append(String.format(Locale.ROOT, " %,.0f/s", rate));
        }
        // "~": an estimate by DynamoDB's rules, as in the summary (DynamoDB is asked only under --max-wcu)
        line.append(String.format(Locale.ROOT, " RCU %,.0f WCU %s%,.0f", now.readUnits(), now.writeUnitsMeasured() ? "" : "~",
                now.writeUnits()));
        if (now.retried() > 0) {
            line.append(String.format(Locale.ROOT, " retries %,d", now.retried()));
        }
        if (now.failed() > 0) {
            line.append(String.format(Locale.ROOT, " failed %,d", now.failed()));
        }
        if (counting && now.expectedItems() > now.phaseDone() && rate > 0) {
            long remaining = (long) ((now.expectedItems() - now.phaseDone()) / rate);
            line.append(String.format(Locale.ROOT, " ETA %d:%02d", remaining / 60, remaining % 60));
        }
        return line.toString();
    }
}
