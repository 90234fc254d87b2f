package dev.dynamo.spark;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * The driver's progress line on stderr, every few seconds, from the job's accumulators (so it moves as segments
 * finish), in the command line's words:
 * <pre>
 * copying 12,345 items, 3,100/s, 12.1 MiB, RCU 121 WCU ~12,345, retries 3, segments 12/64, ETA 0:04
 * </pre>
 * The ETA counts segments: the ones left at the rate segments have finished so far.
 */
final class CopyProgress implements AutoCloseable {
    private final PrintWriter err;
    private final CopyAccumulators counts;
    private final int segments;
    private final int skipped;
    private final long startNanos = System.nanoTime();
    private final Thread thread;

    private CopyProgress(PrintWriter err, CopyAccumulators counts, int segments, int skipped, long everyMillis) {
        this.err = err;
        this.counts = counts;
        this.segments = segments;
        this.skipped = skipped;
        this.thread = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(everyMillis);
                } catch (InterruptedException e) {
                    return;
                }
                print();
            }
        }, "dynamo-spark-progress");
        thread.setDaemon(true);
    }

    /** Prints every {@code everyMillis}; 0 for never. */
    static CopyProgress start(PrintWriter err, CopyAccumulators counts, int segments, int skipped, long everyMillis) {
        CopyProgress progress = new CopyProgress(err, counts, segments, skipped, everyMillis);
        if (everyMillis > 0) {
            progress.thread.start();
        }
        return progress;
    }

    private void print() {
        err.println(line(counts.written.value(), counts.bytesWritten.value(), counts.readUnits.value(), counts.writeUnits.value(),
                counts.retried.value(), counts.failed.value(), skipped + counts.segmentsDone.value(), segments,
                (System.nanoTime() - startNanos) / 1e9, counts.segmentsDone.value()));
        err.flush();
    }

    /** The line; {@code doneNow} is the segments this run finished, in {@code seconds}. */
    static String line(long written, long bytes, double readUnits, double writeUnits, long retried, long failed, long segmentsDone,
            int segments, double seconds, long doneNow) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "copying %,d items, %,.0f/s, %.1f MiB, RCU %,.0f WCU ~%,.0f",
                written, seconds > 0 ? written / seconds : 0, bytes / 1048576.0, readUnits, writeUnits));
        if (retried > 0) {
            line.append(String.format(Locale.ROOT, ", retries %,d", retried));
        }
        if (failed > 0) {
            line.append(String.format(Locale.ROOT, ", failed %,d", failed));
        }
        line.append(String.format(Locale.ROOT, ", segments %,d/%,d", segmentsDone, segments));
        if (doneNow > 0 && segmentsDone < segments) {
            long remaining = (long) ((segments - segmentsDone) * seconds / doneNow);
            line.append(String.format(Locale.ROOT, ", ETA %d:%02d", remaining / 60, remaining % 60));
        }
        return line.toString();
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
