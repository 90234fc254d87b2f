package dev.dynamo.copy;

import dev.dynamo.items.ItemFileWriter;
import dev.dynamo.pipeline.Estimates;
import dev.dynamo.pipeline.ItemBatches;
import dev.dynamo.pipeline.JobPhase;
import dev.dynamo.pipeline.Page;
import dev.dynamo.pipeline.PagePipeline;
import dev.dynamo.pipeline.SegmentAcks;
import dev.dynamo.pipeline.SelectionQuery;
import dev.dynamo.pipeline.StopSignal;
import dev.dynamo.pipeline.TableReads;
import dev.dynamo.pipeline.TableRef;
import dev.dynamo.query.QueryRunner;
import dev.dynamo.query.QuerySpec;
import dev.dynamo.table.IndexSchema;
import dev.dynamo.table.TableSchema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * Copies the items a query selects (on the table, a GSI or an LSI) so that the target's selection
 * ends equal to the source's: the target's selected keys are read first (and, for a file backup,
 * its selected items saved); every selected source item is written; only then are the target's
 * selected items whose key the source's selection lacks deleted, so no surviving item is ever
 * missing. Items outside the selection are untouched. Where the index does not project every
 * attribute, whole items are read from the table by key (BatchGetItem), so the target never
 * receives a projection.
 *
 * <p>The selected keys are held in memory (a query selects one partition, not a table).
 *
 * <p>Resumed from {@link CopyCheckpoint.Stage#COPY}, it continues the source's query after the last
 * acknowledged page; from there or from {@link CopyCheckpoint.Stage#DELETE_STALE}, the keys the
 * stopped run had collected are gone, so the stale items are found again once every source item
 * is written: the target's selected keys minus the source's, both read again (keys only). Items
 * written by the copy match the selection on both sides, so they are never taken for stale.
 */
final class SelectionCopy {
    private final CopyRun run;
    private final QuerySpec selection;

    SelectionCopy(CopyRun run) {
        this.run = run;
        this.selection = run.plan.selection();
    }

    void run() throws InterruptedException {
        CopyCheckpoint resumed = run.resumeFrom;
        CopyCheckpoint.Stage stage = resumed == null ? CopyCheckpoint.Stage.START : resumed.stage();
        Map<String, Map<String, AttributeValue>> targetKeys = new HashMap<>();
        if (stage != CopyCheckpoint.Stage.START) {
            run.backup = resumed.backup();
        } else if (run.preview.targetHasItems()) {
            boolean toFile = run.backUpWithAwsOrNeedFile();
            run.counters.startPhase(JobPhase.READ_TARGET, 0);
            if (toFile) {
                run.backUpToFile("the selected items of " + run.target.describe(),
                        writer -> readTarget(run, selection, targetKeys, writer));
            } else if (run.preview.deletes()) {
                readTarget(run, selection, targetKeys, null);
            }
        }
        run.checkStop();
        boolean fromStart = stage == CopyCheckpoint.Stage.START;
        Set<String> sourceKeys = new HashSet<>();
        if (stage != CopyCheckpoint.Stage.DELETE_STALE) {
            SegmentAcks acks = stage == CopyCheckpoint.Stage.COPY ? SegmentAcks.resume(resumed.segments()) : new SegmentAcks(1);
            run.counters.startPhase(JobPhase.COPY, 0);
            SelectionQuery source = sourceQuery(run, selection, !fromStart ? null : items -> {
                for (Map<String, AttributeValue> item : items) {
                    sourceKeys.add(ItemBatches.keyText(run.source.keys(), item));
                }
            }, acks);
            run.checkpoints.copying(acks, run.backup);
            // sourceKeys is filled by the one producer thread and read here after the pipeline has stopped.
            run.pipeline("copy", List.of(source), 1, run.plan.threads(), run.putWriters(acks));
            run.checkpoints.copied();
        }
        if (run.plan.mode() != CopyMode.REPLACE) {
            return;
        }
        run.checkStop();
        run.checkpoints.stage(CopyCheckpoint.Stage.DELETE_STALE, run.backup);
        if (!fromStart) {
            run.counters.startPhase(JobPhase.READ_TARGET, 0);
            readKeys(run, run.source, selection, sourceKeys);
            readTarget(run, selection, targetKeys, null);
        }
        List<Map<String, AttributeValue>> stale = new ArrayList<>();
        targetKeys.forEach((keyText, key) -> {
            if (!sourceKeys.contains(keyText)) {
                stale.add(key);
            }
        });
        if (!stale.isEmpty()) {
            deleteStale(stale);
        }
    }

    private void deleteStale(List<Map<String, AttributeValue>> stale) {
        run.counters.startPhase(JobPhase.DELETE_STALE, stale.size());
        int pageSize = run.plan.pageSize();
        PagePipeline.PageProducer keys = sink -> {
            for (int start = 0, sequence = 0; start < stale.size(); start += pageSize, sequence++) {
                sink.put(new Page(0, sequence, stale.subList(start, Math.min(stale.size(), start + pageSize))));
            }
        };
        run.pipeline("stale", List.of(keys), 1, run.plan.threads(), run.deleteWriters());
    }

    /** The query of the source's selected items (whole items, fetched by key where the index projects less). */
    static SelectionQuery sourceQuery(CopyRun run, QuerySpec selection, SelectionQuery.PageHandler onPage) {
        return sourceQuery(run, selection, onPage, null);
    }

    /** The same, registering its pages with {@code acks} (and starting where they say) when given, and stopping with the run. */
    private static SelectionQuery sourceQuery(CopyRun run, QuerySpec selection, SelectionQuery.PageHandler onPage, SegmentAcks acks) {
        TableSchema schema = run.source.schema();
        IndexSchema index = selection.index() == null ? null : schema.index(selection.index());
        QueryRequest request = new QueryRunner(run.source.client(), run.source.environment(), schema).request(selection, false)
                .toBuilder().limit(run.plan.pageSize()).build();
        return new SelectionQuery(new TableReads(run.source, run.retrier, run.counters), request,
                index != null && !index.projection().isAll(), run.plan.consistent(),
                Estimates.itemUnits(schema, run.plan.consistent()), run.counters.scanned, onPage, acks,
                acks == null ? new StopSignal() : run.stop);
    }

    /** The table keys of the items the selection matches on {@code table} (a keys-only query). */
    private static void readKeys(CopyRun run, TableRef table, QuerySpec selection, Set<String> keys) throws InterruptedException {
        QueryRequest request = targetQuery(table, selection, true).toBuilder().limit(run.plan.pageSize()).build();
        new SelectionQuery(new TableReads(table, run.retrier, run.counters), request, false, false,
                Estimates.itemUnits(table.schema(), selection.consistent()), null, null).forEachPage(items -> {
                    for (Map<String, AttributeValue> item : items) {
                        keys.add(ItemBatches.keyText(table.keys(), item));
                    }
                });
    }

    /**
     * Reads the target's selected items: their keys into {@code keys}, and the whole items into
     * {@code backup} when given (otherwise only the keys are read).
     */
    static void readTarget(CopyRun run, QuerySpec selection, Map<String, Map<String, AttributeValue>> keys, ItemFileWriter backup)
            throws InterruptedException {
        TableSchema schema = run.target.schema();
        IndexSchema index = selection.index() == null ? null : schema.index(selection.index());
        QueryRequest request = targetQuery(run.target, selection, backup == null).toBuilder().limit(run.plan.pageSize()).build();
        SelectionQuery query = new SelectionQuery(new TableReads(run.target, run.retrier, run.counters), request,
                backup != null && index != null && !index.projection().isAll(), true, Estimates.itemUnits(schema, true), null, null);
        query.forEachPage(items -> {
            for (Map<String, AttributeValue> item : items) {
                keys.put(ItemBatches.keyText(schema.keys(), item), schema.keys().keyOf(item));
                if (backup != null) {
                    backup.write(item);
                    run.counters.backedUp.increment();
                }
            }
        });
    }

    /** The selection's query on the target, projecting only the table's keys when {@code keysOnly}. */
    static QueryRequest targetQuery(TableRef target, QuerySpec selection, boolean keysOnly) {
        QuerySpec onTarget = keysOnly ? selection.withProjection(target.keys().names()) : selection;
        return new QueryRunner(target.client(), target.environment(), target.schema()).request(onTarget, false);
    }
}
