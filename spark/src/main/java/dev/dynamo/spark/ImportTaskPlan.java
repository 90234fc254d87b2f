package dev.dynamo.spark;

import io.soabase.recordbuilder.core.RecordBuilder;
import java.io.Serializable;
import java.util.Map;

/**
 * What each data-file task of an import is told by the driver: sent to the executors with the task.
 *
 * @param jobId                names the job's dead-letter files and its rate leases
 * @param environment          where the table is (and, unless {@link #s3} says otherwise, how s3:// sources are reached)
 * @param table                the table written
 * @param s3                   how the data files' bucket is reached where not as the table
 * @param files                the import's data files in all (task numbers run from 0 to files - 1)
 * @param keyTypes             the table's key attributes and their types, which every record must have (the check before
 *                             the writes); null for a table the import creates from the export's definition
 * @param pageSize             records handed to a writer at once
 * @param writers              writer threads in each task
 * @param maxRetries           retries of one call before its items are dead-lettered or the task fails
 * @param requestTimeoutMillis how long one attempt of a call may take
 * @param maxWriteUnits        the whole job's write capacity per second, 0 for no limit
 * @param slots                the task slots of the cluster: the safe share of the rate is rate / slots
 * @param driver               the driver's service (http://host:port): rate leases, and where the task reports
 * @param deadLetterDirectory  where each data file's items that cannot be written go (one file per data file)
 */
@RecordBuilder
record ImportTaskPlan(String jobId, EnvironmentDescription environment, String table, SparkS3Options.Description s3, int files,
        Map<String, String> keyTypes, int pageSize, int writers, int maxRetries, long requestTimeoutMillis, double maxWriteUnits,
        int slots, String driver, String deadLetterDirectory) implements Serializable {

    static ImportTaskPlanBuilder builder() {
        return ImportTaskPlanBuilder.builder();
    }

    /** The rate's safe share when every slot runs a task: never more than the whole rate in all. */
    double safeShare(double units) {
        return units / Math.max(1, slots);
    }
}
