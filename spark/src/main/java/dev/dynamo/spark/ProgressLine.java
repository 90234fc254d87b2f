package dev.dynamo.spark;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * The driver's progress line on stderr, every few seconds, from a job's accumulators (so it moves as tasks finish):
 * one drawer (a daemon thread) for every job, and the lines of copy, export and import in the command line's words,
 * each counting its own tasks (segments or data files):
 * <pre>
 * copying 12,345 items, 3,100/s, 12.1 MiB, RCU 121 WCU ~12,345, retries 3, segments 12/64, ETA 0:04
 * exporting 12,345 items, 3,100/s, RCU 121, segments 12/64, ETA 0:04
 * importing 12,345 items, 3,100/s, 12.1 MiB, WCU ~12,345, retries 3, files 12/64, ETA 0:04
 * </pre>
 * The ETA counts tasks: the ones left at the rate tasks have finished so far in this run ({@code doneNow}; tasks an
 * earlier run finished, {@code skipped}, count as done but not toward the rate).
 */
final class ProgressLine implements AutoCloseable {
    private final Thread thread;

    private ProgressLine(Thread thread) {
        this.thread = thread;
    }

    /**
     * Prints {@code line} of the seconds since now every {@code everyMillis}; 0 for never. The line is read from the
     * drawer's thread, so what it reads must be safe to read from another thread (accumulators, volatile fields).
     */
    static ProgressLine start(PrintWriter err, long everyMillis, DoubleFunction<String> line) {
        long startNanos = System.nanoTime();
        Thread thread = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(everyMillis);
                } catch (InterruptedException e) {
                    return;
                }
                err.println(line.apply((System.nanoTime() - startNanos) / 1e9));
                err.flush();
            }
        }, "dynamo-spark-progress");
        thread.setDaemon(true);
        if (everyMillis > 0) {
            thread.start();
        }
        return new ProgressLine(thread);
    }

    static ProgressLine copying(PrintWriter err, CopyAccumulators counts, int segments, int skipped, long everyMillis) {
        return start(err, everyMillis, seconds -> copyLine(counts.written.value(), counts.bytesWritten.value(), counts.readUnits.value(),
                counts.writeUnits.value(), counts.retried.value(), counts.failed.value(), skipped + counts.segmentsDone.value(), segments,
                seconds, counts.segmentsDone.value()));
    }

    static ProgressLine exporting(PrintWriter err, CopyAccumulators counts, int segments, int skipped, long everyMillis) {
        return start(err, everyMillis, seconds -> exportLine(counts.written.value(), counts.readUnits.value(),
                skipped + counts.segmentsDone.value(), segments, seconds, counts.segmentsDone.value()));
    }

    static ProgressLine importing(PrintWriter err, ImportAccumulators counts, int files, int skipped, long everyMillis) {
        return start(err, everyMillis, seconds -> importLine(counts.written.value() + counts.deleted.value(), counts.bytesWritten.value(),
                counts.writeUnits.value(), counts.retried.value(), counts.failed.value(), skipped + counts.filesDone.value(), files, seconds,
                counts.filesDone.value()));
    }

    /** {@code copying 12,345 items, 3,100/s, 12.1 MiB, RCU 121 WCU ~12,345, retries 3, segments 12/64, ETA 0:04}. */
    static String copyLine(long written, long bytes, double readUnits, double writeUnits, long retried, long failed, long segmentsDone,
            int segments, double seconds, long doneNow) {
        return items("copying", written, seconds) + String.format(Locale.ROOT, ", %.1f MiB, RCU %,.0f WCU ~%,.0f", bytes / 1048576.0,
                readUnits, writeUnits) + problems(retried, failed) + tasks("segments", segmentsDone, segments, seconds, doneNow);
    }

    /** {@code exporting 12,345 items, 3,100/s, RCU 121, segments 12/64, ETA 0:04}. */
    static String exportLine(long items, double readUnits, long segmentsDone, int segments, double seconds, long doneNow) {
        return items("exporting", items, seconds) + String.format(Locale.ROOT, ", RCU %,.0f", readUnits)
                + tasks("segments", segmentsDone, segments, seconds, doneNow);
    }

    /** {@code importing 12,345 items, 3,100/s, 12.1 MiB, WCU ~12,345, retries 3, files 12/64, ETA 0:04}. */
    static String importLine(long items, long bytes, double writeUnits, long retried, long failed, long filesDone, int files,
            double seconds, long doneNow) {
        return items("importing", items, seconds) + String.format(Locale.ROOT, ", %.1f MiB, WCU ~%,.0f", bytes / 1048576.0, writeUnits)
                + problems(retried, failed) + tasks("files", filesDone, files, seconds, doneNow);
    }

    /** {@code copying 12,345 items, 3,100/s}. */
    private static String items(String verb, long items, double seconds) {
        return String.format(Locale.ROOT, "%s %,d items, %,.0f/s", verb, items, seconds > 0 ? items / seconds : 0);
    }

    /** {@code , retries 3, failed 2}, each only when not 0. */
    private static String problems(long retried, long failed) {
        return (retried > 0 ? String.format(Locale.ROOT, ", retries %,d", retried) : "")
                + (failed > 0 ? String.format(Locale.ROOT, ", failed %,d", failed) : "");
    }

    /** {@code , segments 12/64, ETA 0:04}: the ETA once a task of this run has finished, and while some are left. */
    private static String tasks(String unit, long done, int total, double seconds, long doneNow) {
        String line = String.format(Locale.ROOT, ", %s %,d/%,d", unit, done, total);
        if (doneNow > 0 && done < total) {
            long remaining = (long) ((total - done) * seconds / doneNow);
            line += String.format(Locale.ROOT, ", ETA %d:%02d", remaining / 60, remaining % 60);
        }
        return line;
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
