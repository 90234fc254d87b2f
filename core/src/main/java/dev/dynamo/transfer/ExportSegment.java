package dev.dynamo.transfer;

import dev.dynamo.items.ExportManifest;
import dev.dynamo.items.RawItems;
import dev.dynamo.pipeline.Page;
import dev.dynamo.pipeline.PagePipeline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Exports one scan segment (or a selection's query) into its own data files, in the order it reads them, on the
 * producer's thread: no queue, so at most one page per running segment is in memory. A data file is committed when it
 * reaches the plan's size or the segment ends, and the checkpoint then records it with the segment's position after its
 * last page, so a resume keeps every committed file and continues the segment from there. A stopped or failed segment
 * discards its file under way (the resume reads those pages again).
 */
final class ExportSegment implements PagePipeline.PageProducer {
    private final ExportRun run;
    private final int segment;
    private final PagePipeline.PageProducer reader;
    private DataFileOutput file;

    ExportSegment(ExportRun run, int segment, PagePipeline.PageProducer reader) {
        this.run = run;
        this.segment = segment;
        this.reader = reader;
    }

    @Override
    public void produce(PagePipeline.PageSink ignored) throws InterruptedException {
        boolean done = false;
        try {
            reader.produce(this::write);
            if (run.acks.checkpoint(segment).finished()) {
                commit();
                done = true;
                run.segmentFinished(segment);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a data file of " + run.location() + ": " + e.getMessage(), e);
        } finally {
            if (!done && file != null) {
                file.abort();
                run.counters.written.add(-file.items());
                file = null;
            }
        }
    }

    private void write(Page page) {
        try {
            if (file == null) {
                file = run.newFile(segment);
            }
            List<Map<String, AttributeValue>> items = page.items();
            if (items instanceof RawItems raw) {
                for (int i = 0; i < raw.size(); i++) {
                    file.write(raw, i);
                }
            } else {
                for (Map<String, AttributeValue> item : items) {
                    file.write(item);
                }
            }
            run.counters.written.add(items.size());
            run.acks.acknowledge(page.segment(), page.sequence(), items.size());
            if (file.bytes() >= run.plan.maxFileBytes()) {
                commit();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a data file of " + run.location() + ": " + e.getMessage(), e);
        }
    }

    /** Commits the file under way, if it holds items, and records it with the segment's position. */
    private void commit() throws IOException {
        if (file == null) {
            return;
        }
        DataFileOutput done = file;
        file = null;
        if (done.items() == 0) {
            done.abort();
            return;
        }
        ExportManifest.DataFile committed = done.commit();
        run.fileCommitted(segment, committed, done.storedBytes());
    }
}
