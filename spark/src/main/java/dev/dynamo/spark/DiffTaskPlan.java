package dev.dynamo.spark;

import io.soabase.recordbuilder.core.RecordBuilder;
import java.io.Serializable;

/**
 * What the tasks of a digest join (verify, replace by difference) are told by the driver: sent with the tasks. The
 * scan tasks are numbered: the source's segments first ({@code 0 .. sourceSegments - 1}), then the target's.
 *
 * @param jobId                names the job's files (dead letters) and its rate leases
 * @param source               where the source table is
 * @param target               where the target table is
 * @param sourceTable          the source table
 * @param targetTable          the target table
 * @param keys                 the tables' key (the same on both sides)
 * @param sourceSegments       the source scan's segments
 * @param targetSegments       the target scan's segments
 * @param pageSize             items per Scan page
 * @param consistent           strongly consistent reads
 * @param maxRetries           retries of one call before the task fails (or, for a write, its items are dead-lettered)
 * @param requestTimeoutMillis how long one attempt of a call may take
 * @param maxReadUnits         each table's read capacity per second for the whole job, 0 for no limit
 * @param maxWriteUnits        the target's write capacity per second for the whole job, 0 for no limit
 * @param slots                the cluster's task slots: a rate's safe share is rate / slots
 * @param sourceService        the driver's service for the source's reads and the target's writes (leases, reports)
 * @param targetService        the driver's service for the target's reads (leases)
 * @param deadLetters          where a replace's items that cannot be written go (one file per partition attempt that has
 *                             any): a local directory or s3://bucket/prefix; null for a verification
 * @param s3                   how an s3:// dead-letter location is reached ({@code --s3-*}), or null
 */
@RecordBuilder
record DiffTaskPlan(String jobId, EnvironmentDescription source, EnvironmentDescription target, String sourceTable,
        String targetTable, KeyShape keys, int sourceSegments, int targetSegments, int pageSize, boolean consistent,
        int maxRetries, long requestTimeoutMillis, double maxReadUnits, double maxWriteUnits, int slots, String sourceService,
        String targetService, String deadLetters, SparkS3Options.Description s3) implements Serializable {

    static DiffTaskPlanBuilder builder() {
        return DiffTaskPlanBuilder.builder();
    }

    /** A rate's safe share when every slot runs a task: never more than the whole rate in all. */
    double safeShare(double units) {
        return units / Math.max(1, slots);
    }

    boolean limited() {
        return maxReadUnits > 0 || maxWriteUnits > 0;
    }
}
