package dev.dynamo.spark;

import dev.dynamo.pipeline.JobCounters;
import java.io.Serializable;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.DoubleAccumulator;
import org.apache.spark.util.LongAccumulator;

/**
 * The counts of a digest join and of a replace's writes, summed over tasks by Spark. The writes' counts are updated
 * in an action ({@code foreachPartition}), so only successful attempts count; the scans' are updated in the map stage
 * of the shuffle, which Spark may run again when shuffle files are lost: they are for the progress line and the
 * summary's units and retries, never for the comparison's counts (those come from the join itself, {@link DiffTally}).
 */
final class DiffAccumulators implements Serializable {
    private static final long serialVersionUID = 1L;

    final LongAccumulator scanned;
    final LongAccumulator scansDone;
    final LongAccumulator written;
    final LongAccumulator deleted;
    final LongAccumulator failed;
    final LongAccumulator vanished;
    final LongAccumulator retried;
    final LongAccumulator throttled;
    final LongAccumulator bytesWritten;
    final DoubleAccumulator readUnits;
    final DoubleAccumulator writeUnits;

    DiffAccumulators(JavaSparkContext spark) {
        scanned = spark.sc().longAccumulator("dynamo.diff.scanned");
        scansDone = spark.sc().longAccumulator("dynamo.diff.scansDone");
        written = spark.sc().longAccumulator("dynamo.diff.written");
        deleted = spark.sc().longAccumulator("dynamo.diff.deleted");
        failed = spark.sc().longAccumulator("dynamo.diff.failed");
        vanished = spark.sc().longAccumulator("dynamo.diff.vanished");
        retried = spark.sc().longAccumulator("dynamo.diff.retried");
        throttled = spark.sc().longAccumulator("dynamo.diff.throttled");
        bytesWritten = spark.sc().longAccumulator("dynamo.diff.bytesWritten");
        readUnits = spark.sc().doubleAccumulator("dynamo.diff.readUnits");
        writeUnits = spark.sc().doubleAccumulator("dynamo.diff.writeUnits");
    }

    /** Adds one finished task's counts (on the executor). */
    void add(JobCounters counters) {
        JobCounters.Snapshot now = counters.snapshot();
        scanned.add(now.scanned());
        written.add(now.written());
        deleted.add(counters.deleted.sum());
        failed.add(now.failed());
        retried.add(now.retried());
        throttled.add(now.throttled());
        bytesWritten.add(now.bytesWritten());
        readUnits.add(now.readUnits());
        writeUnits.add(now.writeUnits());
    }
}
