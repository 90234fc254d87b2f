package dev.dynamo.spark;

import io.soabase.recordbuilder.core.RecordBuilder;
import java.io.Serializable;
import java.util.Map;

/**
 * What each segment task of a copy is told by the driver: sent to the executors with the task.
 *
 * @param jobId                  names the job's files (dead letters) and its rate leases
 * @param source                 where to read
 * @param target                 where to write
 * @param sourceTable            the table read
 * @param targetTable            the table written
 * @param segments               the scan's total segments (one task each)
 * @param pageSize               items per Scan page
 * @param consistent             strongly consistent reads
 * @param writers                writer threads in each task
 * @param maxRetries             retries of one call before its items are dead-lettered or the task fails
 * @param requestTimeoutMillis   how long one attempt of a call may take
 * @param maxReadUnits           the whole job's read capacity per second, 0 for no limit
 * @param maxWriteUnits          the whole job's write capacity per second, 0 for no limit
 * @param slots                  the task slots of the cluster: the safe share of a rate is rate / slots
 * @param driver                 the driver's service (http://host:port): rate leases, and where the task reports
 * @param deadLetters            where each segment's items that cannot be written go (one file per segment): a local
 *                               directory (on the executor's machine) or s3://bucket/prefix
 * @param s3                     how an s3:// dead-letter location is reached ({@code --s3-*})
 * @param positions              where unfinished segments of a resumed job stand ({@link PositionReport}'s JSON text), by
 *                               segment; a segment not in it starts at its beginning
 */
@RecordBuilder
record SegmentTaskPlan(String jobId, EnvironmentDescription source, EnvironmentDescription target, String sourceTable,
        String targetTable, int segments, int pageSize, boolean consistent, int writers, int maxRetries,
        long requestTimeoutMillis, double maxReadUnits, double maxWriteUnits, int slots, String driver,
        String deadLetters, SparkS3Options.Description s3, Map<Integer, String> positions) implements Serializable {

    static SegmentTaskPlanBuilder builder() {
        return SegmentTaskPlanBuilder.builder();
    }

    /** A rate's safe share when every slot runs a task: never more than the whole rate in all. */
    double safeShare(double units) {
        return units / Math.max(1, slots);
    }
}
