package dev.dynamo.spark;

import io.soabase.recordbuilder.core.RecordBuilder;
import java.time.Duration;

/**
 * What a copy on Spark did, summed over its successful tasks.
 *
 * @param source              the source, as {@code table 'Orders' in 'prod' (us-east-1)}
 * @param target              the target, likewise
 * @param segments            the scan's segments
 * @param segmentsSkipped     segments a resumed job found finished and did not read again
 * @param tableCreated        whether the job created the target
 * @param failed              items that could not be written, by this job and (resumed) by the earlier job's finished segments
 * @param deadLetterDirectory where items that could not be written are (a directory or s3://bucket/prefix), when
 *                            {@link #failed} is not 0
 */
@RecordBuilder
record SparkCopyStats(String source, String target, int segments, int segmentsSkipped, boolean tableCreated, long scanned,
        long written, long failed, long retried, long throttled, long bytesWritten, double readUnits, double writeUnits,
        boolean writeUnitsMeasured, Duration elapsed, String deadLetterDirectory) {

    static SparkCopyStatsBuilder builder() {
        return SparkCopyStatsBuilder.builder();
    }

    double itemsPerSecond() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds > 0 ? written / seconds : 0;
    }
}
