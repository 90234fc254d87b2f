package dev.dynamo.spark;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * The export's progress line on stderr, every few seconds, from the job's accumulators (so it moves as segments
 * finish):
 * <pre>
 * exporting 12,345 items, 3,100/s, RCU 121, segments 12/64, ETA 0:04
 * </pre>
 * The ETA counts segments: the ones left at the rate segments have finished so far.
 */
final class ExportProgress implements AutoCloseable {
    private final Thread thread;

    private ExportProgress(Thread thread) {
        this.thread = thread;
    }

    /** Prints every {@code everyMillis}; 0 for never. */
    static ExportProgress start(PrintWriter err, CopyAccumulators counts, int segments, int skipped, long everyMillis) {
        long startNanos = System.nanoTime();
        Thread thread = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(everyMillis);
                } catch (InterruptedException e) {
                    return;
                }
                err.println(line(counts.written.value(), counts.readUnits.value(), skipped + counts.segmentsDone.value(), segments,
                        (System.nanoTime() - startNanos) / 1e9, counts.segmentsDone.value()));
                err.flush();
            }
        }, "dynamo-spark-progress");
        thread.setDaemon(true);
        if (everyMillis > 0) {
            thread.start();
        }
        return new ExportProgress(thread);
    }

    /** The line; {@code doneNow} is the segments this run finished, in {@code seconds}. */
    static String line(long items, double readUnits, long segmentsDone, int segments, double seconds, long doneNow) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "exporting %,d items, %,.0f/s, RCU %,.0f, segments %,d/%,d",
                items, seconds > 0 ? items / seconds : 0, readUnits, segmentsDone, segments));
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
