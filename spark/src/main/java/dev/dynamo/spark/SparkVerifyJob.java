package dev.dynamo.spark;

import dev.dynamo.DynamoException;
import dev.dynamo.env.Environment;
import dev.dynamo.env.EnvironmentResolver;
import dev.dynamo.pipeline.Backoff;
import dev.dynamo.pipeline.CapacityLimiter;
import dev.dynamo.pipeline.Estimates;
import dev.dynamo.pipeline.JobCounters;
import dev.dynamo.pipeline.JobDefaults;
import dev.dynamo.pipeline.Retrier;
import dev.dynamo.pipeline.TablePair;
import dev.dynamo.pipeline.TableReads;
import dev.dynamo.pipeline.TableRef;
import dev.dynamo.table.ItemDifference;
import dev.dynamo.table.TableSchema;
import dev.dynamo.verify.TableComparison;
import dev.dynamo.verify.VerifyResult;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.spark.api.java.JavaSparkContext;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * A verification on Spark, run by the driver: checks both tables as {@code dynamo verify} does, runs the digest join
 * ({@link DigestJoin}: both tables' scan segments are tasks, the shuffle matches keys), and reads the first different
 * items again by key to say where they differ, as the command line does. Changes nothing; keeps no checkpoint.
 */
final class SparkVerifyJob {
    private final SparkStarter starter;
    private final SparkVerifyPlan plan;
    private final EnvironmentResolver resolver;
    private final PrintWriter err;
    private final long progressMillis;

    SparkVerifyJob(SparkStarter starter, SparkVerifyPlan plan, EnvironmentResolver resolver, PrintWriter err, long progressMillis) {
        this.starter = starter;
        this.plan = plan;
        this.resolver = resolver;
        this.err = err;
        this.progressMillis = progressMillis;
    }

    VerifyResult run() throws InterruptedException {
        Environment source = resolver.resolve(plan.source());
        Environment target = resolver.resolve(plan.target());
        JobCounters driverCounters = new JobCounters(true);
        Retrier retrier = new Retrier(Backoff.create(), plan.maxRetries(), driverCounters);
        try (TablePair tables = TablePair.open(source, target, 2, Duration.ofMillis(plan.requestTimeoutMillis()))) {
            TableDescription sourceTable = tables.describeSource(retrier, plan.sourceTable());
            TableDescription targetTable = tables.describeTarget(retrier, plan.targetTable());
            if (targetTable == null) {
                throw DynamoException.usage("target table '" + plan.targetTable() + "' not found in " + target.describe()
                        + "; name the table to compare with using --target-table, or list the tables there with: dynamo tables -e "
                        + target.name());
            }
            TableSchema sourceSchema = tables.sourceSchema(sourceTable);
            TableSchema targetSchema = tables.targetSchema(targetTable);
            tables.checkTables(sourceTable, targetTable, ", so there is nothing to compare; name the other table with --target or "
                    + "--target-table", ", so their items cannot be matched by key; compare tables with the same key");
            String sourceText = "table '" + plan.sourceTable() + "' in " + source.describe();
            String targetText = tables.describeTarget(plan.targetTable());
            KeyShape keys = KeyShape.of(sourceSchema.keys());
            JavaSparkContext spark = starter.await();
            long startNanos = System.nanoTime();
            int slots = Math.max(1, spark.defaultParallelism());
            int sourceSegments = segments(sourceSchema, slots);
            int targetSegments = segments(targetSchema, slots);
            int partitions = plan.partitions() > 0 ? plan.partitions()
                    : DigestJoin.defaultPartitions(sourceSchema.itemCount() + targetSchema.itemCount(), slots);
            String jobId = "verify-" + UUID.randomUUID().toString().substring(0, 8);
            DiffAccumulators counts = new DiffAccumulators(spark);
            String host = JobPlaces.driverHost(spark);
            DiffTally tally;
            try (DriverService sourceService = DriverService.start(host, plan.maxReadUnits(), 0, (task, result) -> true);
                    DriverService targetService = DriverService.start(host, plan.maxReadUnits(), 0, (task, result) -> true);
                    DiffProgress progress = DiffProgress.start(err, counts, sourceSegments + targetSegments, progressMillis)) {
                DiffTaskPlan tasks = DiffTaskPlan.builder().jobId(jobId).source(EnvironmentDescription.of(source))
                        .target(EnvironmentDescription.of(target)).sourceTable(plan.sourceTable()).targetTable(plan.targetTable())
                        .keys(keys).sourceSegments(sourceSegments).targetSegments(targetSegments).pageSize(plan.pageSize())
                        .consistent(plan.consistent()).maxRetries(plan.maxRetries()).requestTimeoutMillis(plan.requestTimeoutMillis())
                        .maxReadUnits(plan.maxReadUnits()).slots(slots).sourceService(sourceService.address())
                        .targetService(targetService.address()).build();
                spark.setJobGroup(jobId, "dynamo verify " + plan.sourceTable() + " with " + plan.targetTable(), true);
                tally = DigestJoin.tally(DigestJoin.grouped(spark, tasks, counts, partitions), plan.show(), keys);
            } catch (DynamoException e) {
                throw e;
            } catch (Exception e) { // Spark's SparkException, which Scala throws undeclared
                throw JobFailure.of(e, "the verification", "; nothing was changed");
            } finally {
                spark.clearJobGroup();
            }
            if (tally.repeatedKeys() > 0) {
                throw DigestJoin.repeated(tally, keys, source.describe(), target.describe(), plan.sourceTable(), plan.targetTable(),
                        "nothing is reported; verify again");
            }
            TableRef from = new TableRef(source, tables.sourceClient(), sourceSchema, CapacityLimiter.of(plan.maxReadUnits()),
                    CapacityLimiter.of(0));
            TableRef to = new TableRef(target, tables.targetClient(), targetSchema, CapacityLimiter.of(plan.maxReadUnits()),
                    CapacityLimiter.of(0));
            List<VerifyResult.Difference> differences = whereTheyDiffer(from, to, keys, tally.firstDifferent(), retrier, driverCounters);
            return VerifyResult.builder().source(sourceText).target(targetText).selection(false).keyNames(sourceSchema.keys().names())
                    .sourceItems(tally.sourceItems()).targetItems(tally.targetItems()).matching(tally.count(KeyOutcome.MATCHING))
                    .missing(tally.count(KeyOutcome.MISSING)).extra(tally.count(KeyOutcome.EXTRA))
                    .different(tally.count(KeyOutcome.DIFFERENT)).missingKeys(decode(keys, tally.firstMissing()))
                    .extraKeys(decode(keys, tally.firstExtra())).differentItems(differences).buckets(partitions).largestBucketBytes(0)
                    .readUnits(counts.readUnits.value() + driverCounters.readUnits.sum())
                    .retried(counts.retried.value() + driverCounters.retried.sum())
                    .throttled(counts.throttled.value() + driverCounters.throttled.sum())
                    .elapsed(Duration.ofNanos(System.nanoTime() - startNanos)).build();
        }
    }

    private int segments(TableSchema table, int slots) {
        int segments = plan.segments() > 0 ? plan.segments() : DigestJoin.defaultSegments(table, slots);
        String problem = JobDefaults.segmentsProblem(segments);
        if (problem != null) {
            throw DynamoException.usage(problem);
        }
        return segments;
    }

    private static List<Map<String, AttributeValue>> decode(KeyShape keys, List<byte[]> encoded) {
        return encoded.stream().map(keys::decode).toList();
    }

    /** Reads the first different items again from both tables, to say where they differ (as {@code dynamo verify} does). */
    private List<VerifyResult.Difference> whereTheyDiffer(TableRef source, TableRef target, KeyShape keys, List<byte[]> encoded,
            Retrier retrier, JobCounters counters) throws InterruptedException {
        if (encoded.isEmpty()) {
            return List.of();
        }
        List<Map<String, AttributeValue>> differentKeys = decode(keys, encoded);
        Map<ByteBuffer, Map<String, AttributeValue>> sourceItems = byKey(keys, new TableReads(source, retrier, counters)
                .batchGet(differentKeys, plan.consistent(), Estimates.itemUnits(source.schema(), plan.consistent())));
        Map<ByteBuffer, Map<String, AttributeValue>> targetItems = byKey(keys, new TableReads(target, retrier, counters)
                .batchGet(differentKeys, plan.consistent(), Estimates.itemUnits(target.schema(), plan.consistent())));
        List<VerifyResult.Difference> differences = new ArrayList<>(encoded.size());
        for (int i = 0; i < encoded.size(); i++) {
            ByteBuffer key = ByteBuffer.wrap(encoded.get(i));
            Map<String, AttributeValue> sourceItem = sourceItems.get(key);
            Map<String, AttributeValue> targetItem = targetItems.get(key);
            differences.add(new VerifyResult.Difference(differentKeys.get(i), sourceItem == null || targetItem == null ? List.of()
                    : ItemDifference.paths(sourceItem, targetItem)));
        }
        return differences;
    }

    private static Map<ByteBuffer, Map<String, AttributeValue>> byKey(KeyShape keys, List<Map<String, AttributeValue>> items) {
        Map<ByteBuffer, Map<String, AttributeValue>> byKey = new HashMap<>();
        for (Map<String, AttributeValue> item : items) {
            byKey.put(ByteBuffer.wrap(TableComparison.encodeKey(keys.schema(), item)), item);
        }
        return byKey;
    }
}
