package dev.dynamo.copy;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.dynamo.Counts;
import dev.dynamo.DynamoException;
import dev.dynamo.env.DamagedAnswer;
import dev.dynamo.env.RawBodies;
import dev.dynamo.env.ServiceErrors;
import dev.dynamo.items.ItemSize;
import dev.dynamo.items.RawItems;
import dev.dynamo.pipeline.ItemBatches;
import dev.dynamo.pipeline.JobCounters;
import dev.dynamo.pipeline.Page;
import dev.dynamo.pipeline.PagePipeline;
import dev.dynamo.pipeline.Retrier;
import dev.dynamo.pipeline.SegmentAcks;
import dev.dynamo.pipeline.StopSignal;
import dev.dynamo.pipeline.TableReads;
import dev.dynamo.pipeline.TableRef;
import dev.dynamo.pipeline.WriteUnits;
import org.apiguardian.api.API;
import java.io.UncheckedIOException;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 * <p>Write units: with a write limit ({@code --max-wcu}) every batch asks DynamoDB what it consumed
 * and the limiter is reconciled with that; without one, the units are estimated by
 * {@link WriteUnits} and DynamoDB is not asked (on DynamoDB Local the question costs about a
 * quarter of the target's write throughput, measured with bench/run).
 *
 * <p>Concurrency contract: one instance per writer thread. The client, limiter, counters,
 * acknowledgements and dead-letter file it uses are shared and thread-safe.
 */
@API(status = INTERNAL, since = "0.1")
public final class BatchWriter implements PagePipeline.PageConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(BatchWriter.class);

    /** What the writer does with the items of a page. */
    public enum Kind { PUT, DELETE }

    private final TableRef target;
    private final Kind kind;
    private final Retrier retrier;
    private final JobCounters counters;
    private final DeadLetterFile deadLetters;
    private final SegmentAcks acks;
    private final StopSignal stop;
    private final WriteUnits units;
    /** Whether DynamoDB is asked for the units each batch consumed; otherwise they are estimated. */
    private final boolean measured;

    /**
     * @param acks where finished pages are acknowledged, or null when nobody tracks them
     */
    BatchWriter(TableRef target, Kind kind, Retrier retrier, JobCounters counters, DeadLetterFile deadLetters, SegmentAcks acks) {
        this(target, kind, retrier, counters, deadLetters, acks, new StopSignal());
    }

    /**
     * @param acks where finished pages are acknowledged, or null when nobody tracks them
     * @param stop polled before each batch and each retry
     */
    public BatchWriter(TableRef target, Kind kind, Retrier retrier, JobCounters counters, DeadLetterFile deadLetters, SegmentAcks acks,
            StopSignal stop) {
        this.stop = stop;
        this.target = target;
        this.kind = kind;
        this.retrier = retrier;
        this.counters = counters;
        this.deadLetters = deadLetters;
        this.acks = acks;
        this.units = new WriteUnits(target.schema());
        this.measured = target.writes().isLimited();
    }

    @Override
    public void consume(Page page) throws InterruptedException {
        // Puts of a raw page send each item as the bytes DynamoDB gave (see RawItems).
        RawItems raw = kind == Kind.PUT && page.items() instanceof RawItems rawItems ? rawItems : null;
        List<ItemBatches.Batch> batches = raw != null ? ItemBatches.split(raw, target.keys())
                : kind == Kind.PUT ? ItemBatches.split(page.items(), target.keys())
                : ItemBatches.split(page.items(), target.keys(), key -> 0);
        for (ItemBatches.Batch batch : batches) {
            if (stop.requested()) {
                return; // the page stays unacknowledged: a resume writes it again
            }
            List<Map<String, AttributeValue>> items = batch.items();
            double estimate = 0;
            for (int i = 0; i < items.size(); i++) {
                estimate += kind == Kind.DELETE ? units.delete()
                        : raw != null ? units.put(raw, batch.indexes()[i]) : units.put(items.get(i), batch.sizes()[i]);
            }
            boolean handled;
            if (raw != null) {
                // Decoded into requests only if DynamoDB rejects the batch or it is dead-lettered.
                List<WriteRequest> requests = new AbstractList<>() {
                    @Override
                    public WriteRequest get(int index) {
                        return put(items.get(index));
                    }

                    @Override
                    public int size() {
                        return items.size();
                    }
                };
                handled = write(requests, raw.putRequestBody(target.name(), batch.indexes(), measured), batch.bytes(), estimate);
            } else {
                List<WriteRequest> requests = new ArrayList<>(items.size());
                for (Map<String, AttributeValue> item : items) {
                    requests.add(kind == Kind.PUT ? put(item)
                            : WriteRequest.builder().deleteRequest(DeleteRequest.builder().key(target.keys().keyOf(item)).build()).build());
                }
                handled = write(requests, null, kind == Kind.PUT ? batch.bytes() : 0, estimate);
            }
            if (!handled) {
                return;
            }
        }
        if (acks != null) {
            acks.acknowledge(page.segment(), page.sequence(), page.items().size());
        }
    }

    private static WriteRequest put(Map<String, AttributeValue> item) {
        return WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build();
    }

    /**
     * Writes the requests (at most one batch), retrying, splitting and dead-lettering as needed.
     *
     * @param body  the requests as a BatchWriteItem body to send as it is (until DynamoDB leaves some
     *              unprocessed: those are sent as {@code requests}), or null to send {@code requests}
     * @param bytes the size of the items put (0 for deletes)
     * @param units the write units the requests are estimated to cost
     * @return true when every request was handled (written or dead-lettered); false when a stop left some unsent
     */
    /**
     * A BatchWriteItem answer that can be right, or a {@link DamagedAnswer} (retried as a network error:
     * puts and deletes are idempotent). DynamoDB always sends UnprocessedItems, empty when all is done;
     * a 200 without it (an empty body, {@code {}}) may come from something in between that never passed
     * the request on, so believing it would lose the batch. Unprocessed requests must be ones that were
     * sent, to this table, each once: anything else would be written without coming from the source.
     */
    private void checkAnswer(BatchWriteItemResponse response, List<WriteRequest> sent) {
        if (!response.hasUnprocessedItems()) {
            throw DamagedAnswer.of("BatchWriteItem", "no UnprocessedItems");
        }
        for (String name : response.unprocessedItems().keySet()) {
            if (!name.equals(target.name())) {
                throw DamagedAnswer.of("BatchWriteItem", "unprocessed requests for table '" + name + "', which was not written to");
            }
        }
        List<WriteRequest> unprocessed = response.unprocessedItems().getOrDefault(target.name(), List.of());
        if (!unprocessed.isEmpty()) {
            Set<WriteRequest> unsent = new HashSet<>(sent);
            for (WriteRequest request : unprocessed) {
                if (!unsent.remove(request)) {
                    throw DamagedAnswer.of("BatchWriteItem", "an unprocessed request that was not sent, or twice");
                }
            }
        }
        if (measured && !response.hasConsumedCapacity()) {
            throw DamagedAnswer.of("BatchWriteItem", "no ConsumedCapacity, which was asked for");
        }
    }

    private boolean write(List<WriteRequest> requests, byte[] body, long bytes, double units) throws InterruptedException {
        List<WriteRequest> pending = requests;
        byte[] pendingBody = body;
        long pendingBytes = bytes;
        double pendingUnits = units;
        for (int retry = 1; ; retry++) {
            target.writes().acquire(pendingUnits);
            BatchWriteItemResponse response;
            try {
                if (pendingBody != null) {
                    byte[] sent = pendingBody;
                    response = target.client().batchWriteItem(b -> b.requestItems(Map.of(target.name(), List.of()))
                            .overrideConfiguration(o -> o.putExecutionAttribute(RawBodies.REQUEST_BODY, sent)));
                } else {
                    List<WriteRequest> sent = pending;
                    // DynamoDB's own count of the units costs DynamoDB Local about a quarter of its write
                    // throughput: ask for it only when the limiter needs it (--max-wcu).
                    response = target.client().batchWriteItem(b -> b.requestItems(Map.of(target.name(), sent))
                            .returnConsumedCapacity(measured ? ReturnConsumedCapacity.TOTAL : null));
                }
                checkAnswer(response, pending);
            } catch (SdkException e) {
                target.writes().reconcile(pendingUnits, 0);
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
                            deadLetter(pending, Retrier.describe(e) + " (still failing after " + Counts.of(retrier.maxRetries(), "retry", "retries") + ")");
                            return true;
                        }
                        if (stop.requested()) {
                            return false;
                        }
                        LOG.info("BatchWriteItem of {} requests to {}: retry {} of {} after {}", pending.size(), target.name(), retry,
                                retrier.maxRetries(), Retrier.describe(e));
                        retrier.pause(retry);
                        continue;
                    }
                    case REJECTED -> {
                        if (pending.size() > 1) {
                            // Which item is at fault? Write them one by one: only that one is dead-lettered.
                            for (WriteRequest one : pending) {
                                List<WriteRequest> single = List.of(one);
                                if (!write(single, null, bytes(single), estimate(single))) {
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
            List<WriteRequest> unprocessed = response.hasUnprocessedItems()
                    ? response.unprocessedItems().getOrDefault(target.name(), List.of()) : List.of();
            long unprocessedBytes = unprocessed.isEmpty() ? 0 : bytes(unprocessed);
            double unprocessedUnits = unprocessed.isEmpty() ? 0 : estimate(unprocessed);
            double charged = measured
                    ? TableReads.units(response.hasConsumedCapacity() ? response.consumedCapacity() : List.of())
                    : pendingUnits - unprocessedUnits;
            target.writes().reconcile(pendingUnits, charged);
            counters.writeUnits.add(charged);
            long count = pending.size() - unprocessed.size();
            if (kind == Kind.PUT) {
                counters.written.add(count);
                counters.bytesWritten.add(pendingBytes - unprocessedBytes);
            } else {
                counters.deleted.add(count);
            }
            if (unprocessed.isEmpty()) {
                return true;
            }
            counters.throttled.increment();
            if (retry > retrier.maxRetries()) {
                deadLetter(unprocessed, "UnprocessedItems: still unprocessed after " + Counts.of(retrier.maxRetries(), "retry", "retries"));
                return true;
            }
            if (stop.requested()) {
                return false;
            }
            LOG.info("BatchWriteItem to {}: {} of {} requests unprocessed (throttled), retry {} of {}", target.name(), unprocessed.size(),
                    pending.size(), retry, retrier.maxRetries());
            retrier.pause(retry);
            pending = unprocessed;
            pendingBody = null;
            pendingBytes = unprocessedBytes;
            pendingUnits = unprocessedUnits;
        }
    }

    /** The estimated units of requests that come back unprocessed or are retried one by one (rare: sized again). */
    private double estimate(List<WriteRequest> requests) {
        double estimate = 0;
        for (WriteRequest request : requests) {
            estimate += kind == Kind.DELETE ? units.delete() : units.put(request.putRequest().item(), ItemSize.of(request.putRequest().item()));
        }
        return estimate;
    }

    private long bytes(List<WriteRequest> requests) {
        if (kind == Kind.DELETE) {
            return 0;
        }
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
