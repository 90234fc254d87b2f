package dev.dynamo.spark;

import dev.dynamo.pipeline.JobCounters;
import java.io.Serializable;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.DoubleAccumulator;
import org.apache.spark.util.LongAccumulator;

/**
 * An import's counts, summed over its data-file tasks by Spark. Updated inside an action ({@code foreachPartition}), so
 * Spark applies each task's updates once, from its successful attempt only: a retried task is not counted twice. The
 * driver sees a task's counts when it ends, which is what the progress line shows.
 */
final class ImportAccumulators implements Serializable {
    private static final long serialVersionUID = 1L;

    final LongAccumulator read;
    final LongAccumulator written;
    final LongAccumulator deleted;
    final LongAccumulator failed;
    final LongAccumulator retried;
    final LongAccumulator throttled;
    final LongAccumulator bytesWritten;
    final DoubleAccumulator writeUnits;
    final LongAccumulator filesDone;

    ImportAccumulators(JavaSparkContext spark) {
        read = spark.sc().longAccumulator("dynamo.import.read");
        written = spark.sc().longAccumulator("dynamo.import.written");
        deleted = spark.sc().longAccumulator("dynamo.import.deleted");
        failed = spark.sc().longAccumulator("dynamo.import.failed");
        retried = spark.sc().longAccumulator("dynamo.import.retried");
        throttled = spark.sc().longAccumulator("dynamo.import.throttled");
        bytesWritten = spark.sc().longAccumulator("dynamo.import.bytesWritten");
        writeUnits = spark.sc().doubleAccumulator("dynamo.import.writeUnits");
        filesDone = spark.sc().longAccumulator("dynamo.import.filesDone");
    }

    /** Adds one finished data file's counts (on the executor). */
    void add(long records, JobCounters counters) {
        JobCounters.Snapshot now = counters.snapshot();
        read.add(records);
        written.add(now.written());
        deleted.add(now.deleted());
        failed.add(now.failed());
        retried.add(now.retried());
        throttled.add(now.throttled());
        bytesWritten.add(now.bytesWritten());
        writeUnits.add(now.writeUnits());
        filesDone.add(1);
    }
}
