package dev.dynamo.copy;

import dev.dynamo.items.ItemFileWriter;
import dev.dynamo.pipeline.Estimates;
import dev.dynamo.pipeline.ItemBatches;
import dev.dynamo.pipeline.JobPhase;
import dev.dynamo.pipeline.SegmentAcks;
import dev.dynamo.pipeline.SelectionQuery;
import dev.dynamo.pipeline.StopSignal;
import dev.dynamo.pipeline.TableReads;
import dev.dynamo.pipeline.TableRef;
import dev.dynamo.query.QueryRunner;
import dev.dynamo.query.QuerySpec;
import dev.dynamo.table.IndexSchema;
import dev.dynamo.table.TableSchema;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * Merges the items a query selects (on the table, a GSI or an LSI) into the target, writing every
 * selected source item (a file backup of the target's selected items first, if asked). Items outside
 * the selection are untouched. Where the index does not project every attribute, whole items are
 * read from the table by key (BatchGetItem), so the target never receives a projection. (A replace,
 * or a merge that skips unchanged items, is a {@link DiffCopy}, which reads selections the same way.)
 *
 * <p>Resumed from {@link CopyCheckpoint.Stage#COPY}, it continues the source's query after the last
 * acknowledged page.
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
        if (stage != CopyCheckpoint.Stage.START) {
            run.backup = resumed.backup();
        } else if (run.preview.targetHasItems() && run.backUpWithAwsOrNeedFile()) {
            run.backUpTargetToFile();
        }
        run.checkStop();
        SegmentAcks acks = stage == CopyCheckpoint.Stage.COPY ? SegmentAcks.resume(resumed.segments()) : new SegmentAcks(1);
        run.counters.startPhase(JobPhase.COPY, 0);
        SelectionQuery source = sourceQuery(run, selection, null, acks);
        run.checkpoints.copying(acks, run.backup);
        run.pipeline("copy", List.of(source), 1, run.plan.threads(), run.putWriters(acks));
        run.checkpoints.copied();
    }

    /** The query of the source's selected items (whole items, fetched by key where the index projects less). */
    static SelectionQuery sourceQuery(CopyRun run, QuerySpec selection, SelectionQuery.PageHandler onPage) {
        return sourceQuery(run, selection, onPage, null);
    }

    /** The same, registering its pages with {@code acks} (and starting where they say) when given, and stopping with the run. */
    static SelectionQuery sourceQuery(CopyRun run, QuerySpec selection, SelectionQuery.PageHandler onPage, SegmentAcks acks) {
        TableSchema schema = run.source.schema();
        IndexSchema index = selection.index() == null ? null : schema.index(selection.index());
        QueryRequest request = new QueryRunner(run.source.client(), run.source.environment(), schema).request(selection, false)
                .toBuilder().limit(run.plan.pageSize()).build();
        return new SelectionQuery(new TableReads(run.source, run.retrier, run.counters), request,
                index != null && !index.projection().isAll(), run.plan.consistent(),
                Estimates.itemUnits(schema, run.plan.consistent()), run.counters.scanned, onPage, acks,
                acks == null ? new StopSignal() : run.stop);
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
