package dev.dynamo.verify;

import dev.dynamo.pipeline.Page;
import dev.dynamo.pipeline.PagePipeline;
import dev.dynamo.pipeline.SegmentAcks;
import dev.dynamo.table.ItemDigest;
import dev.dynamo.table.KeySchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Turns pages of items into bucket records: for each item its key bytes and its digest, appended
 * to the bucket its key hashes to, in the spool of the side the page came from. Pages of both
 * sides share one pipeline: a page's segment number tells the side ({@link Side#firstSegment}).
 * Each page is acknowledged once its records are in the spool's buffers.
 *
 * <p>One per consumer thread of the pipeline (it holds a digest and buffers of its own).
 */
final class VerifyDigester implements PagePipeline.PageConsumer {
    /**
     * One side of the comparison as the digesters see it.
     *
     * @param spool        where its records go
     * @param firstSegment the segment number of its first page producer in the shared pipeline
     * @param acks         its scan's acknowledgements, indexed from {@code firstSegment}; null for a query
     * @param records      counts the records written
     */
    record Side(VerifySpool spool, int firstSegment, SegmentAcks acks, LongAdder records) {
    }

    private final KeySchema keys;
    private final Side source;
    private final Side target;
    private final ItemDigest digest = ItemDigest.create();
    private final VerifySpool.Records[] pending;

    VerifyDigester(KeySchema keys, Side source, Side target) {
        this.keys = keys;
        this.source = source;
        this.target = target;
        this.pending = new VerifySpool.Records[source.spool().buckets()];
    }

    @Override
    public void consume(Page page) {
        Side side = page.segment() >= target.firstSegment() ? target : source;
        VerifySpool spool = side.spool();
        for (Map<String, AttributeValue> item : page.items()) {
            byte[] key = VerifyKey.encode(keys, item);
            int bucket = VerifyKey.slot(VerifyKey.hash(key, 0, key.length), 0, spool.buckets());
            if (pending[bucket] == null) {
                pending[bucket] = new VerifySpool.Records();
            }
            pending[bucket].add(key, 0, key.length, digest.digest(item), 0);
        }
        try {
            for (int bucket = 0; bucket < pending.length; bucket++) {
                if (pending[bucket] != null && !pending[bucket].isEmpty()) {
                    pending[bucket].appendTo(spool, bucket);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        side.records().add(page.items().size());
        if (side.acks() != null) {
            side.acks().acknowledge(page.segment() - side.firstSegment(), page.sequence(), page.items().size());
        }
    }
}
