package dev.dynamo.spark;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * The driver's progress line of an import on stderr, every few seconds, from the job's accumulators (so it moves as
 * data files finish):
 * <pre>
 * importing 12,345 items, 3,100/s, 12.1 MiB, WCU ~12,345, retries 3, files 12/64, ETA 0:04
 * </pre>
 * The ETA counts data files: the ones left at the rate files have finished so far.
 */
final class ImportProgress implements AutoCloseable {
    private final PrintWriter err;
    private final ImportAccumulators counts;
    private final int files;
    private final int skipped;
    private final long startNanos = System.nanoTime();
    private final Thread thread;

    private ImportProgress(PrintWriter err, ImportAccumulators counts, int files, int skipped, long everyMillis) {
        this.err = err;
        this.counts = counts;
        this.files = files;
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
    static ImportProgress start(PrintWriter err, ImportAccumulators counts, int files, int skipped, long everyMillis) {
        ImportProgress progress = new ImportProgress(err, counts, files, skipped, everyMillis);
        if (everyMillis > 0) {
            progress.thread.start();
        }
        return progress;
    }

    private void print() {
        err.println(line(counts.written.value() + counts.deleted.value(), counts.bytesWritten.value(), counts.writeUnits.value(),
                counts.retried.value(), counts.failed.value(), skipped + counts.filesDone.value(), files,
                (System.nanoTime() - startNanos) / 1e9, counts.filesDone.value()));
        err.flush();
    }

    /** The line; {@code doneNow} is the files this run finished, in {@code seconds}. */
    static String line(long items, long bytes, double writeUnits, long retried, long failed, long filesDone, int files,
            double seconds, long doneNow) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "importing %,d items, %,.0f/s, %.1f MiB, WCU ~%,.0f",
                items, seconds > 0 ? items / seconds : 0, bytes / 1048576.0, writeUnits));
        if (retried > 0) {
            line.append(String.format(Locale.ROOT, ", retries %,d", retried));
        }
        if (failed > 0) {
            line.append(String.format(Locale.ROOT, ", failed %,d", failed));
        }
        line.append(String.format(Locale.ROOT, ", files %,d/%,d", filesDone, files));
        if (doneNow > 0 && filesDone < files) {
            long remaining = (long) ((files - filesDone) * seconds / doneNow);
            line.append(String.format(Locale.ROOT, ", ETA %d:%02d", remaining / 60, remaining % 60));
        }
        return line.toString();
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
