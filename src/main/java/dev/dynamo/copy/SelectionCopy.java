package dev.dynamo.copy;

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
 */
final class SelectionCopy {
    private final CopyRun run;
    private final QuerySpec selection;

    SelectionCopy(CopyRun run) {
        this.run = run;
        this.selection = run.plan.selection();
    }

    void run() throws InterruptedException {
        Map<String, Map<String, AttributeValue>> targetKeys = new HashMap<>();
        if (run.preview.targetHasItems()) {
            boolean toFile = run.backUpWithAwsOrNeedFile();
            run.counters.startPhase(CopyPhase.READ_TARGET, 0);
            if (toFile) {
                run.backUpToFile("the selected items of " + run.target.describe(),
                        writer -> readTarget(run, selection, targetKeys, writer));
            } else if (run.preview.deletes()) {
                readTarget(run, selection, targetKeys, null);
            }
        }
        run.counters.startPhase(CopyPhase.COPY, 0);
        Set<String> sourceKeys = new HashSet<>();
        SelectionQuery source = sourceQuery(run, selection, items -> {
            for (Map<String, AttributeValue> item : items) {
                sourceKeys.add(ItemBatches.keyText(run.source.keys(), item));
            }
        });
        // sourceKeys is filled by the one producer thread and read here after the pipeline has stopped.
        PagePipeline.run("copy", List.of(source), 1, run.plan.threads(), run.queueCapacity(), run.putWriters(null));
        if (run.plan.mode() != CopyMode.REPLACE) {
            return;
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
        run.counters.startPhase(CopyPhase.DELETE_STALE, stale.size());
        int pageSize = run.plan.pageSize();
        PagePipeline.PageProducer keys = sink -> {
            for (int start = 0, sequence = 0; start < stale.size(); start += pageSize, sequence++) {
                sink.put(new Page(0, sequence, stale.subList(start, Math.min(stale.size(), start + pageSize))));
            }
        };
        PagePipeline.run("stale", List.of(keys), 1, run.plan.threads(), run.queueCapacity(), run.deleteWriters());
    }

    /** The query of the source's selected items (whole items, fetched by key where the index projects less). */
    static SelectionQuery sourceQuery(CopyRun run, QuerySpec selection, SelectionQuery.PageHandler onPage) {
        TableSchema schema = run.source.schema();
        IndexSchema index = selection.index() == null ? null : schema.index(selection.index());
        QueryRequest request = new QueryRunner(run.source.client(), run.source.environment(), schema).request(selection, false)
                .toBuilder().limit(run.plan.pageSize()).build();
        return new SelectionQuery(new TableReads(run.source, run.retrier, run.counters), request,
                index != null && !index.projection().isAll(), run.plan.consistent(),
                Estimates.itemUnits(schema, run.plan.consistent()), run.counters.scanned, onPage);
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
