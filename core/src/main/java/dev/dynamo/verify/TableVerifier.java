package dev.dynamo.verify;

import static org.apiguardian.api.API.Status.STABLE;

import dev.dynamo.DynamoException;
import dev.dynamo.ExitCode;
import dev.dynamo.env.DynamoClientFactory;
import dev.dynamo.env.Environment;
import dev.dynamo.pipeline.Backoff;
import dev.dynamo.pipeline.CapacityLimiter;
import dev.dynamo.pipeline.Estimates;
import dev.dynamo.pipeline.JobCounters;
import dev.dynamo.pipeline.JobDefaults;
import dev.dynamo.pipeline.Page;
import dev.dynamo.pipeline.PagePipeline;
import dev.dynamo.pipeline.Retrier;
import dev.dynamo.pipeline.ScanSegment;
import dev.dynamo.pipeline.SegmentAcks;
import dev.dynamo.pipeline.SelectionQuery;
import dev.dynamo.pipeline.StopSignal;
import dev.dynamo.pipeline.TablePair;
import dev.dynamo.pipeline.TableReads;
import dev.dynamo.pipeline.TableRef;
import dev.dynamo.query.QueryRunner;
import dev.dynamo.query.QuerySpec;
import dev.dynamo.table.IndexSchema;
import dev.dynamo.table.ItemDifference;
import dev.dynamo.table.KeySchema;
import dev.dynamo.table.TableSchema;
import io.soabase.recordbuilder.core.RecordBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.apiguardian.api.API;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * Compares two DynamoDB tables (or what one query selects on each), item by item and regardless
 * of order: which keys are missing from the target, extra in it, or hold a different item. Every
 * attribute is compared exactly as DynamoDB sees it: numbers by value, sets regardless of order,
 * binary by its bytes, maps and lists deeply. Changes nothing.
 *
 * <pre>{@code
 * VerifyPlan plan = VerifyPlan.builder("Orders").targetTable("Orders-copy").build();
 * try (TableVerifier verifier = TableVerifier.prepare(prod, dev, plan)) {
 *     VerifyResult result = verifier.run();
 *     System.out.println(result.identical() ? "identical" : result.missing() + " missing");
 * }
 * }</pre>
 *
 * <p><b>Memory stays bounded whatever the tables' size.</b> Both tables are read at once by the
 * copy engine's parallel scan (or, for a selection, one query per table, with whole items fetched by
 * key where the index projects less), through its bounded page queue. Digester threads turn each
 * item into a record of its primary key and a 128-bit digest of its canonical encoding
 * ({@link dev.dynamo.table.ItemDigest}), and append it to one of B bucket files on disk, chosen by a
 * hash of the key, so a key lands in the same bucket on both sides. B is chosen from the tables'
 * item counts so that one bucket's records fit in {@link VerifyPlan#bucketBytes} (8 MiB by default),
 * at most {@link #MAX_BUCKETS} per side. Then the buckets are compared one pair at a time: the
 * smaller file of the pair is loaded with a hash index, the other streamed through it. A pair still
 * too large (the item count is up to six hours old) is split on disk first, recursively
 * ({@link VerifyBuckets}). In memory at any time: the queued pages, one write buffer per bucket
 * file, one bucket, and the first {@link VerifyPlan#show} keys of each kind of difference. On disk:
 * about 20 bytes plus the key per item of both tables, in a directory deleted at the end.
 *
 * <p>After the comparison the first different items are read again by key (BatchGetItem) to say
 * which attributes differ.
 *
 * <p>A verifier opens one {@link DynamoDbClient} per environment and closes them in {@link #close}.
 * Not thread-safe: one thread prepares and runs it; {@link #progress()} may be read from any thread.
 * [API: DescribeTable, Scan, Query, BatchGetItem]
 */
@API(status = STABLE, since = "0.1")
public final class TableVerifier implements AutoCloseable {
    /** The most bucket files per side (each is open while the tables are read). */
    static final int MAX_BUCKETS = 256;
    /** A bucket record's expected size on disk, for choosing the number of buckets: key, length and digest. */
    static final int RECORD_BYTES_ESTIMATE = 64;

    /** The steps of a verification. */
    public enum Phase {
        PREPARE("preparing"),
        READ("reading"),
        COMPARE("comparing"),
        DETAILS("reading the differing items"),
        DONE("done");

        private final String label;

        Phase(String label) {
            this.label = label;
        }

        /** A short label for progress lines, such as {@code reading}. */
        public String label() {
            return label;
        }
    }

    /**
     * Where a verification stands.
     *
     * @param phase               the step running now
     * @param sourceItems         source items read so far
     * @param targetItems         target items read so far
     * @param expectedSourceItems DynamoDB's item count of the source table (0 for a selection)
     * @param expectedTargetItems DynamoDB's item count of the target table (0 for a selection)
     * @param bucketsCompared     buckets compared so far
     * @param buckets             buckets to compare
     * @param readUnits           read capacity consumed
     * @param retried             requests retried
     * @param elapsedNanos        time since the verification began
     */
    @RecordBuilder
    public record Progress(Phase phase, long sourceItems, long targetItems, long expectedSourceItems, long expectedTargetItems,
            long bucketsCompared, long buckets, double readUnits, long retried, long elapsedNanos) {
        public static TableVerifierProgressBuilder builder() {
            return TableVerifierProgressBuilder.builder();
        }
    }

    private final VerifyPlan plan;
    private final TablePair tables;
    private final JobCounters counters = new JobCounters(true); // verify writes nothing
    private final Retrier retrier;
    private final TableComparison comparison;
    private TableRef source;
    private TableRef target;
    private volatile Phase phase = Phase.PREPARE;
    private volatile long startNanos = System.nanoTime();
    private boolean started;

    private TableVerifier(Environment source, Environment target, VerifyPlan plan) {
        this.plan = plan;
        this.retrier = new Retrier(Backoff.create(), plan.maxRetries(), counters);
        // Verify is stopped by interrupting it (Ctrl-C), not by the copy's graceful stop: its reads never see one.
        this.comparison = new TableComparison(plan.read(), plan.bucketBytes(), retrier, counters, new StopSignal());
        this.tables = TablePair.open(source, target, plan.threads(), DynamoClientFactory.API_CALL_ATTEMPT_TIMEOUT);
    }

    /**
     * Describes both tables and checks the plan; reads no item.
     *
     * @throws DynamoException (usage) when a table is missing, both are the same table, their keys
     *                         differ, or the selection does not fit both; (failure) when DynamoDB cannot be reached
     */
    public static TableVerifier prepare(Environment source, Environment target, VerifyPlan plan) {
        TableVerifier verifier = new TableVerifier(source, target, plan);
        return TablePair.prepare(verifier, verifier::check, verifier::close, "interrupted while preparing the verification");
    }

    private void check() throws InterruptedException {
        TableDescription sourceTable = tables.describeSource(retrier, plan.sourceTable());
        TableDescription targetTable = tables.describeTarget(retrier, plan.targetTable());
        Environment targetEnvironment = tables.targetEnvironment();
        if (targetTable == null) {
            throw DynamoException.usage("target table '" + plan.targetTable() + "' not found in " + targetEnvironment.describe()
                    + "; name the table to compare with using --target-table, or list the tables there with: dynamo tables -e "
                    + targetEnvironment.name());
        }
        TableSchema sourceSchema = tables.sourceSchema(sourceTable);
        TableSchema targetSchema = tables.targetSchema(targetTable);
        source = new TableRef(tables.sourceEnvironment(), tables.sourceClient(), sourceSchema,
                CapacityLimiter.of(plan.maxReadUnitsPerSecond()), CapacityLimiter.of(0));
        target = new TableRef(targetEnvironment, tables.targetClient(), targetSchema, CapacityLimiter.of(plan.maxReadUnitsPerSecond()),
                CapacityLimiter.of(0));
        tables.checkTables(sourceTable, targetTable, ", so there is nothing to compare; name the other table with --target or "
                + "--target-table", ", so their items cannot be matched by key; compare tables with the same key");
        if (plan.selection() != null) {
            tables.checkSelection(plan.selection(), sourceSchema, targetSchema, "compare the whole tables");
            // Types every value and checks the index and options against the target's schema too.
            new QueryRunner(tables.targetClient(), targetEnvironment, targetSchema).request(plan.selection(), false);
        }
    }

    /** Where the verification stands; safe to call from any thread. */
    public Progress progress() {
        boolean whole = plan.selection() == null;
        return Progress.builder().phase(phase).sourceItems(comparison.sourceItems()).targetItems(comparison.targetItems())
                .expectedSourceItems(whole && source != null ? source.schema().itemCount() : 0)
                .expectedTargetItems(whole && target != null ? target.schema().itemCount() : 0)
                .bucketsCompared(comparison.bucketsCompared()).buckets(comparison.buckets()).readUnits(counters.readUnits.sum())
                .retried(counters.retried.sum()).elapsedNanos(System.nanoTime() - startNanos).build();
    }

    /**
     * Reads both sides and compares them. Runs once.
     *
     * @throws DynamoException (failure) when DynamoDB fails or the bucket files cannot be written; (exit
     *                         code 130) when interrupted, with the interrupt status restored
     */
    public VerifyResult run() {
        if (started) {
            throw new IllegalStateException("a TableVerifier runs once");
        }
        started = true;
        startNanos = System.nanoTime();
        counters.markStart();
        Path directory = BucketDirectory.create(plan.tempDirectory());
        try {
            KeySchema keys = source.keys();
            VerifyTally tally = new VerifyTally(keys, plan.show());
            phase = Phase.READ;
            comparison.run(source, target, directory, tally, () -> phase = Phase.COMPARE);
            phase = Phase.DETAILS;
            List<VerifyResult.Difference> differences = whereTheyDiffer(tally.firstDifferent());
            phase = Phase.DONE;
            return VerifyResult.builder().source(source.describe()).target(target.describe())
                    .selection(plan.selection() != null).keyNames(keys.names())
                    .sourceItems(comparison.sourceItems()).targetItems(comparison.targetItems())
                    .matching(tally.matchingCount()).missing(tally.missingCount()).extra(tally.extraCount())
                    .different(tally.differentCount()).missingKeys(tally.firstMissing()).extraKeys(tally.firstExtra())
                    .differentItems(differences).buckets(comparison.comparedPairs()).largestBucketBytes(comparison.largestLoadedBytes())
                    .readUnits(counters.readUnits.sum()).retried(counters.retried.sum()).throttled(counters.throttled.sum())
                    .elapsed(Duration.ofNanos(System.nanoTime() - startNanos)).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw interrupted(e);
        } catch (DynamoException e) {
            throw e.exitCode() == ExitCode.INTERRUPTED ? interrupted(e) : e;
        } catch (IOException e) {
            throw BucketDirectory.failed(directory, e);
        } catch (UncheckedIOException e) {
            throw BucketDirectory.failed(directory, e.getCause());
        } finally {
            BucketDirectory.delete(directory);
        }
    }

    /** Reads the items of the differing keys again from both tables, to say where they differ. */
    private List<VerifyResult.Difference> whereTheyDiffer(List<Map<String, AttributeValue>> keys) throws InterruptedException {
        if (keys.isEmpty()) {
            return List.of();
        }
        Map<ByteBuffer, Map<String, AttributeValue>> sourceItems = byKey(new TableReads(source, retrier, counters)
                .batchGet(keys, plan.consistent(), Estimates.itemUnits(source.schema(), plan.consistent())));
        Map<ByteBuffer, Map<String, AttributeValue>> targetItems = byKey(new TableReads(target, retrier, counters)
                .batchGet(keys, plan.consistent(), Estimates.itemUnits(target.schema(), plan.consistent())));
        List<VerifyResult.Difference> differences = new ArrayList<>(keys.size());
        for (Map<String, AttributeValue> key : keys) {
            ByteBuffer bytes = ByteBuffer.wrap(VerifyKey.encode(source.keys(), key));
            Map<String, AttributeValue> sourceItem = sourceItems.get(bytes);
            Map<String, AttributeValue> targetItem = targetItems.get(bytes);
            differences.add(new VerifyResult.Difference(key, sourceItem == null || targetItem == null ? List.of()
                    : ItemDifference.paths(sourceItem, targetItem)));
        }
        return differences;
    }

    private Map<ByteBuffer, Map<String, AttributeValue>> byKey(List<Map<String, AttributeValue>> items) {
        Map<ByteBuffer, Map<String, AttributeValue>> byKey = new HashMap<>();
        for (Map<String, AttributeValue> item : items) {
            byKey.put(ByteBuffer.wrap(VerifyKey.encode(source.keys(), item)), item);
        }
        return byKey;
    }

    private static DynamoException interrupted(Exception e) {
        return new DynamoException(ExitCode.INTERRUPTED, "interrupted: the verification stopped; nothing was changed", e);
    }

    @Override
    public void close() {
        tables.close();
    }
}
