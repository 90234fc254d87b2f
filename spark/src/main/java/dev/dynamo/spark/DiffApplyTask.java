package dev.dynamo.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dynamo.DynamoException;
import dev.dynamo.copy.BatchWriter;
import dev.dynamo.copy.DeadLetterFile;
import dev.dynamo.pipeline.Backoff;
import dev.dynamo.pipeline.CapacityLimiter;
import dev.dynamo.pipeline.Estimates;
import dev.dynamo.pipeline.JobCounters;
import dev.dynamo.pipeline.JobDefaults;
import dev.dynamo.pipeline.Page;
import dev.dynamo.pipeline.Retrier;
import dev.dynamo.pipeline.StopSignal;
import dev.dynamo.pipeline.TablePair;
import dev.dynamo.pipeline.TableReads;
import dev.dynamo.pipeline.TableRef;
import dev.dynamo.store.ExportStore;
import dev.dynamo.store.S3Settings;
import dev.dynamo.table.KeySchema;
import dev.dynamo.table.TableSchema;
import dev.dynamo.verify.TableComparison;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.VoidFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The reduce side of a replace by difference: one task per partition of the digest join's shuffle, acting on its keys
 * only where the two tables differ, as core's {@code DiffCopy} does. A key missing from the target or with a different
 * item there is read again from the source by key (BatchGetItem, 100 keys a call, unprocessed keys retried) and put
 * with core's {@link BatchWriter}; a key only in the target is deleted. Matching keys cost nothing.
 *
 * <p>An item changed on the source since the scan is written as it is read now. An item deleted from the source since
 * the scan (not found by key; asked once more strongly consistent when reads are eventually consistent) is deleted
 * from the target too: the target must not keep what the source no longer has.
 *
 * <p>Idempotent: a retried attempt reads the same shuffle partition and puts and deletes the same keys again. Items
 * that cannot be written or deleted go to the attempt's dead-letter file, kept in a private folder on the executor and
 * copied whole to the dead-letter location (a directory or s3://) at the end, as a copy's segment does
 * ({@code JOB-partition-000012-attempt-31.failed.jsonl}). A finished partition reports its counts to the driver
 * ({@link TaskReport}); an attempt whose report comes second removes its dead-letter file (the recorded one holds them).
 */
final class DiffApplyTask implements VoidFunction<Iterator<Tuple2<KeyBytes, Iterable<byte[]>>>> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DiffApplyTask.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DiffTaskPlan plan;
    private final DiffAccumulators accumulators;

    DiffApplyTask(DiffTaskPlan plan, DiffAccumulators accumulators) {
        this.plan = plan;
        this.accumulators = accumulators;
    }

    /** The dead-letter file of one attempt of a partition. */
    static String deadLetterName(String jobId, int partition, long attempt) {
        return String.format(Locale.ROOT, "%s-partition-%06d-attempt-%d.failed.jsonl", jobId, partition, attempt);
    }

    @Override
    public void call(Iterator<Tuple2<KeyBytes, Iterable<byte[]>>> records) throws Exception {
        TaskContext task = TaskContext.get();
        int partition = task == null ? 0 : task.partitionId();
        JobCounters counters = new JobCounters(plan.maxWriteUnits() > 0);
        counters.markStart();
        Retrier retrier = new Retrier(Backoff.create(), plan.maxRetries(), counters);
        String deadLetterName = deadLetterName(plan.jobId(), partition, task == null ? 0 : task.taskAttemptId());
        Path deadLetterPath = SegmentCopyTask.temporaryDirectory().resolve(deadLetterName);
        try {
            apply(records, task, partition, counters, retrier, deadLetterPath, deadLetterName);
        } finally {
            SegmentCopyTask.deleteQuietly(deadLetterPath);
        }
    }

    private void apply(Iterator<Tuple2<KeyBytes, Iterable<byte[]>>> records, TaskContext task, int partition, JobCounters counters,
            Retrier retrier, Path deadLetterPath, String deadLetterName) throws InterruptedException {
        KeySchema keys = plan.keys().schema();
        long puts = 0;
        long deletes = 0;
        long vanished = 0;
        try (TablePair tables = TablePair.open(plan.source().resolve(), plan.target().resolve(), 2,
                Duration.ofMillis(plan.requestTimeoutMillis()))) {
            TableSchema sourceSchema = tables.sourceSchema(tables.describeSource(retrier, plan.sourceTable()));
            var targetTable = tables.describeTarget(retrier, plan.targetTable());
            if (targetTable == null) {
                throw DynamoException.failure(tables.describeTarget(plan.targetTable()) + " is gone (deleted while the job ran)", null);
            }
            TableSchema targetSchema = tables.targetSchema(targetTable);
            CapacityLimiter reads = CapacityLimiter.of(plan.safeShare(plan.maxReadUnits()));
            CapacityLimiter writes = CapacityLimiter.of(plan.safeShare(plan.maxWriteUnits()));
            TableRef from = new TableRef(tables.sourceEnvironment(), tables.sourceClient(), sourceSchema, reads, CapacityLimiter.of(0));
            TableRef to = new TableRef(tables.targetEnvironment(), tables.targetClient(), targetSchema, CapacityLimiter.of(0), writes);
            TableReads sourceReads = new TableReads(from, retrier, counters);
            double unitsPerItem = Estimates.itemUnits(sourceSchema, plan.consistent());
            StopSignal stop = new StopSignal();
            String lease = plan.jobId() + "-apply-" + partition + "-" + (task == null ? 0 : task.taskAttemptId());
            try (DeadLetterFile deadLetters = new DeadLetterFile(deadLetterPath, keys.names());
                    RateLease ignored = plan.limited() ? RateLease.take(plan.sourceService(), lease, reads, writes) : null) {
                BatchWriter putter = new BatchWriter(to, BatchWriter.Kind.PUT, retrier, counters, deadLetters, null, stop);
                BatchWriter deleter = new BatchWriter(to, BatchWriter.Kind.DELETE, retrier, counters, deadLetters, null, stop);
                List<Map<String, AttributeValue>> toPut = new ArrayList<>(JobDefaults.MAX_BATCH_GET_KEYS);
                List<Map<String, AttributeValue>> toDelete = new ArrayList<>(JobDefaults.MAX_BATCH_GET_KEYS);
                while (records.hasNext()) {
                    Tuple2<KeyBytes, Iterable<byte[]>> record = records.next();
                    switch (KeyOutcome.of(record._2())) {
                        case MATCHING -> { }
                        case MISSING, DIFFERENT -> {
                            toPut.add(plan.keys().decode(record._1().bytes()));
                            if (toPut.size() == JobDefaults.MAX_BATCH_GET_KEYS) {
                                vanished += put(toPut, sourceReads, unitsPerItem, putter, deleter, partition);
                                puts += toPut.size();
                                toPut.clear();
                            }
                        }
                        case EXTRA -> {
                            toDelete.add(plan.keys().decode(record._1().bytes()));
                            if (toDelete.size() == JobDefaults.MAX_BATCH_GET_KEYS) {
                                deleter.consume(new Page(partition, 0, List.copyOf(toDelete)));
                                deletes += toDelete.size();
                                toDelete.clear();
                            }
                        }
                        // The driver counted the keys before any task acted, and stopped on one read twice.
                        default -> throw new IllegalStateException("a key read twice reached the writes");
                    }
                }
                if (!toPut.isEmpty()) {
                    vanished += put(toPut, sourceReads, unitsPerItem, putter, deleter, partition);
                    puts += toPut.size();
                }
                if (!toDelete.isEmpty()) {
                    deleter.consume(new Page(partition, 0, List.copyOf(toDelete)));
                    deletes += toDelete.size();
                }
                putter.finish();
                deleter.finish();
            }
            report(tables, counters, partition, puts, deletes, vanished, deadLetterPath, deadLetterName);
        }
    }

    /** Checks the partition's counts, copies its dead letters to their location, and reports to the driver. */
    private void report(TablePair tables, JobCounters counters, int partition, long puts, long deletes, long vanished,
            Path deadLetterPath, String deadLetterName) throws InterruptedException {
        // Every key to put was put, or deleted as vanished, or dead-lettered; every key to delete deleted or dead-lettered.
        long handled = counters.written.sum() + counters.deleted.sum() + counters.failed.sum();
        if (handled != puts + deletes) {
            throw new IllegalStateException("partition " + partition + ": " + puts + " keys to put and " + deletes + " to delete, but "
                    + counters.written.sum() + " written, " + counters.deleted.sum() + " deleted, " + counters.failed.sum() + " failed");
        }
        accumulators.add(counters);
        accumulators.vanished.add(vanished);
        ObjectNode result = JSON.createObjectNode().put("written", counters.written.sum()).put("deleted", counters.deleted.sum())
                .put("failed", counters.failed.sum()).put("vanished", vanished);
        S3Settings s3 = plan.s3() == null ? S3Settings.none() : plan.s3().toSettings();
        try (ExportStore deadLetterStore = counters.failed.sum() > 0
                ? ExportStore.open(plan.deadLetters(), tables.targetEnvironment(), s3) : null) {
            if (deadLetterStore != null) {
                SegmentCopyTask.upload(deadLetterPath, deadLetterStore, deadLetterName);
                result.put("deadLetters", deadLetterStore.locationOf(deadLetterName));
            }
            if (!TaskReport.send(plan.sourceService(), partition, result)) {
                LOG.info("partition {} was recorded by another attempt; this one did the same puts and deletes", partition);
                if (deadLetterStore != null) {
                    deadLetterStore.delete(deadLetterName); // the recorded attempt's file holds them
                }
            }
        }
    }

    /**
     * Reads the items of {@code keys} from the source and puts them; deletes from the target the keys whose items are
     * gone from the source since the scan. Returns how many were gone.
     */
    private long put(List<Map<String, AttributeValue>> keys, TableReads source, double unitsPerItem, BatchWriter putter,
            BatchWriter deleter, int partition) throws InterruptedException {
        List<Map<String, AttributeValue>> items = new ArrayList<>(source.batchGet(keys, plan.consistent(), unitsPerItem));
        List<Map<String, AttributeValue>> gone = absent(keys, items);
        if (!gone.isEmpty() && !plan.consistent()) {
            // An eventually consistent read may miss an item written moments ago: ask those keys once more, strongly
            // consistent, before believing the items are gone (as DiffCopy does).
            items.addAll(source.batchGet(gone, true, unitsPerItem * 2));
            gone = absent(keys, items);
        }
        if (!items.isEmpty()) {
            putter.consume(new Page(partition, 0, items));
        }
        if (!gone.isEmpty()) {
            deleter.consume(new Page(partition, 0, gone));
        }
        return gone.size();
    }

    private List<Map<String, AttributeValue>> absent(List<Map<String, AttributeValue>> keys, List<Map<String, AttributeValue>> items) {
        KeySchema schema = plan.keys().schema();
        Set<KeyBytes> found = new HashSet<>();
        for (Map<String, AttributeValue> item : items) {
            found.add(new KeyBytes(TableComparison.encodeKey(schema, item)));
        }
        List<Map<String, AttributeValue>> absent = new ArrayList<>();
        for (Map<String, AttributeValue> key : keys) {
            if (!found.contains(new KeyBytes(TableComparison.encodeKey(schema, key)))) {
                absent.add(key);
            }
        }
        return absent;
    }
}
