package dev.dynamo.spark;

import dev.dynamo.DynamoException;
import dev.dynamo.env.Environment;
import dev.dynamo.pipeline.JobDefaults;
import dev.dynamo.table.TableSchema;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A replace by difference on Spark ({@code copy --mode replace} into a target with items), run by the driver: makes
 * the target equal to the source without ever emptying it, as the command line's does, through the digest join
 * ({@link DigestJoin}). First the join is counted (a Spark action): a key a scan read twice stops the job before
 * anything is written, and when nothing differs the target is left untouched ("already equal"). Then each partition of
 * the same shuffle is a task ({@link DiffApplyTask}) that puts the items missing from the target or different there
 * (read again from the source by key) and deletes the keys only the target has. Only differences cost writes.
 *
 * <p>Resume: the checkpoint says which job it is ({@link #KIND}, with the copy's identity) and what each finished
 * partition did. A rerun, with {@code --resume} or without, compares both sides again and does only what still
 * differs: what a failed or killed job finished is equal by then and costs reads only.
 */
final class SparkDiffCopy {
    private static final Logger LOG = LoggerFactory.getLogger(SparkDiffCopy.class);
    /** The checkpoint's kind for a replace by difference. */
    static final String KIND = "copy-difference";

    private final SparkCopyPlan plan;
    private final PrintWriter err;
    private final long progressMillis;
    private final String deadLetters;
    private final String deadLettersDescribed;

    /**
     * @param deadLetters          where items that cannot be written go: a local directory or s3://bucket/prefix
     * @param deadLettersDescribed that location, for the summary
     */
    SparkDiffCopy(SparkCopyPlan plan, PrintWriter err, long progressMillis, String deadLetters, String deadLettersDescribed) {
        this.plan = plan;
        this.err = err;
        this.progressMillis = progressMillis;
        this.deadLetters = deadLetters;
        this.deadLettersDescribed = deadLettersDescribed;
    }

    /**
     * Runs it.
     *
     * @param resumed whether {@code checkpoint} is a replace by difference that this run continues (checked by the caller)
     */
    SparkCopyStats run(JavaSparkContext spark, Environment source, Environment target, TableSchema sourceSchema,
            TableSchema targetSchema, SparkCheckpoint checkpoint, Map<String, String> identity, boolean resumed) {
        String sourceText = "table '" + plan.sourceTable() + "' in " + source.describe();
        String targetText = "table '" + plan.targetTable() + "' in " + target.describe();
        long startNanos = System.nanoTime();
        int slots = Math.max(1, spark.defaultParallelism());
        int sourceSegments = segments(sourceSchema, slots);
        int targetSegments = segments(targetSchema, slots);
        int partitions = DigestJoin.defaultPartitions(sourceSchema.itemCount() + targetSchema.itemCount(), slots);
        if (resumed) {
            err.printf(Locale.ROOT, "dynamo: resuming the replace by difference of %s: comparing both sides again, then writing and "
                    + "deleting only what still differs (checkpoint %s)%n", sourceText, checkpoint.describe());
        }
        checkpoint.begin(KIND, identity, partitions);
        KeyShape keys = KeyShape.of(sourceSchema.keys());
        String jobId = "copy-" + UUID.randomUUID().toString().substring(0, 8);
        DiffAccumulators counts = new DiffAccumulators(spark);
        String host = JobPlaces.driverHost(spark);
        DiffTally tally;
        try (DriverService main = DriverService.start(host, plan.maxReadUnits(), plan.maxWriteUnits(), checkpoint::finish);
                DriverService targetReads = DriverService.start(host, plan.maxReadUnits(), 0, (task, result) -> true);
                DiffProgress progress = DiffProgress.start(err, counts, sourceSegments + targetSegments, progressMillis)) {
            DiffTaskPlan tasks = DiffTaskPlan.builder().jobId(jobId).source(EnvironmentDescription.of(source))
                    .target(EnvironmentDescription.of(target)).sourceTable(plan.sourceTable()).targetTable(plan.targetTable()).keys(keys)
                    .sourceSegments(sourceSegments).targetSegments(targetSegments).pageSize(plan.pageSize()).consistent(plan.consistent())
                    .maxRetries(plan.maxRetries()).requestTimeoutMillis(plan.requestTimeoutMillis()).maxReadUnits(plan.maxReadUnits())
                    .maxWriteUnits(plan.maxWriteUnits()).slots(slots).sourceService(main.address()).targetService(targetReads.address())
                    .deadLetters(deadLetters).s3(plan.s3()).build();
            spark.setJobGroup(jobId, "dynamo copy --mode replace " + plan.sourceTable() + " -> " + plan.targetTable(), true);
            JavaPairRDD<KeyBytes, Iterable<byte[]>> grouped = DigestJoin.grouped(spark, tasks, counts, partitions);
            tally = DigestJoin.tally(grouped, 0, keys);
            if (tally.repeatedKeys() > 0) {
                throw DigestJoin.repeated(tally, keys, source.describe(), target.describe(), plan.sourceTable(), plan.targetTable(),
                        "nothing was written or deleted; copy again");
            }
            // compared Orders with Orders: 300 to write, 100 to delete, 19,600 unchanged
            LOG.info("compared {} with {}: {} to write, {} to delete, {} unchanged", sourceText, targetText,
                    tally.count(KeyOutcome.MISSING) + tally.count(KeyOutcome.DIFFERENT), tally.count(KeyOutcome.EXTRA),
                    tally.count(KeyOutcome.MATCHING));
            if (tally.differences() > 0) {
                progress.writing();
                // The same RDD: Spark reads the shuffle's output again, and does not scan the tables again.
                grouped.foreachPartition(new DiffApplyTask(tasks, counts));
            }
        } catch (DynamoException e) {
            throw e;
        } catch (Exception e) { // Spark's SparkException, which Scala throws undeclared
            throw JobFailure.of(e, "the replace by difference", rerun(checkpoint));
        } finally {
            spark.clearJobGroup();
        }
        long handled = counts.written.value() + counts.deleted.value() + counts.failed.value();
        if (handled != tally.differences()) {
            throw DynamoException.failure(String.format(Locale.ROOT, "the replace by difference counted %,d keys to put or delete, but "
                    + "its tasks wrote %,d, deleted %,d and could not write %,d%s", tally.differences(), counts.written.value(),
                    counts.deleted.value(), counts.failed.value(), rerun(checkpoint)), null);
        }
        if (counts.vanished.value() > 0) {
            LOG.info("{} items that differed were deleted from the source before they could be read again: deleted from the target too",
                    counts.vanished.value());
        }
        SparkCopyStats stats = SparkCopyStats.builder().source(sourceText).target(targetText).segments(sourceSegments)
                .compared(true).alreadyEqual(tally.differences() == 0).unchanged(tally.count(KeyOutcome.MATCHING))
                .scanned(tally.sourceItems()).written(counts.written.value()).deleted(counts.deleted.value())
                .failed(counts.failed.value()).retried(counts.retried.value()).throttled(counts.throttled.value())
                .bytesWritten(counts.bytesWritten.value()).readUnits(counts.readUnits.value()).writeUnits(counts.writeUnits.value())
                .writeUnitsMeasured(plan.maxWriteUnits() > 0).elapsed(Duration.ofNanos(System.nanoTime() - startNanos))
                .deadLetterDirectory(deadLettersDescribed).build();
        checkpoint.delete(); // every key that differed is written, deleted or dead-lettered
        return stats;
    }

    private int segments(TableSchema table, int slots) {
        int segments = plan.segments() > 0 ? plan.segments() : DigestJoin.defaultSegments(table, slots);
        String problem = JobDefaults.segmentsProblem(segments);
        if (problem != null) {
            throw DynamoException.usage(problem);
        }
        return segments;
    }

    private static String rerun(SparkCheckpoint checkpoint) {
        return "; run the same command again, or add --resume (checkpoint " + checkpoint.describe() + "): it compares both sides "
                + "again, and writes and deletes only what still differs";
    }
}
