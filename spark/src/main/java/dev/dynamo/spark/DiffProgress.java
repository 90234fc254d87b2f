package dev.dynamo.spark;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * The driver's progress line of a digest join (and of a replace's writes) on stderr, every few seconds, from the job's
 * accumulators (so it moves as tasks finish):
 * <pre>
 * comparing: 120,000 items read, RCU 1,500, scans 12/16
 * writing what differs: written 300, deleted 20
 * </pre>
 */
final class DiffProgress implements AutoCloseable {
    private final DiffAccumulators counts;
    private final int scans;
    private final ProgressLine drawer;
    private volatile boolean writing;

    private DiffProgress(PrintWriter err, DiffAccumulators counts, int scans, long everyMillis) {
        this.counts = counts;
        this.scans = scans;
        this.drawer = ProgressLine.start(err, everyMillis, seconds -> line());
    }

    /** Prints every {@code everyMillis}; 0 for never. */
    static DiffProgress start(PrintWriter err, DiffAccumulators counts, int scans, long everyMillis) {
        return new DiffProgress(err, counts, scans, everyMillis);
    }

    /** The comparison is done: the line now counts writes. */
    void writing() {
        writing = true;
    }

    String line() {
        if (writing) {
            return String.format(Locale.ROOT, "writing what differs: written %,d, deleted %,d%s", counts.written.value(),
                    counts.deleted.value(), counts.failed.value() > 0 ? String.format(Locale.ROOT, ", failed %,d", counts.failed.value()) : "");
        }
        return String.format(Locale.ROOT, "comparing: %,d items read, RCU %,.0f%s, scans %,d/%,d", counts.scanned.value(),
                counts.readUnits.value(), counts.retried.value() > 0 ? String.format(Locale.ROOT, ", retries %,d", counts.retried.value()) : "",
                counts.scansDone.value(), scans);
    }

    @Override
    public void close() {
        drawer.close();
    }
}
