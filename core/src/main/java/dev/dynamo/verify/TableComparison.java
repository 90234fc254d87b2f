package dev.dynamo.verify;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.dynamo.pipeline.Estimates;
import dev.dynamo.pipeline.JobCounters;
import dev.dynamo.pipeline.JobDefaults;
import dev.dynamo.pipeline.Page;
import dev.dynamo.pipeline.PagePipeline;
import dev.dynamo.pipeline.ReadPlan;
import dev.dynamo.pipeline.Retrier;
import dev.dynamo.pipeline.ScanSegment;
import dev.dynamo.pipeline.SegmentAcks;
import dev.dynamo.pipeline.SelectionQuery;
import dev.dynamo.pipeline.StopSignal;
import dev.dynamo.pipeline.TableReads;
import dev.dynamo.pipeline.TableRef;
import dev.dynamo.query.QueryRunner;
import dev.dynamo.query.QuerySpec;
import dev.dynamo.table.IndexSchema;
import dev.dynamo.table.KeySchema;
import dev.dynamo.table.TableSchema;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.apiguardian.api.API;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * Matches the items of two tables (or of one selection on each) by primary key and compares them by
 * value, with bounded memory: what {@link TableVerifier} reports and what a replace by difference acts
 * on. Both sides are read at once into bucket files of (key, digest) records in {@code directory}, then
 * the buckets are compared one pair at a time ({@link VerifyBuckets}); every key is told to the
 * {@link Sink} once, as matching, missing from the target, extra in it, or different.
 *
 * <p>Used by one thread; {@link #sourceItems()}, {@link #targetItems()}, {@link #buckets()} and
 * {@link #bucketsCompared()} may be read from any thread while it runs.
 */
@API(status = INTERNAL, since = "0.1")
public final class TableComparison {
    /** What the comparison found, key by key. Called from the one comparing thread. */
    public interface Sink {
        /** A key with the same item on both sides. */
        void matching();

        /** A key in the source only; {@code key[offset, offset + length)} as {@link #decodeKey} reads it. */
        void missing(byte[] key, int offset, int length) throws IOException;

        /** A key in the target only. */
        void extra(byte[] key, int offset, int length) throws IOException;

        /** A key on both sides whose items differ. */
        void different(byte[] key, int offset, int length) throws IOException;
    }

    private final ReadPlan read;
    private final long bucketBytes;
    private final Retrier retrier;
    private final JobCounters counters;
    private final StopSignal stop;
    private final LongAdder sourceItems = new LongAdder();
    private final LongAdder targetItems = new LongAdder();
    private volatile long buckets;
    private volatile long bucketsCompared;
    private VerifyBuckets comparison;

    /**
     * @param read        threads, segments, page size, consistency and the selection (null for whole tables)
     * @param bucketBytes the most bytes of records to compare in memory at once
     * @param stop        raised to stop the reads gracefully (a pipeline stopped part way throws)
     */
    public TableComparison(ReadPlan read, long bucketBytes, Retrier retrier, JobCounters counters, StopSignal stop) {
        this.read = read;
        this.bucketBytes = bucketBytes;
        this.retrier = retrier;
        this.counters = counters;
        this.stop = stop;
    }

    /** Source items read so far. */
    public long sourceItems() {
        return sourceItems.sum();
    }

    /** Target items read so far. */
    public long targetItems() {
        return targetItems.sum();
    }

    /** Bucket pairs to compare (0 until the reads finish). */
    public long buckets() {
        return buckets;
    }

    /** Bucket pairs compared so far. */
    public long bucketsCompared() {
        return bucketsCompared;
    }

    /** Bucket pairs compared in memory, counting those made by splits. */
    long comparedPairs() {
        return comparison == null ? 0 : comparison.compared();
    }

    /** The largest bucket loaded into memory, in bytes. */
    long largestLoadedBytes() {
        return comparison == null ? 0 : comparison.largestLoadedBytes();
    }

    /**
     * Reads both sides into {@code directory} and compares them, telling {@code sink} of every key.
     *
     * @param beforeCompare runs between the reads and the comparison (a phase change)
     */
    public void run(TableRef source, TableRef target, Path directory, Sink sink, Runnable beforeCompare)
            throws IOException, InterruptedException {
        int bucketCount = bucketCount(source, target);
        VerifySpool sourceSpool = new VerifySpool(directory, "source", bucketCount);
        VerifySpool targetSpool = new VerifySpool(directory, "target", bucketCount);
        try (sourceSpool; targetSpool) {
            readBoth(source, target, sourceSpool, targetSpool);
        }
        compare(bucketCount, sourceSpool, targetSpool, directory, sink, beforeCompare);
    }

    /**
     * A source side read by producers other than a table's scan, such as an import's data files: their pages numbered as
     * segments 0, 1, ... (fewer than {@code segments}), whole items, each counted in {@code items} as it is read.
     *
     * @param itemsEstimate how many items there are about, to size the buckets
     */
    public record Pages(List<PagePipeline.PageProducer> producers, int segments, long itemsEstimate, KeySchema keys,
            LongAdder items) {
    }

    /**
     * Reads {@code source}'s pages and the whole {@code target} table into {@code directory} and compares them, telling
     * {@code sink} of every key (an import in replace mode: the target's keys the import lacks are its extras).
     */
    public void run(Pages source, TableRef target, Path directory, Sink sink, Runnable beforeCompare)
            throws IOException, InterruptedException {
        long items = Math.max(source.itemsEstimate(), target.schema().itemCount());
        int bucketCount = (int) Math.max(1, Math.min(TableVerifier.MAX_BUCKETS,
                (items * TableVerifier.RECORD_BYTES_ESTIMATE + bucketBytes - 1) / bucketBytes));
        VerifySpool sourceSpool = new VerifySpool(directory, "source", bucketCount);
        VerifySpool targetSpool = new VerifySpool(directory, "target", bucketCount);
        try (sourceSpool; targetSpool) {
            LongAdder sourceRecords = new LongAdder();
            LongAdder targetRecords = new LongAdder();
            SegmentAcks targetAcks = new SegmentAcks(read.segmentsOf(target.schema()));
            List<PagePipeline.PageProducer> producers = new ArrayList<>(source.producers());
            producers.addAll(scans(target, targetAcks, targetItems, source.segments()));
            VerifyDigester.Side sourceSide = new VerifyDigester.Side(sourceSpool, 0, null, sourceRecords);
            VerifyDigester.Side targetSide = new VerifyDigester.Side(targetSpool, source.segments(), targetAcks, targetRecords);
            int digesters = Math.max(1, Math.min(read.threads(), Runtime.getRuntime().availableProcessors()));
            PagePipeline.run("compare", producers, read.threads(), digesters, JobDefaults.readAheadPages(read.threads()),
                    () -> new VerifyDigester(source.keys(), sourceSide, targetSide), stop);
            // Every item read is in a bucket, never dropped: check it.
            if (!targetAcks.allFinished() || sourceRecords.sum() != source.items().sum() || targetRecords.sum() != targetItems.sum()) {
                throw new IllegalStateException("comparison accounting mismatch: read " + source.items().sum() + " + "
                        + targetItems.sum() + " items, bucketed " + sourceRecords.sum() + " + " + targetRecords.sum()
                        + ", every segment of the table finished: " + targetAcks.allFinished());
            }
        }
        compare(bucketCount, sourceSpool, targetSpool, directory, sink, beforeCompare);
    }

    /** Compares the spools' buckets one pair at a time, after {@code beforeCompare}. */
    private void compare(int bucketCount, VerifySpool sourceSpool, VerifySpool targetSpool, Path directory, Sink sink,
            Runnable beforeCompare) throws IOException, InterruptedException {
        beforeCompare.run();
        buckets = bucketCount;
        comparison = new VerifyBuckets(directory, bucketBytes, sink);
        for (int bucket = 0; bucket < bucketCount; bucket++) {
            comparison.compare(sourceSpool.file(bucket), targetSpool.file(bucket), 0);
            bucketsCompared = bucket + 1;
        }
    }

    /** A key as the sink was given it, as DynamoDB's key attributes. */
    public static Map<String, AttributeValue> decodeKey(KeySchema keys, byte[] key, int offset, int length) {
        return VerifyKey.decode(keys, key, offset, length);
    }

    /** A key (an item's key attributes) encoded as the sink is given keys. */
    public static byte[] encodeKey(KeySchema keys, Map<String, AttributeValue> item) {
        return VerifyKey.encode(keys, item);
    }

    /** A 64-bit hash of an encoded key. */
    public static long hashKey(byte[] key, int offset, int length) {
        return VerifyKey.hash(key, offset, length);
    }

    /** Enough buckets for the larger table's records to fit the budget, one bucket each. */
    private int bucketCount(TableRef source, TableRef target) {
        long items = Math.max(source.schema().itemCount(), target.schema().itemCount());
        long bytes = items * TableVerifier.RECORD_BYTES_ESTIMATE;
        return (int) Math.max(1, Math.min(TableVerifier.MAX_BUCKETS, (bytes + bucketBytes - 1) / bucketBytes));
    }

    /** Reads both sides at once into their spools. */
    private void readBoth(TableRef source, TableRef target, VerifySpool sourceSpool, VerifySpool targetSpool) {
        LongAdder sourceRecords = new LongAdder();
        LongAdder targetRecords = new LongAdder();
        List<PagePipeline.PageProducer> producers = new ArrayList<>();
        VerifyDigester.Side sourceSide;
        VerifyDigester.Side targetSide;
        SegmentAcks sourceAcks = null;
        SegmentAcks targetAcks = null;
        if (read.selection() == null) {
            sourceAcks = new SegmentAcks(read.segmentsOf(source.schema()));
            targetAcks = new SegmentAcks(read.segmentsOf(target.schema()));
            int targetFirst = sourceAcks.segmentCount();
            List<PagePipeline.PageProducer> sourceScans = scans(source, sourceAcks, sourceItems, 0);
            List<PagePipeline.PageProducer> targetScans = scans(target, targetAcks, targetItems, targetFirst);
            // Interleaved, so both tables are read from the start.
            for (int i = 0; i < Math.max(sourceScans.size(), targetScans.size()); i++) {
                if (i < sourceScans.size()) {
                    producers.add(sourceScans.get(i));
                }
                if (i < targetScans.size()) {
                    producers.add(targetScans.get(i));
                }
            }
            sourceSide = new VerifyDigester.Side(sourceSpool, 0, sourceAcks, sourceRecords);
            targetSide = new VerifyDigester.Side(targetSpool, targetFirst, targetAcks, targetRecords);
        } else {
            producers.add(query(source, sourceItems, 0));
            producers.add(query(target, targetItems, 1));
            sourceSide = new VerifyDigester.Side(sourceSpool, 0, null, sourceRecords);
            targetSide = new VerifyDigester.Side(targetSpool, 1, null, targetRecords);
        }
        int digesters = Math.max(1, Math.min(read.threads(), Runtime.getRuntime().availableProcessors()));
        PagePipeline.run("compare", producers, read.threads(), digesters, JobDefaults.readAheadPages(read.threads()),
                () -> new VerifyDigester(source.keys(), sourceSide, targetSide), stop);
        // Every item read is in a bucket, never dropped: check it.
        boolean scansFinished = sourceAcks == null || (sourceAcks.allFinished() && targetAcks.allFinished());
        if (!scansFinished || sourceRecords.sum() != sourceItems.sum() || targetRecords.sum() != targetItems.sum()) {
            throw new IllegalStateException("comparison accounting mismatch: read " + sourceItems.sum() + " + " + targetItems.sum()
                    + " items, bucketed " + sourceRecords.sum() + " + " + targetRecords.sum() + ", every segment finished: "
                    + scansFinished);
        }
    }

    /** The segments of a parallel scan of {@code table}, their pages numbered from {@code firstSegment}. */
    private List<PagePipeline.PageProducer> scans(TableRef table, SegmentAcks acks, LongAdder items, int firstSegment) {
        ScanRequest all = ScanRequest.builder().tableName(table.name()).limit(read.pageSize())
                .consistentRead(read.consistent() ? Boolean.TRUE : null).build();
        TableReads reads = new TableReads(table, retrier, counters);
        double firstPageUnits = Estimates.firstPageUnits(table.schema(), all, read.pageSize());
        List<PagePipeline.PageProducer> scans = new ArrayList<>(acks.segmentCount());
        for (int segment = 0; segment < acks.segmentCount(); segment++) {
            ScanSegment scan = new ScanSegment(reads, all, segment, acks, items, firstPageUnits, stop);
            scans.add(firstSegment == 0 ? scan : sink -> scan.produce(new PagePipeline.PageSink() {
                @Override
                public void put(Page page) throws InterruptedException {
                    sink.put(new Page(page.segment() + firstSegment, page.sequence(), page.items()));
                }

                @Override
                public void reserve() throws InterruptedException {
                    sink.reserve();
                }
            }));
        }
        return scans;
    }

    /** The selection's query on {@code table}, whole items, its pages numbered as segment {@code segment}. */
    private PagePipeline.PageProducer query(TableRef table, LongAdder items, int segment) {
        TableSchema schema = table.schema();
        QuerySpec selection = read.selection();
        IndexSchema index = selection.index() == null ? null : schema.index(selection.index());
        QueryRequest request = new QueryRunner(table.client(), table.environment(), schema).request(selection, false)
                .toBuilder().limit(read.pageSize()).build();
        SelectionQuery query = new SelectionQuery(new TableReads(table, retrier, counters), request,
                index != null && !index.projection().isAll(), read.consistent(), Estimates.itemUnits(schema, read.consistent()),
                items, null);
        return sink -> {
            long[] sequence = {0};
            query.forEachPage(page -> sink.put(new Page(segment, sequence[0]++, page)));
        };
    }
}
