package dev.dynamo.copy;

import dev.dynamo.DynamoException;
import dev.dynamo.ExitCode;
import dev.dynamo.items.ItemSize;
import dev.dynamo.pipeline.Estimates;
import dev.dynamo.pipeline.ItemBatches;
import dev.dynamo.pipeline.JobCounters;
import dev.dynamo.pipeline.Retrier;
import dev.dynamo.pipeline.StopSignal;
import dev.dynamo.pipeline.TableReads;
import dev.dynamo.pipeline.TableRef;
import dev.dynamo.query.QuerySpec;
import dev.dynamo.table.TableSchema;
import dev.dynamo.verify.TableComparison;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * What a copy will meet, found by reading only: whether the target already has items (for the
 * {@link CopyPreview}, which decides on the backup and the consent) and what a run would read, back
 * up, delete and write (the dry run's {@link CopyEstimate}). Apart from {@link CopyJob}, which
 * changes things, so that every read-only look before a copy is in one place.
 */
final class CopyForecast {
    /** Probing whether a table has items gives up (and assumes it has) after this many empty pages. */
    private static final int MAX_PROBE_PAGES = 100;

    private CopyForecast() {
    }

    /** True when the target (for a selection: the target's selection) has at least one item. */
    static boolean targetHasItems(TableRef target, QuerySpec selection, Retrier retrier, JobCounters counters)
            throws InterruptedException {
        TableReads reads = new TableReads(target, retrier, counters);
        if (selection == null) {
            ScanRequest request = CopyRun.keysOnlyScan(target.schema(), 1);
            for (int page = 0; page < MAX_PROBE_PAGES; page++) {
                ScanResponse response = reads.scan(request, 0.5);
                if (!response.items().isEmpty()) {
                    return true;
                }
                if (!response.hasLastEvaluatedKey() || response.lastEvaluatedKey().isEmpty()) {
                    return false;
                }
                request = request.toBuilder().exclusiveStartKey(response.lastEvaluatedKey()).build();
            }
            return true;
        }
        QueryRequest request = SelectionCopy.targetQuery(target, selection, true).toBuilder().limit(1).build();
        for (int page = 0; page < MAX_PROBE_PAGES; page++) {
            QueryResponse response = reads.query(request, 0.5);
            if (!response.items().isEmpty()) {
                return true;
            }
            if (!response.hasLastEvaluatedKey() || response.lastEvaluatedKey().isEmpty()) {
                return false;
            }
            request = request.toBuilder().exclusiveStartKey(response.lastEvaluatedKey()).build();
        }
        return true;
    }

    /**
     * The estimate of a copy by difference that read both sides and compared them, as the copy would: its write and
     * delete counts are exact (for the tables as they were read).
     */
    private static CopyEstimate compared(CopyRun run) {
        CopyPlan plan = run.plan;
        CopyPreview preview = run.preview;
        long[] counts = new long[4]; // unchanged, missing, extra, different
        TableComparison comparison = new TableComparison(plan.read(), DiffComparison.BUCKET_BYTES, run.retrier, run.counters,
                new StopSignal());
        Path spool;
        try {
            spool = Files.createTempDirectory("dynamo-dry-run-");
        } catch (IOException e) {
            throw DynamoException.failure("cannot create a directory to compare the tables in the temporary directory (" + e
                    + "); set java.io.tmpdir (JAVA_TOOL_OPTIONS=-Djava.io.tmpdir=DIR) to a writable one", e);
        }
        try {
            comparison.run(run.source, run.target, spool, new TableComparison.Sink() {
                @Override
                public void matching() {
                    counts[0]++;
                }

                @Override
                public void missing(byte[] key, int offset, int length) {
                    counts[1]++;
                }

                @Override
                public void extra(byte[] key, int offset, int length) {
                    counts[2]++;
                }

                @Override
                public void different(byte[] key, int offset, int length) {
                    counts[3]++;
                }
            }, () -> { });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DynamoException(ExitCode.INTERRUPTED, "interrupted during the dry run", e);
        } catch (IOException e) {
            throw DynamoException.failure("cannot write the comparison's files in " + spool + " (" + e + "); free some space there", e);
        } finally {
            DiffCopy.removeWorkDirectory(spool);
        }
        TableSchema sourceSchema = run.source.schema();
        long sourceItems = comparison.sourceItems();
        long writes = plan.rewriteAll() ? sourceItems : counts[1] + counts[3];
        long deletes = plan.mode() == CopyMode.REPLACE ? counts[2] : 0;
        boolean differs = counts[1] + counts[2] + counts[3] > 0 || plan.rewriteAll();
        long itemBytes = Estimates.averageItemBytes(sourceSchema);
        double readUnits = run.counters.readUnits.sum();
        return CopyEstimate.builder().preview(preview).exact(true).compared(true).unchanged(counts[0])
                .readItems(sourceItems).readBytes(sourceItems * itemBytes).readUnits(readUnits) // bytes: an estimate, not printed
                .backupItems(differs && preview.backup() != BackupMode.NONE ? comparison.targetItems() : 0)
                .deleteItems(deletes).deleteUnits(deletes == 0 ? 0 : Estimates.writeUnits(deletes, run.target.schema()))
                .writeItems(writes).writeUnits(writes == 0 ? 0 : Estimates.writeUnits(writes, sourceSchema))
                .targetIndexes(run.target.schema().indexes().size()).dryRunUnits(readUnits).build();
    }

    /**
     * What {@link CopyJob#run()} would read, back up, delete and write, and the capacity it would consume;
     * changes nothing. A selection's keys are read, so its counts are exact; a whole table is
     * estimated from DynamoDB's item count and size.
     */
    static CopyEstimate estimate(CopyRun run, boolean readBothSides) {
        CopyPlan plan = run.plan;
        if (readBothSides && plan.byDifference() && run.preview.targetHasItems()) {
            return compared(run);
        }
        CopyPreview preview = run.preview;
        TableRef source = run.source;
        TableRef target = run.target;
        TableSchema sourceSchema = source.schema();
        int targetIndexes = (target != null ? target.schema() : sourceSchema).indexes().size();
        if (plan.selection() == null) {
            long items = sourceSchema.itemCount();
            long targetItems = preview.targetHasItems() ? target.schema().itemCount() : 0;
            long deleteItems = preview.deletes() ? targetItems : 0;
            return CopyEstimate.builder().preview(preview).exact(false)
                    .readItems(items).readBytes(sourceSchema.sizeBytes())
                    .readUnits(Estimates.scanUnits(sourceSchema.sizeBytes(), plan.consistent()))
                    .backupItems(preview.backup() != BackupMode.NONE ? targetItems : 0)
                    .deleteItems(deleteItems).deleteUnits(deleteItems == 0 ? 0 : Estimates.writeUnits(deleteItems, target.schema()))
                    .writeItems(items).writeUnits(Estimates.writeUnits(items, sourceSchema))
                    .targetIndexes(targetIndexes).dryRunUnits(0).build();
        }
        try {
            Set<String> sourceKeys = new HashSet<>();
            long[] sourceBytes = {0};
            SelectionCopy.sourceQuery(run, plan.selection(), items -> {
                for (Map<String, AttributeValue> item : items) {
                    sourceKeys.add(ItemBatches.keyText(source.keys(), item));
                    sourceBytes[0] += ItemSize.of(item);
                }
            }).forEachPage(items -> { });
            Map<String, Map<String, AttributeValue>> targetKeys = new HashMap<>();
            if (preview.targetHasItems()) {
                SelectionCopy.readTarget(run, plan.selection(), targetKeys, null);
            }
            long stale = plan.mode() == CopyMode.REPLACE ? targetKeys.keySet().stream().filter(k -> !sourceKeys.contains(k)).count() : 0;
            double writeUnits = sourceKeys.isEmpty() ? 0
                    : sourceKeys.size() * (double) ItemSize.writeUnits(sourceBytes[0] / sourceKeys.size());
            double readUnits = run.counters.readUnits.sum();
            return CopyEstimate.builder().preview(preview).exact(true)
                    .readItems(sourceKeys.size()).readBytes(sourceBytes[0]).readUnits(readUnits)
                    .backupItems(preview.backup() != BackupMode.NONE ? targetKeys.size() : 0)
                    .deleteItems(stale).deleteUnits(stale)
                    .writeItems(sourceKeys.size()).writeUnits(writeUnits)
                    .targetIndexes(targetIndexes).dryRunUnits(readUnits).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DynamoException(ExitCode.INTERRUPTED, "interrupted during the dry run", e);
        }
    }
}
