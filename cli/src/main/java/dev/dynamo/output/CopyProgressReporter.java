package dev.dynamo.output;

import dev.dynamo.pipeline.JobCounters;
import dev.dynamo.pipeline.JobPhase;
import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The text of {@code dynamo copy}'s live progress line, which a {@link StatusLine} draws:
 * <pre>
 * copying 12,345/20,000 (61%) 12.1 MiB 3,100/s RCU 121 WCU ~12,345 retries 3 ETA 0:04
 * </pre>
 * It keeps the recent counts for the rate; the status line asks for the text on its one thread only.
 */
public final class CopyProgressReporter {
    /** The items/s and ETA shown are measured over this much of the recent past. */
    static final long RATE_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Supplier<JobCounters.Snapshot> progress;
    private final ArrayDeque<long[]> recent = new ArrayDeque<>(); // {nanos, phase items done}, newest last
    private JobPhase recentPhase;

    private CopyProgressReporter(Supplier<JobCounters.Snapshot> progress) {
        this.progress = progress;
    }

    /** Starts drawing {@code progress} (a job's, read from the drawing thread) on {@code err}; its notices keep the line intact. */
    public static StatusLine start(PrintWriter err, Supplier<JobCounters.Snapshot> progress) {
        return StatusLine.start(err, "dynamo-copy-progress", new CopyProgressReporter(progress)::text);
    }

    private String text() {
        JobCounters.Snapshot now = progress.get();
        return line(now, recentRate(now));
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

    /**
     * The progress line for a snapshot, with the recent rate in items per second.
     * <pre>
     * copying 12,345/20,000 (61%) 12.1 MiB 3,100/s RCU 121 WCU ~12,345 retries 3 ETA 0:04
     * comparing 30,000/40,000 (75%) 9,800/s RCU 1,250 WCU ~0 ETA 0:01
     * deleting extras 1,200/5,000 (24%) 800/s RCU 30 WCU ~1,200 ETA 0:04
     * </pre>
     */
    public static String line(JobCounters.Snapshot now, double rate) {
        StringBuilder line = new StringBuilder(now.phase().label());
        boolean counting = now.phase() == JobPhase.COPY || now.phase() == JobPhase.COMPARE || now.phase() == JobPhase.BACKUP
                || now.phase() == JobPhase.DELETE || now.phase() == JobPhase.EXPORT || now.phase() == JobPhase.CHECK_FILES
                || now.phase() == JobPhase.IMPORT;
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
