package dev.dynamo.spark;

import dev.dynamo.env.EnvironmentSpec;
import dev.dynamo.items.ExportFormat;
import io.soabase.recordbuilder.core.RecordBuilder;

/**
 * An export on Spark as the user asked for it: the command's options as a record (the job never sees an option).
 *
 * @param environment          where the table is
 * @param table                the table exported
 * @param destination          a local folder or {@code s3://bucket/prefix}
 * @param s3                   the --s3-* options
 * @param format               the data files' format
 * @param maxFileBytes         start a new data file past this many bytes of items (before gzip)
 * @param segments             scan segments (Spark tasks); 0 for the default
 * @param pageSize             items per Scan page
 * @param maxRetries           retries of one call
 * @param requestTimeoutMillis how long one attempt of a call may take
 * @param consistent           strongly consistent reads
 * @param maxReadUnits         read capacity units per second for the whole job, 0 for no limit
 * @param checkpoint           the checkpoint: a directory or {@code s3://bucket/prefix}, or null for the default one under
 *                             ~/.dynamo/checkpoints
 * @param resume               continue the export of the checkpoint
 */
@RecordBuilder
record SparkExportPlan(EnvironmentSpec environment, String table, String destination, SparkS3Options.Description s3,
        ExportFormat format, long maxFileBytes, int segments, int pageSize, int maxRetries, long requestTimeoutMillis,
        boolean consistent, double maxReadUnits, String checkpoint, boolean resume) {

    static SparkExportPlanBuilder builder() {
        return SparkExportPlanBuilder.builder();
    }
}
