package dev.dynamo.spark;

import dev.dynamo.pipeline.JobCounters;
import java.io.Serializable;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.DoubleAccumulator;
import org.apache.spark.util.LongAccumulator;

/**
 * A copy's counts, summed over its tasks by Spark. They are updated inside an action ({@code foreachPartition}), so
 * Spark applies each task's updates once, from its successful attempt only: a retried task is not counted twice. The
 * driver sees a task's counts when it ends, which is what the progress line shows.
 */
final class CopyAccumulators implements Serializable {
    private static final long serialVersionUID = 1L;

    final LongAccumulator scanned;
    final LongAccumulator written;
    final LongAccumulator failed;
    final LongAccumulator retried;
    final LongAccumulator throttled;
    final LongAccumulator bytesWritten;
    final DoubleAccumulator readUnits;
    final DoubleAccumulator writeUnits;
    final LongAccumulator segmentsDone;

    CopyAccumulators(JavaSparkContext spark) {
        scanned = spark.sc().longAccumulator("dynamo.copy.scanned");
        written = spark.sc().longAccumulator("dynamo.copy.written");
        failed = spark.sc().longAccumulator("dynamo.copy.failed");
        retried = spark.sc().longAccumulator("dynamo.copy.retried");
        throttled = spark.sc().longAccumulator("dynamo.copy.throttled");
        bytesWritten = spark.sc().longAccumulator("dynamo.copy.bytesWritten");
        readUnits = spark.sc().doubleAccumulator("dynamo.copy.readUnits");
        writeUnits = spark.sc().doubleAccumulator("dynamo.copy.writeUnits");
        segmentsDone = spark.sc().longAccumulator("dynamo.copy.segmentsDone");
    }

    /** Adds one finished segment's counts (on the executor). */
    void add(JobCounters counters) {
        JobCounters.Snapshot now = counters.snapshot();
        scanned.add(now.scanned());
        written.add(now.written());
        failed.add(now.failed());
        retried.add(now.retried());
        throttled.add(now.throttled());
        bytesWritten.add(now.bytesWritten());
        readUnits.add(now.readUnits());
        writeUnits.add(now.writeUnits());
        segmentsDone.add(1);
    }
}
