package dev.dynamo.spark;

import dev.dynamo.copy.CopyMode;
import dev.dynamo.env.EnvironmentSpec;
import io.soabase.recordbuilder.core.RecordBuilder;

/**
 * A copy on Spark as the user asked for it: the command's options as a record (the job never sees an option).
 *
 * @param source               where to read
 * @param target               where to write
 * @param sourceTable          the table copied
 * @param targetTable          the table written (default: the source's name)
 * @param mode                 merge, or replace (on Spark only into an empty or new target, where it is a merge)
 * @param createTable          create a missing target from the source's definition
 * @param segments             scan segments (Spark tasks); 0 for the default
 * @param pageSize             items per Scan page
 * @param writers              writer threads per task
 * @param maxRetries           retries of one call
 * @param requestTimeoutMillis how long one attempt of a call may take
 * @param consistent           strongly consistent reads
 * @param maxReadUnits         read capacity units per second for the whole job, 0 for no limit
 * @param maxWriteUnits        write capacity units per second for the whole job, 0 for no limit
 * @param checkpoint           the checkpoint: a directory or s3://bucket/prefix, or null for the default directory under
 *                             ~/.dynamo/checkpoints
 * @param resume               continue the job of the checkpoint
 * @param deadLetters          where items that cannot be written go: a directory or s3://bucket/prefix, or null for
 *                             ~/.dynamo/dead-letters
 * @param s3                   how s3:// locations are reached (the {@code --s3-*} options)
 * @param allowProtectedTarget {@code --allow-protected-target}, or null
 */
@RecordBuilder
record SparkCopyPlan(EnvironmentSpec source, EnvironmentSpec target, String sourceTable, String targetTable, CopyMode mode,
        boolean createTable, int segments, int pageSize, int writers, int maxRetries, long requestTimeoutMillis,
        boolean consistent, double maxReadUnits, double maxWriteUnits, String checkpoint, boolean resume,
        String deadLetters, SparkS3Options.Description s3, String allowProtectedTarget) {

    static SparkCopyPlanBuilder builder() {
        return SparkCopyPlanBuilder.builder();
    }
}
