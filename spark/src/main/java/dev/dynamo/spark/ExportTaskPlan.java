package dev.dynamo.spark;

import dev.dynamo.items.ExportFormat;
import io.soabase.recordbuilder.core.RecordBuilder;
import java.io.Serializable;

/**
 * What each segment task of an export is told by the driver: sent to the executors with the task.
 *
 * @param runId                this driver run's random token: with the task's attempt number, it makes each attempt's
 *                             data file names its own ({@code data/s00003-RUN-a0-00000.json.gz})
 * @param environment          where the table is
 * @param table                the table read
 * @param destination          the export's destination as given ({@code s3://bucket/prefix} or a folder)
 * @param s3                   how to reach the bucket where it differs from the table's environment
 * @param exportId             the export's id: its folder is {@code DEST/AWSDynamoDB/ID/}
 * @param format               the data files' format
 * @param maxFileBytes         a data file is committed and another begun past this many bytes of items (before gzip)
 * @param segments             the scan's total segments (one task each)
 * @param pageSize             items per Scan page
 * @param consistent           strongly consistent reads
 * @param maxRetries           retries of one call before the task fails
 * @param requestTimeoutMillis how long one attempt of a call may take
 * @param maxReadUnits         the whole job's read capacity per second, 0 for no limit
 * @param slots                the task slots of the cluster: the safe share of the rate is rate / slots
 * @param driver               the driver's service (http://host:port): rate leases, and where the task reports its files
 */
@RecordBuilder
record ExportTaskPlan(String runId, EnvironmentDescription environment, String table, String destination,
        SparkS3Options.Description s3, String exportId, ExportFormat format, long maxFileBytes, int segments, int pageSize,
        boolean consistent, int maxRetries, long requestTimeoutMillis, double maxReadUnits, int slots, String driver)
        implements Serializable {

    static ExportTaskPlanBuilder builder() {
        return ExportTaskPlanBuilder.builder();
    }

    /** The rate's safe share when every slot runs a task: never more than the whole rate in all. */
    double safeReadShare() {
        return maxReadUnits / Math.max(1, slots);
    }
}
