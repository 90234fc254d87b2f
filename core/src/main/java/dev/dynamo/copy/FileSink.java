package dev.dynamo.copy;

import dev.dynamo.items.ItemFileWriter;
import dev.dynamo.pipeline.JobCounters;
import dev.dynamo.pipeline.Page;
import dev.dynamo.pipeline.PagePipeline;
import dev.dynamo.pipeline.SegmentAcks;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A consumer that appends every item of its pages to a backup file. Run with one consumer thread:
 * the file is one gzip stream.
 */
final class FileSink implements PagePipeline.PageConsumer {
    private final ItemFileWriter file;
    private final JobCounters counters;
    private final SegmentAcks acks;

    FileSink(ItemFileWriter file, JobCounters counters, SegmentAcks acks) {
        this.file = file;
        this.counters = counters;
        this.acks = acks;
    }

    @Override
    public void consume(Page page) {
        for (Map<String, AttributeValue> item : page.items()) {
            file.write(item);
        }
        counters.backedUp.add(page.items().size());
        if (acks != null) {
            acks.acknowledge(page.segment(), page.sequence(), page.items().size());
        }
    }
}
