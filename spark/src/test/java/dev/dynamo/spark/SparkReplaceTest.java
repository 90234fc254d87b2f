package dev.dynamo.spark;

import static dev.dynamo.testing.CopyFixtures.n;
import static dev.dynamo.testing.CopyFixtures.s;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dynamo.env.EnvironmentResolver;
import dev.dynamo.testing.CopyFixtures;
import dev.dynamo.testing.EngineTest;
import dev.dynamo.testing.Fault;
import dev.dynamo.testing.FaultProxy;
import dev.dynamo.testing.LocalDynamoDb;
import dev.dynamo.testing.LocalEngineExtension;
import dev.dynamo.testing.TestTables;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * {@code dynamo-spark copy --mode replace} into a target with items: a replace by difference through the digest join,
 * between two local engines on the test JVM's one context ({@link SparkTestContext}). The target ends exactly the
 * source; only the differences are put or deleted (counted in the summary and in the requests the target receives);
 * a rerun finds it already equal; throttling on every call changes nothing; a job that fails part way is resumed by
 * comparing again.
 */
@EngineTest
class SparkReplaceTest {
    private static final Pattern PUT = Pattern.compile("\"PutRequest\"");
    private static final Pattern DELETE = Pattern.compile("\"DeleteRequest\"");
    private static JavaSparkContext spark;

    @TempDir
    Path home;


    @BeforeAll
    static void startSpark() {
        spark = SparkTestContext.get();
    }

    private SparkRun copy(String source, String target, String table, String targetTable, String... more) {
        List<String> args = new ArrayList<>(List.of("copy", "-t", table, "--source", source, "--target", target,
                "--target-table", targetTable, "--no-progress", "--segments", "2", "--yes",
                "--checkpoint", home.resolve("checkpoint").toString(), "--dead-letter", home.resolve("dead").toString()));
        args.addAll(Arrays.asList(more));
        return SparkRun.of(home, args.toArray(String[]::new));
    }

    /**
     * A source of {@code count} items of every attribute type and a target that differs from it: 5 missing, 4 extra, 3
     * changed (a type-only change, a change deep in a map, a plain value); the rest equal.
     */
    private static String[] tables(LocalDynamoDb db, LocalDynamoDb other, int count) {
        List<Map<String, AttributeValue>> items = new ArrayList<>(CopyFixtures.mixedItems(count, 37));
        items.set(1, Map.of("pk", s("p1"), "sk", n("1"), "v", s("1")));
        String source = TestTables.table("spark-replace").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.N)
                .create(db.client());
        CopyFixtures.putParallel(db.client(), source, items);
        List<Map<String, AttributeValue>> targetItems = new ArrayList<>(items);
        targetItems.set(1, Map.of("pk", s("p1"), "sk", n("1"), "v", n("1")));
        Map<String, AttributeValue> deep = new HashMap<>(items.get(20));
        deep.put("map", AttributeValue.fromM(Map.of("inner", AttributeValue.fromM(Map.of("deep", AttributeValue.fromNs(List.of("8")),
                "empty", s(""))), "when", n("20"))));
        targetItems.set(20, deep);
        targetItems.set(33, Map.of("pk", s("p33"), "sk", n("33"), "v", s("old value")));
        for (int i = 0; i < 5; i++) {
            targetItems.remove(40);
        }
        for (int i = 0; i < 4; i++) {
            targetItems.add(Map.of("pk", s("extra" + i), "sk", n(String.valueOf(i)), "v", s("only in the target")));
        }
        String target = TestTables.table("spark-replace-target").partitionKey("pk", ScalarAttributeType.S)
                .sortKey("sk", ScalarAttributeType.N).create(other.client());
        CopyFixtures.putParallel(other.client(), target, targetItems);
        return new String[] {source, target};
    }

    private static FaultProxy countingWrites(LocalDynamoDb other, AtomicLong puts, AtomicLong deletes) {
        return FaultProxy.start(other.endpoint()).observe((operation, body) -> {
            if (operation.equals("BatchWriteItem")) {
                puts.addAndGet(count(PUT, body));
                deletes.addAndGet(count(DELETE, body));
            }
        });
    }

    private static long count(Pattern pattern, String body) {
        Matcher matcher = pattern.matcher(body);
        long count = 0;
        while (matcher.find()) {
            count++;
        }
        return count;
    }

    @Test
    void replacesByDifference_exactlyTheSource_writingOnlyTheDifferences_andARerunFindsItEqual(LocalDynamoDb db,
            @LocalEngineExtension.Second LocalDynamoDb other) throws Exception {
        String[] tables = tables(db, other, 300);
        AtomicLong puts = new AtomicLong();
        AtomicLong deletes = new AtomicLong();
        try (FaultProxy to = countingWrites(other, puts, deletes)) {
            SparkRun result = copy(db.env(), to.env(), tables[0], tables[1], "--summary", "json");

            assertThat(result.exitCode()).as("%s", result).isZero();
            JsonNode summary = result.summary();
            assertThat(summary.path("written").asLong()).isEqualTo(8); // 5 missing, 3 changed
            assertThat(summary.path("deleted").asLong()).isEqualTo(4);
            assertThat(summary.path("unchanged").asLong()).isEqualTo(292);
            assertThat(summary.path("scanned").asLong()).isEqualTo(300);
            assertThat(summary.path("alreadyEqual").asBoolean()).isFalse();
            assertThat(summary.path("failed").asLong()).isZero();
            assertThat(puts.get()).as("items put on the target").isEqualTo(8);
            assertThat(deletes.get()).as("keys deleted from the target").isEqualTo(4);
            CopyFixtures.assertSameItems(db.client(), tables[0], other.client(), tables[1], List.of("pk", "sk"));
            assertThat(home.resolve("checkpoint")).as("a finished job removes its checkpoint").doesNotExist();

            SparkRun again = copy(db.env(), to.env(), tables[0], tables[1]);

            assertThat(again.exitCode()).as("%s", again).isZero();
            assertThat(again.err()).startsWith("dynamo: copied table '" + tables[0] + "' in ")
                    .contains(" on Spark: already equal, 300 items unchanged; nothing written or deleted, ").hasLineCount(1);
            assertThat(puts.get() + deletes.get()).as("writes of the rerun").isEqualTo(12);
        }
    }

    @Test
    void withoutConsent_isRefusedWithExit2_beforeAnythingIsRead(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other) {
        String[] tables = tables(db, other, 60);
        AtomicLong scans = new AtomicLong();
        try (FaultProxy to = FaultProxy.start(other.endpoint()).observe((operation, body) -> {
            if (!operation.equals("DescribeTable")) {
                scans.incrementAndGet();
            }
        })) {
            List<String> args = List.of("copy", "-t", tables[0], "--source", db.env(), "--target", to.env(), "--target-table", tables[1],
                    "--checkpoint", home.resolve("checkpoint").toString());
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = DynamoSpark.execute(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true),
                    master -> spark, new EnvironmentResolver(Map.of(), home));

            assertThat(code).as("%s", err).isEqualTo(2);
            assertThat(err.toString()).startsWith("dynamo: this copy would replace table '" + tables[1] + "' in ")
                    .contains("which needs consent: run it again with --yes").hasLineCount(1);
            assertThat(scans.get()).as("calls other than DescribeTable and the one-item Scan that sees items").isEqualTo(1);
        }
        assertThat(TestTables.scanAll(other.client(), tables[1])).hasSize(59);
    }

    @Test
    void replacesByDifferenceExactly_throughThrottlingOfEveryCall_andSourceItemsChangedOrDeletedAfterTheScan(LocalDynamoDb db,
            @LocalEngineExtension.Second LocalDynamoDb other) throws Exception {
        String[] tables = tables(db, other, 200);
        // Between the comparison and the first read by key: a missing item changes on the source (written as read now), a
        // different one is deleted from it (deleted from the target too, as the command line's DiffCopy does).
        AtomicBoolean changed = new AtomicBoolean();
        Map<String, AttributeValue> vanishing = Map.of("pk", s("p33"), "sk", n("33"));
        // The proxy numbers all requests together: count each operation's own.
        Map<String, AtomicLong> calls = new ConcurrentHashMap<>();
        try (FaultProxy from = FaultProxy.start(db.endpoint()).policy((operation, n) -> {
                    long call = calls.computeIfAbsent("source " + operation, key -> new AtomicLong()).incrementAndGet();
                    return (operation.equals("Scan") || operation.equals("BatchGetItem")) && call % 3 == 1 ? Fault.throttling() : Fault.NONE;
                }).observe((operation, body) -> {
                    if (operation.equals("BatchGetItem") && changed.compareAndSet(false, true)) {
                        TestTables.put(db.client(), tables[0], List.of(Map.of("pk", s("p3"), "sk", n("40"), "v", s("changed since the scan"))));
                        db.client().deleteItem(delete -> delete.tableName(tables[0]).key(vanishing));
                    }
                });
                FaultProxy to = FaultProxy.start(other.endpoint()).policy((operation, n) -> {
                    long call = calls.computeIfAbsent("target " + operation, key -> new AtomicLong()).incrementAndGet();
                    return operation.equals("Scan") && call % 3 == 1 ? Fault.throttling()
                            : operation.equals("BatchWriteItem") && call % 2 == 1 ? Fault.throughputExceeded() : Fault.NONE;
                })) {
            SparkRun result = copy(from.env(), to.env(), tables[0], tables[1], "--summary", "json", "--page-size", "40");

            assertThat(result.exitCode()).as("%s", result).isZero();
            assertThat(from.injected().keySet()).anyMatch(fault -> fault.startsWith("Scan:"))
                    .anyMatch(fault -> fault.startsWith("BatchGetItem:"));
            assertThat(to.injected().keySet()).anyMatch(fault -> fault.startsWith("Scan:"))
                    .anyMatch(fault -> fault.startsWith("BatchWriteItem:"));
            JsonNode summary = result.summary();
            assertThat(summary.path("written").asLong()).isEqualTo(7);
            assertThat(summary.path("deleted").asLong()).isEqualTo(5);
            assertThat(summary.path("unchanged").asLong()).isEqualTo(192);
            assertThat(summary.path("retried").asLong()).isPositive();
        }
        assertThat(changed).isTrue();
        CopyFixtures.assertSameItems(db.client(), tables[0], other.client(), tables[1], List.of("pk", "sk"));
        assertThat(TestTables.scanAll(other.client(), tables[1])).hasSize(199)
                .contains(Map.of("pk", s("p3"), "sk", n("40"), "v", s("changed since the scan")));
    }

    @Test
    void aReplaceThatFailsPartWay_isResumedByComparingAgain(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other)
            throws Exception {
        String[] tables = tables(db, other, 200);
        AtomicBoolean denied = new AtomicBoolean(true);
        AtomicLong writes = new AtomicLong();
        // The first BatchWriteItem goes through, every later one is refused: the job fails part way.
        try (FaultProxy to = FaultProxy.start(other.endpoint()).policy((operation, n) -> denied.get()
                && operation.equals("BatchWriteItem") && writes.incrementAndGet() >= 2 ? Fault.accessDenied() : Fault.NONE)) {
            SparkRun failed = copy(db.env(), to.env(), tables[0], tables[1]);

            assertThat(failed.exitCode()).as("%s", failed).isEqualTo(1);
            assertThat(failed.err()).contains("add --resume").doesNotContain("Exception:").hasLineCount(1);
            assertThat(home.resolve("checkpoint")).as("a failed job keeps its checkpoint").exists();

            denied.set(false);
            SparkRun resumed = copy(db.env(), to.env(), tables[0], tables[1], "--resume", "--summary", "json");

            assertThat(resumed.exitCode()).as("%s", resumed).isZero();
            assertThat(resumed.err()).startsWith("dynamo: resuming the replace by difference of table '" + tables[0] + "'");
            JsonNode summary = resumed.summary();
            assertThat(summary.path("written").asLong() + summary.path("deleted").asLong())
                    .as("what the failed job did is not done again: only what still differs").isBetween(1L, 11L);
            assertThat(summary.path("unchanged").asLong() + summary.path("written").asLong())
                    .as("every source key is unchanged or written").isEqualTo(200);
        }
        CopyFixtures.assertSameItems(db.client(), tables[0], other.client(), tables[1], List.of("pk", "sk"));
        assertThat(home.resolve("checkpoint")).doesNotExist();
    }
}
