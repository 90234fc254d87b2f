package dev.dynamo.cli;

import static dev.dynamo.testing.CopyFixtures.everyType;
import static dev.dynamo.testing.CopyFixtures.n;
import static dev.dynamo.testing.CopyFixtures.s;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dynamo.testing.Cli;
import dev.dynamo.testing.CommandResult;
import dev.dynamo.testing.CopyFixtures;
import dev.dynamo.testing.EngineTest;
import dev.dynamo.testing.Fault;
import dev.dynamo.testing.FaultProxy;
import dev.dynamo.testing.LocalDynamoDb;
import dev.dynamo.testing.LocalEngineExtension;
import dev.dynamo.testing.TestTables;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The copy under every fault DynamoDB and the network produce, injected by a real HTTP proxy
 * ({@link FaultProxy}) in front of the target (BatchWriteItem) or the source (Scan): 4,000 items
 * of every attribute type arrive exactly, none lost, none twice, and the summary counts exactly
 * the retries (and throttles) the proxy caused. Faults that retrying cannot fix (a table deleted
 * mid-copy, credentials that expire) stop the copy with one line that says what to do.
 *
 * <p>Runs through the command line ({@link Cli}) with the proxy's URL as the environment. The
 * source is loaded once; each case copies into a fresh target on the second server and drops it.
 */
@EngineTest
class CopyFaultsTest {
    /**
     * Enough items for about 90 Scan calls and 160 BatchWriteItem calls to fault. (It was 20,000 in pages of 200, then 10,000
     * in pages of 100; each time the fault periods were shortened so that each case injects as many faults as before, which
     * it asserts ({@link FaultCase#minReads()}), for less of the engine's work: it is most of this class's time.)
     */
    static final int ITEMS = 4_000;
    static final List<String> KEYS = List.of("pk", "sk");
    /** Small pages: about 90 Scan calls to fault, as well as 160 BatchWriteItem calls (of 25 items). */
    static final String PAGE_SIZE = "50";
    /**
     * A call slower than this is abandoned and retried; the long delays below exceed it. Far above what
     * any real call takes here, even on a loaded machine with cold JVMs (at 3 s, a few first calls timed
     * out on their own and were retried, rightly, but the count no longer matched the faults).
     */
    static final String REQUEST_TIMEOUT = "8";
    static final long LONG_DELAY_MILLIS = 9_000;
    static final long SHORT_DELAY_MILLIS = 150;
    static final Set<String> THROTTLING = Set.of("ProvisionedThroughputExceededException", "ThrottlingException",
            "RequestLimitExceeded", "PARTIAL_BATCH");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static LocalDynamoDb db;
    private static LocalDynamoDb other;
    private static String source;
    private static Map<String, Map<String, AttributeValue>> sourceItems;

    @TempDir
    Path home;

    @TempDir
    Path work;

    @BeforeAll
    static void loadSource(LocalDynamoDb primary, @LocalEngineExtension.Second LocalDynamoDb second) {
        db = primary;
        other = second;
        source = TestTables.table("faults").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.N)
                .create(db.client());
        long start = System.nanoTime();
        CopyFixtures.putParallel(db.client(), source, items(ITEMS));
        long loaded = System.nanoTime();
        sourceItems = CopyFixtures.itemsByKey(db.client(), source, KEYS, 4);
        System.out.printf("CopyFaultsTest: source loaded in %d ms, read back in %d ms%n", (loaded - start) / 1_000_000,
                (System.nanoTime() - loaded) / 1_000_000);
        assertThat(sourceItems).hasSize(ITEMS);
    }

    static List<Map<String, AttributeValue>> items(int count) {
        List<Map<String, AttributeValue>> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            items.add(everyType(Map.of("pk", s("customer#" + i % 997), "sk", n(String.valueOf(i))), i));
        }
        return items;
    }

    /**
     * One fault scenario, injected on both sides at once: a proxy in front of the source faults its
     * Scan calls, one in front of the target its BatchWriteItem calls.
     *
     * @param name   for the report
     * @param reads  makes the source proxy's policy (a fresh one per run: policies count calls), or null for no faults there
     * @param writes makes the target proxy's policy
     * @param minReads   the faults the source proxy must have injected at least (the case asserts it), of the faults named
     *                   by {@code counted}
     * @param minWrites  the same for the target proxy
     * @param counted    the faults the minimums count (e.g. only the long delays), or "" for every fault
     */
    record FaultCase(String name, Supplier<BiFunction<String, Long, Fault>> reads, Supplier<BiFunction<String, Long, Fault>> writes,
            int minReads, int minWrites, String counted) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Every {@code period}-th call of {@code operation} gets the next of {@code faults}, in turn. */
    static Supplier<BiFunction<String, Long, Fault>> every(String operation, int period, Fault... faults) {
        return () -> {
            AtomicLong seen = new AtomicLong();
            return (op, n) -> {
                if (!op.equals(operation)) {
                    return Fault.NONE;
                }
                long count = seen.incrementAndGet();
                return count % period == 0 ? faults[(int) (count / period % faults.length)] : Fault.NONE;
            };
        };
    }

    /** Every call of {@code operation} but each {@code period}-th gets the next of {@code faults}, in turn. */
    static Supplier<BiFunction<String, Long, Fault>> allBut(String operation, int period, Fault... faults) {
        return () -> {
            AtomicLong seen = new AtomicLong();
            AtomicLong faulted = new AtomicLong();
            return (op, n) -> {
                if (!op.equals(operation) || seen.incrementAndGet() % period == 0) {
                    return Fault.NONE;
                }
                return faults[(int) (faulted.getAndIncrement() % faults.length)];
            };
        };
    }

    /** The same fault on one Scan call in 5 (of about 90) and one BatchWriteItem call in 5 (of about 160, and the retries). */
    static FaultCase both(String name, Fault fault) {
        // As many as with 10,000 items, one call in 6 and one in 10 faulted: 21 and 42.
        return new FaultCase(name, every("Scan", 5, fault), every("BatchWriteItem", 5, fault), 18, 36, "");
    }

    /** A short delay {@code shortOnes} times, then a long one (past --request-timeout), in turn. */
    static Fault[] delays(int shortOnes) {
        Fault[] delays = new Fault[shortOnes + 1];
        Arrays.fill(delays, Fault.delay(SHORT_DELAY_MILLIS));
        delays[shortOnes] = Fault.delay(LONG_DELAY_MILLIS);
        return delays;
    }

    static Stream<FaultCase> faults() {
        List<Fault> mixed = List.of(Fault.throughputExceeded(), Fault.throttling(), Fault.requestLimitExceeded(),
                Fault.internalServerError(), Fault.serviceUnavailable(), Fault.resetBefore(), Fault.resetAfter(), Fault.damaged(),
                Fault.delay(SHORT_DELAY_MILLIS), Fault.delay(LONG_DELAY_MILLIS));
        List<Fault> mixedWrites = new ArrayList<>(mixed);
        mixedWrites.add(Fault.partialBatch(0.5));
        mixedWrites.add(Fault.partialBatch(0.96));
        return Stream.of(
                both("ProvisionedThroughputExceededException", Fault.throughputExceeded()),
                both("ThrottlingException", Fault.throttling()),
                both("RequestLimitExceeded", Fault.requestLimitExceeded()),
                both("HTTP 500 InternalServerError", Fault.internalServerError()),
                both("HTTP 503 ServiceUnavailable", Fault.serviceUnavailable()),
                both("connection reset before forwarding", Fault.resetBefore()),
                both("connection reset after forwarding (written, answer lost)", Fault.resetAfter()),
                // Short delays only slow a call down; long ones outlast --request-timeout, so the call is abandoned and
                // retried while the proxy still forwards it later: the late write must do no harm.
                // Of about 90 Scan calls, one in 2 is delayed and one in 24 long; of about 160 BatchWriteItem calls, one in 2 is
                // delayed and one in 40 long: three and four long ones, as before.
                new FaultCase("delayed responses", every("Scan", 2, delays(11)), every("BatchWriteItem", 2, delays(19)), 3, 4,
                        "DELAY(" + LONG_DELAY_MILLIS + "ms)"),
                // The copy reads the items from the bytes DynamoDB sent: a damaged page must be read again, never copied.
                both("damaged responses (CRC32 mismatch)", Fault.damaged()),
                // One call in 2 (of some 400 with the retries): about 200 partial batches, each of them a batch cut short.
                new FaultCase("partial BatchWriteItem", null, every("BatchWriteItem", 2, Fault.partialBatch(0.4), Fault.partialBatch(0.96)),
                        0, 150, ""),
                // Every fault of the list on both sides, each about as often as with 10,000 items (about 5 of each on Scan and
                // 10 on BatchWriteItem).
                new FaultCase("all faults mixed", every("Scan", 2, mixed.toArray(Fault[]::new)),
                        every("BatchWriteItem", 2, mixedWrites.toArray(Fault[]::new)), 35, 90, ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faults")
    void copiesEveryItemExactly_andCountsEveryRetry(FaultCase fault) throws IOException {
        String target = TestTables.table("faults").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.N)
                .create(other.client());
        try (FaultProxy reads = FaultProxy.start(db.endpoint()); FaultProxy writes = FaultProxy.start(other.endpoint())) {
            if (fault.reads() != null) {
                reads.policy(fault.reads().get());
            }
            writes.policy(fault.writes().get());
            long start = System.nanoTime();
            CommandResult result = Cli.isolated(home).run("copy", "-t", source, "--target-table", target,
                    "--source", reads.env(), "--target", writes.env(),
                    "--summary", "json", "--no-progress", "--backup-dir", work.toString(),
                    // Enough retries that no item runs out of them by chance: a batch cut to one item by every
                    // third call (partial 0.96) needs many retries to drain. Exhausting retries is BatchWriterTest's.
                    "--page-size", PAGE_SIZE, "--request-timeout", REQUEST_TIMEOUT, "--max-retries", "30");
            long millis = (System.nanoTime() - start) / 1_000_000;

            Map<String, Long> injected = new TreeMap<>(reads.injected());
            injected.putAll(writes.injected());
            assertThat(result.exitCode()).as("%s\ninjected: %s", result, injected).isZero();
            JsonNode summary = JSON.readTree(result.stdout());
            assertThat(injected.keySet()).as("faults injected").allMatch(key -> key.startsWith("Scan:") || key.startsWith("BatchWriteItem:"));
            // Both sides are faulted (but for partial batches, which only BatchWriteItem has).
            assertThat(retriesNeeded(reads.injected()) > 0).as("read faults that need a retry: %s", injected)
                    .isEqualTo(fault.reads() != null);
            assertThat(retriesNeeded(writes.injected())).as("write faults that need a retry: %s", injected).isPositive();
            assertThat(counted(reads.injected(), fault.counted())).as("faults injected on Scan: %s", injected)
                    .isGreaterThanOrEqualTo(fault.minReads());
            assertThat(counted(writes.injected(), fault.counted())).as("faults injected on BatchWriteItem: %s", injected)
                    .isGreaterThanOrEqualTo(fault.minWrites());
            assertThat(summary.get("retried").asLong()).as("retries in %s, injected: %s", result, injected)
                    .isEqualTo(retriesNeeded(injected));
            assertThat(summary.get("throttled").asLong()).as("throttles in %s, injected: %s", result, injected)
                    .isEqualTo(throttles(injected));
            assertThat(summary.get("scanned").asLong()).isEqualTo(ITEMS);
            assertThat(summary.get("written").asLong()).isEqualTo(ITEMS);
            assertThat(summary.get("failed").asLong()).isZero();
            assertThat(work).as("no dead-letter or backup file").isEmptyDirectory();
            long verifyStart = System.nanoTime();
            assertThat(CopyFixtures.itemsByKey(other.client(), target, KEYS, 4)).as("the target, item by item").isEqualTo(sourceItems);
            System.out.printf("CopyFaultsTest: %s: copied in %d ms, verified in %d ms, %d retries, injected %s%n", fault, millis,
                    (System.nanoTime() - verifyStart) / 1_000_000, summary.get("retried").asLong(), injected);
        } finally {
            long deleteStart = System.nanoTime();
            other.client().deleteTable(b -> b.tableName(target));
            System.out.printf("CopyFaultsTest: %s: target dropped in %d ms%n", fault, (System.nanoTime() - deleteStart) / 1_000_000);
        }
    }

    /**
     * A replace by difference under every fault at once, on every call it makes: both sides' Scans (the comparison), the
     * BatchGetItem that reads the differing items again, and the BatchWriteItem of the writes and of the deletes.
     */
    @Test
    void replaceByDifference_underEveryFault_writesOnlyTheDifference_exactly() throws IOException {
        String target = TestTables.table("faults").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.N)
                .create(other.client());
        List<Map<String, AttributeValue>> all = items(ITEMS);
        List<Map<String, AttributeValue>> targetItems = new ArrayList<>();
        long changed = 0;
        long missing = 0;
        for (int i = 0; i < ITEMS; i++) {
            // One item in 10 missing and one in 20 changed: 600 differ, few enough (15%) to be read again by key (BatchGetItem).
            if (i % 10 == 3) {
                missing++;
                continue;
            }
            Map<String, AttributeValue> item = new HashMap<>(all.get(i));
            if (i % 20 == 5) {
                item.put("changed", s("in the target only"));
                changed++;
            }
            targetItems.add(item);
        }
        int extras = 150;
        for (int i = 0; i < extras; i++) {
            targetItems.add(Map.of("pk", s("extra#" + i), "sk", n(String.valueOf(i))));
        }
        CopyFixtures.putParallel(other.client(), target, targetItems);
        List<Fault> mixed = List.of(Fault.throughputExceeded(), Fault.throttling(), Fault.internalServerError(),
                Fault.serviceUnavailable(), Fault.resetBefore(), Fault.resetAfter(), Fault.damaged(), Fault.delay(SHORT_DELAY_MILLIS));
        List<Fault> mixedWrites = new ArrayList<>(mixed);
        mixedWrites.add(Fault.partialBatch(0.5));
        try (FaultProxy reads = FaultProxy.start(db.endpoint()); FaultProxy writes = FaultProxy.start(other.endpoint())) {
            BiFunction<String, Long, Fault> sourceFaults = every("Scan", 2, mixed.toArray(Fault[]::new)).get();
            // With 10,000 items (pages of 100), one Scan call in 4 on each side, one BatchGetItem call in 2 (of 15) and one
            // BatchWriteItem call in 2 (of 66) were faulted. Now one Scan call in 2 (of about 50 a side, pages of 50), and two
            // in 3 of the 6 BatchGetItem calls that 600 items need and of the 30 BatchWriteItem calls of 750 writes and
            // deletes (each retried about twice): about as many faults of each (asserted below).
            BiFunction<String, Long, Fault> sourceGets = allBut("BatchGetItem", 3, mixed.toArray(Fault[]::new)).get();
            reads.policy((op, n) -> op.equals("BatchGetItem") ? sourceGets.apply(op, n) : sourceFaults.apply(op, n));
            BiFunction<String, Long, Fault> targetScans = every("Scan", 2, mixed.toArray(Fault[]::new)).get();
            BiFunction<String, Long, Fault> targetWrites = allBut("BatchWriteItem", 3, mixedWrites.toArray(Fault[]::new)).get();
            writes.policy((op, n) -> op.equals("Scan") ? targetScans.apply(op, n) : targetWrites.apply(op, n));

            CommandResult result = Cli.isolated(home).run("copy", "-t", source, "--target-table", target,
                    "--source", reads.env(), "--target", writes.env(), "--yes", "--backup", "none",
                    "--summary", "json", "--no-progress", "--backup-dir", work.toString(),
                    "--page-size", PAGE_SIZE, "--request-timeout", REQUEST_TIMEOUT, "--max-retries", "30");

            Map<String, Long> injected = new TreeMap<>(reads.injected());
            injected.putAll(writes.injected());
            assertThat(result.exitCode()).as("%s\ninjected: %s", result, injected).isZero();
            assertThat(injected.keySet()).as("every kind of call was faulted: %s", injected)
                    .anyMatch(key -> key.startsWith("BatchGetItem:")).anyMatch(key -> key.startsWith("Scan:"))
                    .anyMatch(key -> key.startsWith("BatchWriteItem:"));
            assertThat(counted(reads.injected(), "", "BatchGetItem:")).as("faults on BatchGetItem: %s", injected)
                    .isGreaterThanOrEqualTo(8);
            assertThat(counted(writes.injected(), "", "BatchWriteItem:")).as("faults on BatchWriteItem: %s", injected)
                    .isGreaterThanOrEqualTo(25);
            assertThat(counted(injected, "", "Scan:")).as("faults on both sides' Scans: %s", injected).isGreaterThanOrEqualTo(30);
            JsonNode summary = JSON.readTree(result.stdout());
            assertThat(summary.get("written").asLong()).isEqualTo(changed + missing);
            assertThat(summary.get("deleted").asLong()).isEqualTo(extras);
            assertThat(summary.get("unchanged").asLong()).isEqualTo(ITEMS - changed - missing);
            assertThat(summary.get("failed").asLong()).isZero();
            assertThat(summary.get("retried").asLong()).isPositive();
            assertThat(CopyFixtures.itemsByKey(other.client(), target, KEYS, 4)).as("the target, item by item").isEqualTo(sourceItems);
        } finally {
            other.client().deleteTable(b -> b.tableName(target));
        }
    }

    /**
     * Items that differ when both sides are compared and are deleted from the source before the copy reads them again
     * (here: by another writer, the moment the first BatchGetItem arrives): the target must not keep them either.
     */
    @Test
    void replaceByDifference_deletesFromTheTarget_whatVanishedFromTheSourceSinceTheComparison() throws IOException {
        int count = 2_000;
        String sourceTable = smallSource(count);
        String target = emptyTarget();
        List<Map<String, AttributeValue>> all = items(count);
        List<Map<String, AttributeValue>> targetItems = new ArrayList<>();
        List<Map<String, AttributeValue>> toVanish = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Map<String, AttributeValue> item = new HashMap<>(all.get(i));
            if (i % 50 == 1) {
                continue; // missing from the target
            }
            if (i % 50 == 2) {
                item.put("changed", s("in the target only"));
                if (toVanish.size() < 10) {
                    toVanish.add(Map.of("pk", item.get("pk"), "sk", item.get("sk")));
                }
            }
            targetItems.add(item);
        }
        CopyFixtures.putParallel(other.client(), target, targetItems);
        try (FaultProxy reads = FaultProxy.start(db.endpoint())) {
            reads.policy(onCall("BatchGetItem", 1, () -> toVanish.forEach(key ->
                    db.client().deleteItem(b -> b.tableName(sourceTable).key(key)))));

            CommandResult result = Cli.isolated(home).run("copy", "-t", sourceTable, "--target-table", target, "--source",
                    reads.env(), "--target", other.env(), "--yes", "--backup", "none", "--summary", "json", "--no-progress",
                    "--backup-dir", work.toString());

            assertThat(result.exitCode()).as("%s", result).isZero();
            assertThat(CopyFixtures.itemsByKey(other.client(), target, KEYS)).as("the target, item by item")
                    .isEqualTo(CopyFixtures.itemsByKey(db.client(), sourceTable, KEYS)).hasSize(count - 10);
            JsonNode summary = JSON.readTree(result.stdout());
            assertThat(summary.get("written").asLong()).isEqualTo(40 + 40 - 10);
            assertThat(summary.get("deleted").asLong()).isEqualTo(10);
        } finally {
            db.client().deleteTable(b -> b.tableName(sourceTable));
            other.client().deleteTable(b -> b.tableName(target));
        }
    }

    /** The calls that failed as far as the tool can tell (all but the short delays): each is retried once. */
    private static long retriesNeeded(Map<String, Long> injected) {
        return injected.entrySet().stream().filter(e -> !e.getKey().endsWith(":DELAY(" + SHORT_DELAY_MILLIS + "ms)"))
                .mapToLong(Map.Entry::getValue).sum();
    }

    /** The faults injected whose name ends with {@code suffix} ("" for all). */
    private static long counted(Map<String, Long> injected, String suffix) {
        return counted(injected, suffix, "");
    }

    /** The faults injected on calls whose name starts with {@code prefix} (e.g. "Scan:") and ends with {@code suffix}. */
    private static long counted(Map<String, Long> injected, String suffix, String prefix) {
        return injected.entrySet().stream().filter(e -> e.getKey().startsWith(prefix) && e.getKey().endsWith(suffix))
                .mapToLong(Map.Entry::getValue).sum();
    }

    /** Throttling errors and partly processed batches: the retries that count as throttles. */
    private static long throttles(Map<String, Long> injected) {
        return injected.entrySet().stream().filter(e -> THROTTLING.contains(e.getKey().substring(e.getKey().indexOf(':') + 1)))
                .mapToLong(Map.Entry::getValue).sum();
    }

    // --- faults that retrying cannot fix: the copy stops with one line that says what to do ---

    /** A small source of its own, for the cases that delete tables. */
    private static String smallSource(int count) {
        String table = TestTables.table("gone").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.N)
                .create(db.client());
        CopyFixtures.putParallel(db.client(), table, items(count));
        return table;
    }

    private static String emptyTarget() {
        return TestTables.table("gone").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.N)
                .create(other.client());
    }

    /** On the {@code nth} call of {@code operation}, runs {@code action} first, then forwards the call. */
    private static BiFunction<String, Long, Fault> onCall(String operation, int nth, Runnable action) {
        AtomicLong seen = new AtomicLong();
        AtomicBoolean done = new AtomicBoolean();
        return (op, n) -> {
            if (op.equals(operation) && seen.incrementAndGet() >= nth && done.compareAndSet(false, true)) {
                action.run();
            }
            return Fault.NONE;
        };
    }

    private CommandResult copy(String from, String to, String sourceTable, String targetTable) {
        return Cli.isolated(home).fail(1, "copy", "-t", sourceTable, "--target-table", targetTable, "--source", from, "--target", to,
                "--summary", "json", "--no-progress", "--backup-dir", work.toString(), "--page-size", "100", "--threads", "4");
    }

    /**
     * What a copy stopped by a fault leaves for the run that follows: the line that ends it says how
     * far it got and that the target is left part way. The checks of the copy's checkpoint (a valid
     * checkpoint exists, naming the source, the target and the acknowledged pages) belong here.
     */
    private void assertResumableStop(CommandResult result) {
        assertThat(result.stderr()).as("%s", result).contains("; the copy stopped: ").contains(" items written and 0 deleted");
    }

    @Test
    void stopsWithOneLine_whenTheSourceTableDisappearsMidCopy() {
        String sourceTable = smallSource(3_000);
        String target = emptyTarget();
        try (FaultProxy proxy = FaultProxy.start(db.endpoint())) {
            // By the 20th Scan, at most 8 pages are queued or held by blocked readers and 4 in the writers' hands: some are written.
            proxy.policy(onCall("Scan", 20, () -> db.client().deleteTable(b -> b.tableName(sourceTable))));

            CommandResult result = copy(proxy.env(), other.env(), sourceTable, target);

            assertThat(result.stderr()).startsWith("dynamo: table not found in '" + proxy.env() + "' (us-east-1) while scanning "
                    + "table '" + sourceTable + "' (ResourceNotFoundException): it was deleted while the command ran, or the name or "
                    + "environment is wrong; list the tables there with: dynamo tables -e " + proxy.env() + "; the copy stopped: ");
            assertResumableStop(result);
        } finally {
            other.client().deleteTable(b -> b.tableName(target));
        }
    }

    @Test
    void stopsWithOneLine_whenTheTargetTableIsDeletedMidCopy() {
        String sourceTable = smallSource(3_000);
        String target = emptyTarget();
        try (FaultProxy proxy = FaultProxy.start(other.endpoint())) {
            proxy.policy(onCall("BatchWriteItem", 40, () -> other.client().deleteTable(b -> b.tableName(target))));

            CommandResult result = copy(db.env(), proxy.env(), sourceTable, target);

            assertThat(result.stderr()).startsWith("dynamo: table not found in '" + proxy.env() + "' (us-east-1) while writing to "
                    + "table '" + target + "' (ResourceNotFoundException): it was deleted while the command ran, or the name or "
                    + "environment is wrong; list the tables there with: dynamo tables -e " + proxy.env() + "; the copy stopped: ");
            assertResumableStop(result);
        } finally {
            db.client().deleteTable(b -> b.tableName(sourceTable));
        }
    }

    @Test
    void stopsWithOneLine_whenTheCredentialsExpireMidCopy() {
        String target = emptyTarget();
        try (FaultProxy proxy = FaultProxy.start(other.endpoint())) {
            AtomicLong writes = new AtomicLong();
            proxy.policy((op, n) -> op.equals("BatchWriteItem") && writes.incrementAndGet() >= 60 ? Fault.expiredToken() : Fault.NONE);

            CommandResult result = copy(db.env(), proxy.env(), source, target);

            assertThat(result.stderr()).startsWith("dynamo: the credentials for '" + proxy.env() + "' (us-east-1) have expired "
                    + "(ExpiredTokenException) while writing to table '" + target + "': refresh them (aws sso login --profile ..., "
                    + "or new session keys) and run again; the copy stopped: ");
            assertResumableStop(result);
            assertThat(proxy.injected().get("BatchWriteItem:ExpiredTokenException")).as("not retried: at most one per writer")
                    .isBetween(1L, 4L);
        } finally {
            other.client().deleteTable(b -> b.tableName(target));
        }
    }

    @Test
    void stopsWithOneLine_whenTheSourceCredentialsExpireMidCopy() {
        String target = emptyTarget();
        try (FaultProxy proxy = FaultProxy.start(db.endpoint())) {
            AtomicLong scans = new AtomicLong();
            proxy.policy((op, n) -> op.equals("Scan") && scans.incrementAndGet() >= 20 ? Fault.expiredToken() : Fault.NONE);

            CommandResult result = copy(proxy.env(), other.env(), source, target);

            assertThat(result.stderr()).startsWith("dynamo: the credentials for '" + proxy.env() + "' (us-east-1) have expired "
                    + "(ExpiredTokenException) while scanning table '" + source + "': refresh them (aws sso login --profile ..., "
                    + "or new session keys) and run again; the copy stopped: ");
            assertResumableStop(result);
        } finally {
            other.client().deleteTable(b -> b.tableName(target));
        }
    }
}
