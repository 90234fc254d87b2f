package dev.dynamo.spark;

import dev.dynamo.env.EnvironmentSpec;
import io.soabase.recordbuilder.core.RecordBuilder;

/**
 * A verification on Spark as the user asked for it: the command's options as a record.
 *
 * @param source               where the source table is
 * @param target               where the target table is
 * @param sourceTable          the table compared
 * @param targetTable          the table it is compared with (default: the source's name)
 * @param segments             scan segments per table (Spark tasks); 0 for the default
 * @param partitions           the shuffle's partitions; 0 for the default
 * @param pageSize             items per Scan page
 * @param maxRetries           retries of one call
 * @param requestTimeoutMillis how long one attempt of a call may take
 * @param consistent           strongly consistent reads
 * @param maxReadUnits         read capacity units per second from each table, the whole job; 0 for no limit
 * @param show                 how many keys of each kind of difference to list
 */
@RecordBuilder
record SparkVerifyPlan(EnvironmentSpec source, EnvironmentSpec target, String sourceTable, String targetTable, int segments,
        int partitions, int pageSize, int maxRetries, long requestTimeoutMillis, boolean consistent, double maxReadUnits, int show) {

    static SparkVerifyPlanBuilder builder() {
        return SparkVerifyPlanBuilder.builder();
    }
}
