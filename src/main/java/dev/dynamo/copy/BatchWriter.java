package dev.dynamo.copy;

import dev.dynamo.DynamoException;
import dev.dynamo.env.ServiceErrors;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * A writer worker: writes the pages it takes from the queue to the target with BatchWriteItem,
 * as puts of whole items or as deletes of keys.
 *
 * <p>Every item ends up written or in the dead-letter file, never dropped: UnprocessedItems,
 * throttling, 5xx and network errors are retried with backoff up to the retry limit, after which
 * the items still pending go to the dead-letter file; a batch that DynamoDB rejects (a
 * ValidationException: say an attribute whose type does not fit a target index's key) is retried
 * item by item, so only the items at fault are dead-lettered. Other failures (credentials, access,
 * a deleted table) stop the copy. When a page is done, its items are acknowledged to the
 * {@link SegmentAcks}, if any.
 *
 * <p>Once a stop is requested, the writer starts no new batch and sends no retry: the batch in
 * flight finishes, and the page it belongs to stays unacknowledged unless every item of it was
 * handled, so a resume writes that page again (puts and deletes are idempotent).
 *
 * <p>Concurrency contract: one instance per writer thread. The client, limiter, counters,
 * acknowledgements and dead-letter file it uses are shared and thread-safe.
 */
final class BatchWriter implements PagePipeline.PageConsumer {
    /** What the writer does with the items of a page. */
    enum Kind { PUT, DELETE }

    private final TableRef target;
    private final Kind kind;
    private final Retrier retrier;
    private final CopyCounters counters;
    private final DeadLetterFile deadLetters;
    private final SegmentAcks acks;
    private final StopSignal stop;

    /**
     * @param acks where finished pages are acknowledged, or null when nobody tracks them
     */
    BatchWriter(TableRef target, Kind kind, Retrier retrier, CopyCounters counters, DeadLetterFile deadLetters, SegmentAcks acks) {
        this(target, kind, retrier, counters, deadLetters, acks, new StopSignal());
    }

    /**
     * @param acks where finished pages are acknowledged, or null when nobody tracks them
     * @param stop polled before each batch and each retry
     */
    BatchWriter(TableRef target, Kind kind, Retrier retrier, CopyCounters counters, DeadLetterFile deadLetters, SegmentAcks acks,
            StopSignal stop) {
        this.stop = stop;
        this.target = target;
        this.kind = kind;
        this.retrier = retrier;
        this.counters = counters;
        this.deadLetters = deadLetters;
        this.acks = acks;
    }

    @Override
    public void consume(Page page) throws InterruptedException {
        for (List<Map<String, AttributeValue>> batch : ItemBatches.split(page.items(), target.keys())) {
            if (stop.requested()) {
                return; // the page stays unacknowledged: a resume writes it again
            }
            List<WriteRequest> requests = new ArrayList<>(batch.size());
            for (Map<String, AttributeValue> item : batch) {
                requests.add(kind == Kind.PUT
                        ? WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build()
                        : WriteRequest.builder().deleteRequest(DeleteRequest.builder().key(target.keys().keyOf(item)).build()).build());
            }
            if (!write(requests)) {
                return;
            }
        }
        if (acks != null) {
            acks.acknowledge(page.segment(), page.sequence(), page.items().size());
        }
    }

    /**
     * Writes the requests (at most one batch), retrying, splitting and dead-lettering as needed.
     *
     * @return true when every request was handled (written or dead-lettered); false when a stop left some unsent
     */
    private boolean write(List<WriteRequest> requests) throws InterruptedException {
        List<WriteRequest> pending = requests;
        for (int retry = 1; ; retry++) {
            double estimate = estimateUnits(pending);
            target.writes().acquire(estimate);
            BatchWriteItemResponse response;
            try {
                List<WriteRequest> sent = pending;
                response = target.client().batchWriteItem(b -> b.requestItems(Map.of(target.name(), sent))
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            } catch (SdkException e) {
                target.writes().reconcile(estimate, 0);
                if (Thread.interrupted()) {
                    throw new InterruptedException("interrupted while writing to " + target.describe());
                }
                Retrier.Failure failure = Retrier.classify(e);
                switch (failure) {
                    case THROTTLED, TRANSIENT -> {
                        if (failure == Retrier.Failure.THROTTLED) {
                            counters.throttled.increment();
                        }
                        if (retry > retrier.maxRetries()) {
                            deadLetter(pending, Retrier.describe(e) + " (still failing after " + retrier.maxRetries() + " retries)");
                            return true;
                        }
                        if (stop.requested()) {
                            return false;
                        }
                        retrier.pause(retry);
                        continue;
                    }
                    case REJECTED -> {
                        if (pending.size() > 1) {
                            // Which item is at fault? Write them one by one: only that one is dead-lettered.
                            for (WriteRequest one : pending) {
                                if (!write(List.of(one))) {
                                    return false;
                                }
                            }
                        } else {
                            deadLetter(pending, Retrier.describe(e));
                        }
                        return true;
                    }
                    default -> throw ServiceErrors.translate(target.environment(), "writing to " + target.label(), e);
                }
            }
            double actual = TableReads.units(response.hasConsumedCapacity() ? response.consumedCapacity() : List.of());
            target.writes().reconcile(estimate, actual);
            counters.writeUnits.add(actual);
            List<WriteRequest> unprocessed = response.hasUnprocessedItems()
                    ? response.unprocessedItems().getOrDefault(target.name(), List.of()) : List.of();
            done(pending, unprocessed);
            if (unprocessed.isEmpty()) {
                return true;
            }
            counters.throttled.increment();
            if (retry > retrier.maxRetries()) {
                deadLetter(unprocessed, "UnprocessedItems: still unprocessed after " + retrier.maxRetries() + " retries");
                return true;
            }
            if (stop.requested()) {
                return false;
            }
            retrier.pause(retry);
            pending = unprocessed;
        }
    }

    private void done(List<WriteRequest> sent, List<WriteRequest> unprocessed) {
        long count = sent.size() - unprocessed.size();
        if (kind == Kind.PUT) {
            counters.written.add(count);
            counters.bytesWritten.add(bytes(sent) - bytes(unprocessed));
        } else {
            counters.deleted.add(count);
        }
    }

    private double estimateUnits(List<WriteRequest> requests) {
        if (kind == Kind.DELETE) {
            return requests.size(); // the deleted item's size is unknown until DynamoDB reports it
        }
        double units = 0;
        for (WriteRequest request : requests) {
            units += ItemSize.writeUnits(ItemSize.of(request.putRequest().item()));
        }
        return units;
    }

    private long bytes(List<WriteRequest> requests) {
        long bytes = 0;
        for (WriteRequest request : requests) {
            bytes += ItemSize.of(request.putRequest().item());
        }
        return bytes;
    }

    private void deadLetter(List<WriteRequest> requests, String error) {
        for (WriteRequest request : requests) {
            try {
                if (kind == Kind.PUT) {
                    deadLetters.append(DeadLetterFile.Operation.PUT, request.putRequest().item(), error);
                } else {
                    deadLetters.append(DeadLetterFile.Operation.DELETE, request.deleteRequest().key(), error);
                }
            } catch (UncheckedIOException e) {
                // An item that can be neither written nor kept must stop the copy: it would otherwise be lost.
                throw DynamoException.failure(e.getMessage() + "; the copy stopped so that no item is lost (" + error + ")", e);
            }
            counters.failed.increment();
        }
    }
}
