package dev.dynamo.transfer;

import dev.dynamo.copy.BatchWriter;
import dev.dynamo.copy.DeadLetterFile;
import dev.dynamo.items.DataFileReader;
import dev.dynamo.items.ExportManifest;
import dev.dynamo.items.ExportRecord;
import dev.dynamo.pipeline.Estimates;
import dev.dynamo.pipeline.ItemBatches;
import dev.dynamo.pipeline.JobCounters;
import dev.dynamo.pipeline.JobPhase;
import dev.dynamo.pipeline.Page;
import dev.dynamo.pipeline.PagePipeline;
import dev.dynamo.pipeline.Retrier;
import dev.dynamo.pipeline.ScanSegment;
import dev.dynamo.pipeline.SegmentAcks;
import dev.dynamo.pipeline.StopSignal;
import dev.dynamo.pipeline.TableReads;
import dev.dynamo.pipeline.TableRef;
import dev.dynamo.table.KeySchema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * The last step of an import in replace mode: deletes the table's items whose key the import does not hold. The
 * import's keys are read again from its data files (so a resumed run has them all, whatever an earlier run wrote) into
 * a set in memory, about 100 bytes a key; then a strongly consistent parallel scan of the table's keys finds the rest.
 */
final class ExtraItems {
    private final TableRef target;
    private final List<ImportSource> sources;
    private final Retrier retrier;
    private final JobCounters counters;
    private final DeadLetterFile deadLetters;
    private final StopSignal stop;
    private final int threads;

    ExtraItems(TableRef target, List<ImportSource> sources, Retrier retrier, JobCounters counters, DeadLetterFile deadLetters,
            StopSignal stop, int threads) {
        this.target = target;
        this.sources = sources;
        this.retrier = retrier;
        this.counters = counters;
        this.deadLetters = deadLetters;
        this.stop = stop;
        this.threads = threads;
    }

    void delete() {
        KeySchema keys = target.keys();
        Set<String> imported = ConcurrentHashMap.newKeySet();
        for (ImportSource source : sources) {
            for (ExportManifest.DataFile file : source.files()) {
                try (DataFileReader reader = source.open(file)) {
                    for (ExportRecord record; (record = reader.next()) != null; ) {
                        if (stop.requested()) {
                            return;
                        }
                        if (!record.isDelete()) {
                            imported.add(ItemBatches.keyText(keys, record.item()));
                        }
                    }
                }
            }
        }
        long deletedBefore = counters.deleted.sum();
        counters.startPhase(JobPhase.DELETE, 0, () -> counters.deleted.sum() - deletedBefore);
        Map<String, String> names = new HashMap<>();
        List<String> placeholders = new ArrayList<>();
        for (int i = 0; i < keys.names().size(); i++) {
            names.put("#k" + i, keys.names().get(i));
            placeholders.add("#k" + i);
        }
        ScanRequest keysOnly = ScanRequest.builder().tableName(target.name()).consistentRead(true)
                .projectionExpression(String.join(", ", placeholders)).expressionAttributeNames(names).limit(1000).build();
        scan(keysOnly, () -> {
            BatchWriter deleter = new BatchWriter(target, BatchWriter.Kind.DELETE, retrier, counters, deadLetters, null, stop);
            return page -> {
                List<Map<String, AttributeValue>> extras = new ArrayList<>();
                for (Map<String, AttributeValue> key : page.items()) {
                    if (!imported.contains(ItemBatches.keyText(keys, key))) {
                        extras.add(key);
                    }
                }
                if (!extras.isEmpty()) {
                    deleter.consume(new Page(page.segment(), page.sequence(), extras));
                }
            };
        });
    }

    /** Reads every item of {@code table} (strongly consistent) and hands each page to {@code onPage}; true if there was any. */
    static boolean scanAll(TableRef table, Retrier retrier, JobCounters counters, StopSignal stop, int threads,
            Consumer<List<Map<String, AttributeValue>>> onPage) {
        boolean[] any = {false};
        ScanRequest all = ScanRequest.builder().tableName(table.name()).consistentRead(true).limit(1000).build();
        new ExtraItems(table, List.of(), retrier, counters, null, stop, threads).scan(all, () -> page -> {
            synchronized (any) {
                any[0] |= !page.items().isEmpty();
                onPage.accept(page.items());
            }
        });
        return any[0];
    }

    private void scan(ScanRequest request, java.util.function.Supplier<PagePipeline.PageConsumer> consumers) {
        int segments = Math.max(1, threads);
        SegmentAcks acks = new SegmentAcks(segments);
        TableReads reads = new TableReads(target, retrier, counters);
        double firstPage = Estimates.firstPageUnits(target.schema(), request, 1000);
        List<ScanSegment> producers = new ArrayList<>();
        for (int segment = 0; segment < segments; segment++) {
            producers.add(new ScanSegment(reads, request, segment, acks, null, firstPage, stop));
        }
        PagePipeline.run("import-scan", producers, threads, threads, 2, consumers, stop);
    }
}
