package dev.dynamo.spark;

import static dev.dynamo.testing.CopyFixtures.n;
import static dev.dynamo.testing.CopyFixtures.s;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dynamo.testing.CopyFixtures;
import dev.dynamo.testing.EngineTest;
import dev.dynamo.testing.Fault;
import dev.dynamo.testing.FaultProxy;
import dev.dynamo.testing.LocalDynamoDb;
import dev.dynamo.testing.LocalEngineExtension;
import dev.dynamo.testing.TestTables;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * {@code dynamo-spark verify} between two local engines, on the test JVM's one context ({@link SparkTestContext}): the
 * command line's counts, keys, attribute paths and exit codes for identical tables (every attribute type) and for
 * tables with missing, extra and different items (a type-only change, a change deep in a map); the same counts through
 * throttled Scans and lost answers on both sides, and when a scan task fails part way and Spark runs it again; and a
 * scan that returns a key twice fails the job.
 */
@EngineTest
class SparkVerifyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static JavaSparkContext spark;

    @TempDir
    Path home;


    @BeforeAll
    static void startSpark() {
        spark = SparkTestContext.get();
    }

    private SparkRun verify(String source, String target, String table, String targetTable, String... more) {
        List<String> args = new ArrayList<>(List.of("verify", "-t", table, "--source", source, "--target", target,
                "--target-table", targetTable, "--no-progress", "--partitions", "3"));
        args.addAll(Arrays.asList(more));
        if (!args.contains("--segments")) {
            args.addAll(List.of("--segments", "3"));
        }
        return SparkRun.of(home, args.toArray(String[]::new));
    }

    private static String table(LocalDynamoDb db, String prefix, List<Map<String, AttributeValue>> items) {
        String table = TestTables.table(prefix).partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.N)
                .create(db.client());
        CopyFixtures.putParallel(db.client(), table, items);
        return table;
    }

    @Test
    void identicalTables_everyAttributeType_exit0(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other) {
        List<Map<String, AttributeValue>> items = CopyFixtures.mixedItems(300, 37); // every 10th holds every attribute type
        String source = table(db, "spark-verify", items);
        String target = table(other, "spark-verify-same", items);

        SparkRun result = verify(db.env(), other.env(), source, target);

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.err()).isEmpty();
        assertThat(result.out().lines().toList()).contains("Identical: 300 items", "Missing:   0 items", "Extra:     0 items",
                "Different: 0 items").anySatisfy(line -> assertThat(line).startsWith("Result:    IDENTICAL ("));
    }

    /** A source of 200 items and a target with 3 of them missing, 2 extra and 2 different (a type only, deep in a map). */
    private record DifferentTables(String source, String target) {
        static DifferentTables create(LocalDynamoDb db, LocalDynamoDb other) {
            List<Map<String, AttributeValue>> items = new ArrayList<>(CopyFixtures.mixedItems(200, 37));
            items.set(1, Map.of("pk", s("p1"), "sk", n("1"), "v", s("1")));
            items.set(2, Map.of("pk", s("p2"), "sk", n("2"), "v", n("1.50")));
            String source = table(db, "spark-verify-diff", items);
            List<Map<String, AttributeValue>> targetItems = new ArrayList<>(items);
            targetItems.set(1, Map.of("pk", s("p1"), "sk", n("1"), "v", n("1"))); // a string "1" and a number 1 differ
            targetItems.set(2, Map.of("pk", s("p2"), "sk", n("2"), "v", n("1.5"))); // the same number
            Map<String, AttributeValue> deep = new HashMap<>(items.get(10));
            deep.put("map", AttributeValue.fromM(Map.of("inner", AttributeValue.fromM(Map.of("deep", AttributeValue.fromNs(List.of("8")),
                    "empty", s(""))), "when", n("10"))));
            targetItems.set(10, deep);
            targetItems.remove(7); // missing: p5/5, p6/6, p7/7
            targetItems.remove(6);
            targetItems.remove(5);
            targetItems.add(Map.of("pk", s("zz"), "sk", n("0.5"), "v", s("extra")));
            targetItems.add(Map.of("pk", s("p0"), "sk", n("-1"), "v", s("extra")));
            return new DifferentTables(source, table(other, "spark-verify-diff-target", targetItems));
        }

        /** The command line's JSON summary of these tables' differences, exactly. */
        static void assertSummary(SparkRun json) throws Exception {
            assertThat(json.exitCode()).as("%s", json).isEqualTo(1);
            assertThat(json.err()).isEmpty();
            JsonNode summary = json.summary();
            assertThat(summary.path("identical").asBoolean()).isFalse();
            assertThat(summary.path("sourceItems").asLong()).isEqualTo(200);
            assertThat(summary.path("targetItems").asLong()).isEqualTo(199);
            assertThat(summary.path("identicalItems").asLong()).isEqualTo(195);
            assertThat(summary.path("missing").asLong()).isEqualTo(3);
            assertThat(summary.path("extra").asLong()).isEqualTo(2);
            assertThat(summary.path("different").asLong()).isEqualTo(2);
            assertThat(summary.path("missingKeys").toString())
                    .isEqualTo("[{\"pk\":\"p5\",\"sk\":5},{\"pk\":\"p6\",\"sk\":6},{\"pk\":\"p7\",\"sk\":7}]");
            assertThat(summary.path("extraKeys").toString()).isEqualTo("[{\"pk\":\"p0\",\"sk\":-1},{\"pk\":\"zz\",\"sk\":0.5}]");
            assertThat(summary.path("differentItems").toString()).isEqualTo("[{\"key\":{\"pk\":\"p1\",\"sk\":1},\"attributes\":[\"v\"]},"
                    + "{\"key\":{\"pk\":\"p10\",\"sk\":10},\"attributes\":[\"map.inner.deep\"]}]");
        }
    }

    @Test
    void missingExtraAndDifferentItems_theCommandLinesCountsKeysAndPaths_exit1(LocalDynamoDb db,
            @LocalEngineExtension.Second LocalDynamoDb other) throws Exception {
        DifferentTables tables = DifferentTables.create(db, other);
        String source = tables.source();
        String target = tables.target();

        DifferentTables.assertSummary(verify(db.env(), other.env(), source, target, "--summary", "json"));

        SparkRun text = verify(db.env(), other.env(), source, target, "--show", "1");

        assertThat(text.exitCode()).as("%s", text).isEqualTo(1);
        assertThat(text.out().lines().toList()).containsSubsequence(
                "Identical: 195 items",
                "Missing:   3 items in the source only",
                "  {\"pk\":\"p5\",\"sk\":5}",
                "  ... and 2 more (list more with --show N)",
                "Extra:     2 items in the target only",
                "  {\"pk\":\"p0\",\"sk\":-1}",
                "  ... and 1 more (list more with --show N)",
                "Different: 2 items with the same key",
                "  {\"pk\":\"p1\",\"sk\":1}  differs in v",
                "  ... and 1 more (list more with --show N)")
                .anySatisfy(line -> assertThat(line).startsWith("Result:    DIFFERENT: 3 missing, 2 extra, 2 different ("));
    }

    @Test
    void theSameCounts_throughThrottlingAndLostAnswersOnBothSidesScans(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other)
            throws Exception {
        List<Map<String, AttributeValue>> items = CopyFixtures.mixedItems(200, 37);
        String same = table(db, "spark-verify-faults", items);
        String sameTarget = table(other, "spark-verify-faults-same", items);
        DifferentTables different = DifferentTables.create(db, other);
        // On either side, of the requests that are Scans, one in five throttled and one in five answered but the answer
        // lost (the connection reset after DynamoDB answered).
        try (FaultProxy from = FaultProxy.start(db.endpoint()).policy(SparkVerifyTest::throttledAndLostScans);
                FaultProxy to = FaultProxy.start(other.endpoint()).policy(SparkVerifyTest::throttledAndLostScans);
                FailedAttempts failures = FailedAttempts.watch(spark)) {
            SparkRun identical = verify(from.env(), to.env(), same, sameTarget, "--page-size", "25", "--summary", "json");
            long injected = from.injectedTotal() + to.injectedTotal();

            assertThat(identical.exitCode()).as("%s", identical).isZero();
            assertThat(identical.err()).isEmpty();
            JsonNode summary = identical.summary();
            assertThat(summary.path("identical").asBoolean()).isTrue();
            assertThat(summary.path("sourceItems").asLong()).isEqualTo(200);
            assertThat(summary.path("targetItems").asLong()).isEqualTo(200);
            assertThat(summary.path("identicalItems").asLong()).isEqualTo(200);
            assertThat(from.injected()).containsOnlyKeys("Scan:ThrottlingException", "Scan:RESET_AFTER");
            assertThat(to.injected()).containsOnlyKeys("Scan:ThrottlingException", "Scan:RESET_AFTER");
            assertThat(summary.path("retried").asLong()).isGreaterThanOrEqualTo(injected);

            SparkRun differences = verify(from.env(), to.env(), different.source(), different.target(), "--page-size", "25",
                    "--summary", "json");

            DifferentTables.assertSummary(differences);
            assertThat(from.injectedTotal() + to.injectedTotal()).as("faults in the second verification").isGreaterThan(injected);
            assertThat(differences.summary().path("retried").asLong()).isGreaterThanOrEqualTo(from.injectedTotal() + to.injectedTotal()
                    - injected);
            assertThat(failures.reasons()).as("task attempts that failed: every fault is retried inside its task").isEmpty();
        }
    }

    private static Fault throttledAndLostScans(String operation, long n) {
        return !operation.equals("Scan") ? Fault.NONE : n % 5 == 1 ? Fault.throttling() : n % 5 == 3 ? Fault.resetAfter() : Fault.NONE;
    }

    @Test
    void theSameCounts_whenADigestScanTaskFailsAfterItsFirstPage_andSparkRunsItAgain(LocalDynamoDb db,
            @LocalEngineExtension.Second LocalDynamoDb other) throws Exception {
        DifferentTables tables = DifferentTables.create(db, other);
        // Task 4 is the target's segment 1 (3 source segments, then the target's): its first attempt emits a page of
        // keys, then fails. Only its second attempt's output may reach the shuffle, or those keys count twice.
        System.setProperty(DigestScanTask.FAIL_FIRST_ATTEMPT_PROPERTY, "4");
        SparkRun result;
        List<String> failed;
        try (FailedAttempts failures = FailedAttempts.watch(spark)) {
            result = verify(db.env(), other.env(), tables.source(), tables.target(), "--page-size", "20", "--summary", "json");
            failed = failures.reasons();
        } finally {
            System.clearProperty(DigestScanTask.FAIL_FIRST_ATTEMPT_PROPERTY);
        }

        assertThat(failed).as("failed task attempts").singleElement().asString()
                .contains("test hook: the first attempt of digest scan task 4 fails after its first page");
        DifferentTables.assertSummary(result);
    }

    @Test
    void aKeyThatTheScanReturnsTwice_failsWithOneLine_andNoReport(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other) {
        List<Map<String, AttributeValue>> items = CopyFixtures.mixedItems(120, 7);
        String source = table(db, "spark-verify-twice", items);
        String target = table(other, "spark-verify-twice-target", items);
        AtomicReference<JsonNode> firstItem = new AtomicReference<>();
        // The target's last page of its one segment brings back the first item of its first page again: each page is
        // well-formed (counts agree, no key twice in it), only the whole scan repeats a key.
        try (FaultProxy proxy = FaultProxy.start(other.endpoint()).policy((operation, n) -> !operation.equals("Scan") ? Fault.NONE
                : Fault.answered("repeat", true, (request, answer) -> {
                    ObjectNode page = (ObjectNode) JSON.readTree(answer);
                    ArrayNode pageItems = (ArrayNode) page.path("Items");
                    if (!request.contains("ExclusiveStartKey")) {
                        firstItem.set(pageItems.get(0));
                    } else if (!page.has("LastEvaluatedKey") && firstItem.get() != null) {
                        pageItems.add(firstItem.get());
                        page.put("Count", pageItems.size());
                        page.put("ScannedCount", pageItems.size());
                    }
                    return page.toString();
                }))) {
            SparkRun result = verify(db.env(), proxy.env(), source, target, "--segments", "1", "--page-size", "50");

            assertThat(result.exitCode()).as("%s", result).isEqualTo(1);
            assertThat(result.out()).isEmpty();
            assertThat(result.err()).startsWith("dynamo: DynamoDB in ").contains("gave a damaged Scan answer while scanning table '"
                    + target + "': the key {\"pk\":").contains("came twice (1 key in all); nothing is reported; verify again")
                    .hasLineCount(1);
        }
    }
}
