package dev.dynamo.spark;

import dev.dynamo.DynamoException;
import dev.dynamo.pipeline.Backoff;
import dev.dynamo.pipeline.CapacityLimiter;
import dev.dynamo.pipeline.Estimates;
import dev.dynamo.pipeline.JobCounters;
import dev.dynamo.pipeline.Retrier;
import dev.dynamo.pipeline.ScanSegment;
import dev.dynamo.pipeline.SegmentAcks;
import dev.dynamo.pipeline.StopSignal;
import dev.dynamo.pipeline.TablePair;
import dev.dynamo.pipeline.TableReads;
import dev.dynamo.pipeline.TableRef;
import dev.dynamo.table.ItemDigest;
import dev.dynamo.table.KeySchema;
import dev.dynamo.table.TableSchema;
import dev.dynamo.verify.TableComparison;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.PairFlatMapFunction;
import scala.Tuple2;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * The map side of the digest join: one task per scan segment of either table ({@link DiffTaskPlan}'s numbering), which
 * reads its segment with core's {@link ScanSegment} (every page checked, every call retried and rate-limited) and
 * emits, for each item, its key ({@link KeyBytes}) and a record of its side and {@link ItemDigest}: about 20 bytes plus
 * the key per item, never the item. A segment's records are held until the task returns them (the job chooses
 * segments small enough, {@link DigestJoin#defaultSegments}). A retried attempt reads its segment again: the records
 * are its own, never added to another attempt's.
 */
final class DigestScanTask implements PairFlatMapFunction<Iterator<Integer>, KeyBytes, byte[]> {
    private static final long serialVersionUID = 1L;

    private final DiffTaskPlan plan;
    private final DiffAccumulators accumulators;

    DigestScanTask(DiffTaskPlan plan, DiffAccumulators accumulators) {
        this.plan = plan;
        this.accumulators = accumulators;
    }

    @Override
    public Iterator<Tuple2<KeyBytes, byte[]>> call(Iterator<Integer> tasks) throws Exception {
        List<Tuple2<KeyBytes, byte[]>> records = new ArrayList<>();
        if (!tasks.hasNext()) {
            return records.iterator();
        }
        try (TablePair tables = TablePair.open(plan.source().resolve(), plan.target().resolve(), 2,
                Duration.ofMillis(plan.requestTimeoutMillis()))) {
            while (tasks.hasNext()) {
                scan(tables, tasks.next(), records);
            }
        }
        return records.iterator();
    }

    private void scan(TablePair tables, int task, List<Tuple2<KeyBytes, byte[]>> records) throws InterruptedException {
        boolean source = task < plan.sourceSegments();
        int segment = source ? task : task - plan.sourceSegments();
        int segments = source ? plan.sourceSegments() : plan.targetSegments();
        String table = source ? plan.sourceTable() : plan.targetTable();
        JobCounters counters = new JobCounters(false);
        counters.markStart();
        Retrier retrier = new Retrier(Backoff.create(), plan.maxRetries(), counters);
        TableSchema schema;
        if (source) {
            schema = tables.sourceSchema(tables.describeSource(retrier, table));
        } else {
            var description = tables.describeTarget(retrier, table);
            if (description == null) {
                throw DynamoException.failure(tables.describeTarget(table) + " is gone (deleted while the job ran)", null);
            }
            schema = tables.targetSchema(description);
        }
        KeySchema keys = plan.keys().schema();
        if (!schema.keys().equals(keys)) {
            throw DynamoException.failure("table '" + table + "' has another key than when the job began (" + schema.keys()
                    + ", not " + keys + ")", null);
        }
        CapacityLimiter reads = CapacityLimiter.of(plan.safeShare(plan.maxReadUnits()));
        TableRef ref = new TableRef(source ? tables.sourceEnvironment() : tables.targetEnvironment(),
                source ? tables.sourceClient() : tables.targetClient(), schema, reads, CapacityLimiter.of(0));
        ScanRequest all = ScanRequest.builder().tableName(table).limit(plan.pageSize())
                .consistentRead(plan.consistent() ? Boolean.TRUE : null).build();
        SegmentAcks acks = new SegmentAcks(segments);
        ScanSegment scan = new ScanSegment(new TableReads(ref, retrier, counters), all, segment, acks, counters.scanned,
                Estimates.firstPageUnits(schema, all, plan.pageSize()), new StopSignal());
        ItemDigest digest = ItemDigest.create();
        byte tag = source ? KeyOutcome.SOURCE_TAG : KeyOutcome.TARGET_TAG;
        int before = records.size();
        TaskContext context = TaskContext.get();
        String service = source ? plan.sourceService() : plan.targetService();
        String lease = plan.jobId() + "-scan-" + task + "-" + (context == null ? 0 : context.taskAttemptId());
        try (RateLease ignored = plan.maxReadUnits() > 0 ? RateLease.take(service, lease, reads, CapacityLimiter.of(0)) : null) {
            scan.produce(page -> {
                for (Map<String, AttributeValue> item : page.items()) {
                    records.add(new Tuple2<>(new KeyBytes(TableComparison.encodeKey(keys, item)), KeyOutcome.record(tag, digest.digest(item))));
                }
                acks.acknowledge(segment, page.sequence(), page.items().size());
            });
        }
        long emitted = records.size() - before;
        if (!acks.checkpoint(segment).finished() || emitted != counters.scanned.sum()) {
            throw new IllegalStateException("segment " + segment + " of " + table + ": " + counters.scanned.sum() + " items read, "
                    + emitted + " emitted, finished: " + acks.checkpoint(segment).finished());
        }
        accumulators.add(counters);
        accumulators.scansDone.add(1);
    }
}
