package dev.dynamo.spark;

import dev.dynamo.copy.CopyMode;
import dev.dynamo.env.EnvironmentSpec;
import io.soabase.recordbuilder.core.RecordBuilder;
import java.nio.file.Path;
import java.util.List;

/**
 * An import on Spark as the user asked for it: the command's options as a record (the job never sees an option).
 *
 * @param environment          where the table is
 * @param table                the table written
 * @param sources              what to import, in order (--from): exports, prefixes holding one, data files
 * @param mode                 merge, or replace (on Spark only into an empty or new table, where it is a merge)
 * @param createTable          create a missing table from the definition dynamo's export keeps
 * @param pageSize             records handed to a writer at once
 * @param writers              writer threads per task
 * @param maxRetries           retries of one call
 * @param requestTimeoutMillis how long one attempt of a call may take
 * @param maxWriteUnits        write capacity units per second for the whole job, 0 for no limit
 * @param s3                   how the tasks and the driver reach s3:// sources, where not as the table
 * @param checkpoint           the checkpoint (a directory or s3://bucket/prefix), or null for the default one under ~/.dynamo/checkpoints
 * @param resume               continue the job of the checkpoint
 * @param deadLetterDirectory  where items that cannot be written go, or null for ~/.dynamo/dead-letters
 * @param allowProtectedTarget {@code --allow-protected-target}, or null
 * @param dryRun               read the manifests and say what would be imported; write nothing, start no job
 */
@RecordBuilder
record SparkImportPlan(EnvironmentSpec environment, String table, List<String> sources, CopyMode mode, boolean createTable,
        int pageSize, int writers, int maxRetries, long requestTimeoutMillis, double maxWriteUnits, SparkS3Options.Description s3,
        String checkpoint, boolean resume, Path deadLetterDirectory, String allowProtectedTarget, boolean dryRun) {

    static SparkImportPlanBuilder builder() {
        return SparkImportPlanBuilder.builder();
    }
}
