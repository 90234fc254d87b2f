package dev.dynamo.transfer;

import dev.dynamo.DynamoException;
import dev.dynamo.ExitCode;
import dev.dynamo.copy.CopyListener;
import dev.dynamo.copy.TableBackup;
import dev.dynamo.items.ItemFileWriter;
import dev.dynamo.pipeline.Estimates;
import dev.dynamo.pipeline.JobCounters;
import dev.dynamo.pipeline.JobPhase;
import dev.dynamo.pipeline.PagePipeline;
import dev.dynamo.pipeline.Retrier;
import dev.dynamo.pipeline.ScanSegment;
import dev.dynamo.pipeline.SegmentAcks;
import dev.dynamo.pipeline.StopSignal;
import dev.dynamo.pipeline.TableReads;
import dev.dynamo.pipeline.TableRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * The backup an import in replace mode makes first: every item of the table, read by a strongly consistent parallel
 * scan, in a backup file like copy's ({@code DIR/TABLE-yyyyMMdd-HHmmss.jsonl.gz}, 0600, flushed to disk before it gets its
 * name), which {@code dynamo import --mode replace} restores.
 */
final class TableFileBackup {
    private TableFileBackup() {
    }

    /**
     * Backs up a table that has items to a new file.
     *
     * @return the file, or null for an empty table (no file is left)
     * @throws DynamoException (130) when stopped before the backup is whole; nothing was written to the table
     */
    static Path backUp(TableRef target, Path backupDirectory, int threads, Retrier retrier, JobCounters counters, StopSignal stop,
            CopyListener listener, LocalDateTime now) {
        counters.startPhase(JobPhase.BACKUP, target.schema().itemCount());
        Path file = TableBackup.newFile(backupDirectory, target.name(), now);
        try (ItemFileWriter writer = ItemFileWriter.create(file, target.keys().names())) {
            boolean any = scanAll(target, retrier, counters, stop, threads, page -> {
                page.forEach(writer::write);
                counters.backedUp.add(page.size());
            });
            if (stop.requested()) {
                throw new DynamoException(ExitCode.INTERRUPTED, "stopped while backing up " + target.describe()
                        + "; nothing was written to it");
            }
            if (!any) {
                writer.close();
                Files.deleteIfExists(file.resolveSibling(file.getFileName() + ItemFileWriter.PARTIAL_SUFFIX));
                return null;
            }
            Path done = writer.commit();
            listener.notice(String.format(Locale.ROOT, "backed up %s to %s (%,d items)", target.describe(), done, writer.count()));
            return done;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the backup " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads every item of {@code table} (strongly consistent) and hands each page to {@code onPage}; true if there was any. */
    static boolean scanAll(TableRef table, Retrier retrier, JobCounters counters, StopSignal stop, int threads,
            Consumer<List<Map<String, AttributeValue>>> onPage) {
        boolean[] any = {false};
        ScanRequest all = ScanRequest.builder().tableName(table.name()).consistentRead(true).limit(1000).build();
        int segments = Math.max(1, threads);
        SegmentAcks acks = new SegmentAcks(segments);
        TableReads reads = new TableReads(table, retrier, counters);
        double firstPage = Estimates.firstPageUnits(table.schema(), all, 1000);
        List<ScanSegment> producers = new ArrayList<>();
        for (int segment = 0; segment < segments; segment++) {
            producers.add(new ScanSegment(reads, all, segment, acks, null, firstPage, stop));
        }
        PagePipeline.run("import-backup", producers, threads, 1, 2, () -> page -> {
            any[0] |= !page.items().isEmpty();
            onPage.accept(page.items());
        }, stop);
        return any[0];
    }
}
