package dev.dynamo.spark;

import dev.dynamo.DynamoException;
import dev.dynamo.ExitCode;
import dev.dynamo.pipeline.Backoff;
import dev.dynamo.pipeline.CapacityLimiter;
import dev.dynamo.pipeline.Estimates;
import dev.dynamo.pipeline.JobCounters;
import dev.dynamo.pipeline.Retrier;
import dev.dynamo.pipeline.ScanSegment;
import dev.dynamo.pipeline.SegmentAcks;
import dev.dynamo.pipeline.StopSignal;
import dev.dynamo.pipeline.TablePair;
import dev.dynamo.pipeline.TableReads;
import dev.dynamo.pipeline.TableRef;
import dev.dynamo.table.ItemDigest;
import dev.dynamo.table.KeySchema;
import dev.dynamo.table.TableSchema;
import dev.dynamo.verify.TableComparison;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.PairFlatMapFunction;
import org.apache.spark.util.TaskCompletionListener;
import scala.Tuple2;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * The map side of the digest join: one task per scan segment of either table ({@link DiffTaskPlan}'s numbering), which
 * reads its segment with core's {@link ScanSegment} (every page checked, every call retried and rate-limited) and
 * emits, for each item, its key ({@link KeyBytes}) and a record of its side and {@link ItemDigest}: about 20 bytes plus
 * the key per item, never the item.
 *
 * <p>Streamed: the segment is read on a thread of the task's own, a page ahead of what Spark's shuffle writer has taken
 * ({@link #PAGES_AHEAD}), so a task holds a few pages' records whatever its segment's size. The thread ends with the
 * task: when the task is killed or fails, Spark's completion callback interrupts it. A retried attempt reads its
 * segment again: its records are its own, never added to another attempt's.
 */
final class DigestScanTask implements PairFlatMapFunction<Iterator<Integer>, KeyBytes, byte[]> {
    private static final long serialVersionUID = 1L;
    /** Pages of records read ahead of the shuffle writer. */
    static final int PAGES_AHEAD = 2;
    /**
     * A test hook: the task (this class's numbering: the source's segments, then the target's) whose first attempt
     * fails just after its first page's records were emitted ({@code -D} on the JVM that runs the task, which for a
     * local master is the driver's).
     */
    static final String FAIL_FIRST_ATTEMPT_PROPERTY = "dynamo.spark.test.failFirstAttemptOfDigestScan";

    private final DiffTaskPlan plan;
    private final DiffAccumulators accumulators;

    DigestScanTask(DiffTaskPlan plan, DiffAccumulators accumulators) {
        this.plan = plan;
        this.accumulators = accumulators;
    }

    @Override
    public Iterator<Tuple2<KeyBytes, byte[]>> call(Iterator<Integer> tasks) {
        TaskContext context = TaskContext.get();
        return new Iterator<>() {
            private Iterator<Tuple2<KeyBytes, byte[]>> page = Collections.emptyIterator();
            private SegmentStream stream;

            @Override
            public boolean hasNext() {
                while (!page.hasNext()) {
                    if (stream == null) {
                        if (!tasks.hasNext()) {
                            return false;
                        }
                        stream = new SegmentStream(tasks.next(), context);
                    }
                    List<Tuple2<KeyBytes, byte[]>> next = stream.next();
                    if (next == null) {
                        stream = null;
                    } else {
                        page = next.iterator();
                    }
                }
                return true;
            }

            @Override
            public Tuple2<KeyBytes, byte[]> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return page.next();
            }
        };
    }

    /**
     * One segment read on its own thread into a small queue of pages of records. When the thread ends it sets
     * {@link #last} ({@link #END}, or what it failed with) and then offers {@link #MARK}, which never blocks: a thread
     * whose task was killed never waits for room.
     */
    private final class SegmentStream {
        private static final Object END = new Object();
        private static final Object MARK = new Object();
        private static final long POLL_MILLIS = 200;

        private final BlockingQueue<Object> pages = new ArrayBlockingQueue<>(PAGES_AHEAD);
        private final Thread thread;
        private volatile Object last;

        SegmentStream(int task, TaskContext context) {
            String lease = plan.jobId() + "-scan-" + task + "-" + (context == null ? 0 : context.taskAttemptId());
            boolean failAfterFirstPage = context != null && context.attemptNumber() == 0
                    && Integer.toString(task).equals(System.getProperty(FAIL_FIRST_ATTEMPT_PROPERTY));
            thread = new Thread(() -> {
                try {
                    scan(task, lease, failAfterFirstPage);
                    last = END;
                } catch (Throwable e) { // handed to the task's thread, which throws it
                    last = e;
                }
                pages.offer(MARK);
            }, "dynamo-digest-scan-" + task);
            thread.setDaemon(true);
            if (context != null) {
                context.addTaskCompletionListener((TaskCompletionListener) ended -> thread.interrupt());
            }
            thread.start();
        }

        /** The next page's records, or null after the last. */
        @SuppressWarnings("unchecked")
        List<Tuple2<KeyBytes, byte[]>> next() {
            while (true) {
                Object next;
                try {
                    next = pages.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    thread.interrupt();
                    Thread.currentThread().interrupt();
                    throw new DynamoException(ExitCode.INTERRUPTED, "interrupted while scanning", e);
                }
                if (next != null && next != MARK) {
                    return (List<Tuple2<KeyBytes, byte[]>>) next;
                }
                Object ended = last;
                // Every page is queued before last is set: with last set and the queue empty, every page was taken.
                if (ended != null && pages.isEmpty()) {
                    if (ended == END) {
                        return null;
                    }
                    if (ended instanceof RuntimeException e) {
                        throw e;
                    }
                    if (ended instanceof Error e) {
                        throw e;
                    }
                    Throwable e = (Throwable) ended;
                    throw new IllegalStateException("the scan of " + thread.getName() + " failed: " + e, e);
                }
            }
        }

        /** Reads the task's segment, putting each page's records in the queue (failing after the first if the hook says so). */
        private void scan(int task, String lease, boolean failAfterFirstPage) throws InterruptedException {
            boolean source = task < plan.sourceSegments();
            int segment = source ? task : task - plan.sourceSegments();
            int segments = source ? plan.sourceSegments() : plan.targetSegments();
            String table = source ? plan.sourceTable() : plan.targetTable();
            JobCounters counters = new JobCounters(false);
            counters.markStart();
            Retrier retrier = new Retrier(Backoff.create(), plan.maxRetries(), counters);
            try (TablePair tables = TablePair.open(plan.source().resolve(), plan.target().resolve(), 2,
                    Duration.ofMillis(plan.requestTimeoutMillis()))) {
                TableSchema schema;
                if (source) {
                    schema = tables.sourceSchema(tables.describeSource(retrier, table));
                } else {
                    var description = tables.describeTarget(retrier, table);
                    if (description == null) {
                        throw DynamoException.failure(tables.describeTarget(table) + " is gone (deleted while the job ran)", null);
                    }
                    schema = tables.targetSchema(description);
                }
                KeySchema keys = plan.keys().schema();
                if (!schema.keys().equals(keys)) {
                    throw DynamoException.failure("table '" + table + "' has another key than when the job began (" + schema.keys()
                            + ", not " + keys + ")", null);
                }
                CapacityLimiter reads = CapacityLimiter.of(plan.safeShare(plan.maxReadUnits()));
                TableRef ref = new TableRef(source ? tables.sourceEnvironment() : tables.targetEnvironment(),
                        source ? tables.sourceClient() : tables.targetClient(), schema, reads, CapacityLimiter.of(0));
                ScanRequest all = ScanRequest.builder().tableName(table).limit(plan.pageSize())
                        .consistentRead(plan.consistent() ? Boolean.TRUE : null).build();
                SegmentAcks acks = new SegmentAcks(segments);
                ScanSegment scan = new ScanSegment(new TableReads(ref, retrier, counters), all, segment, acks, counters.scanned,
                        Estimates.firstPageUnits(schema, all, plan.pageSize()), new StopSignal());
                ItemDigest digest = ItemDigest.create();
                byte tag = source ? KeyOutcome.SOURCE_TAG : KeyOutcome.TARGET_TAG;
                long[] emitted = {0};
                String service = source ? plan.sourceService() : plan.targetService();
                try (RateLease ignored = plan.maxReadUnits() > 0 ? RateLease.take(service, lease, reads, CapacityLimiter.of(0)) : null) {
                    scan.produce(page -> {
                        List<Tuple2<KeyBytes, byte[]>> records = new ArrayList<>(page.items().size());
                        for (Map<String, AttributeValue> item : page.items()) {
                            records.add(new Tuple2<>(new KeyBytes(TableComparison.encodeKey(keys, item)),
                                    KeyOutcome.record(tag, digest.digest(item))));
                        }
                        emitted[0] += records.size();
                        acks.acknowledge(segment, page.sequence(), page.items().size());
                        if (!records.isEmpty()) {
                            pages.put(records);
                            if (failAfterFirstPage) {
                                throw new DynamoException(ExitCode.FAILURE, "test hook: the first attempt of digest scan task " + task
                                        + " fails after its first page (" + FAIL_FIRST_ATTEMPT_PROPERTY + ")");
                            }
                        }
                    });
                }
                if (!acks.checkpoint(segment).finished() || emitted[0] != counters.scanned.sum()) {
                    throw new IllegalStateException("segment " + segment + " of " + table + ": " + counters.scanned.sum()
                            + " items read, " + emitted[0] + " emitted, finished: " + acks.checkpoint(segment).finished());
                }
            }
            accumulators.add(counters);
            accumulators.scansDone.add(1);
        }
    }
}
