package dev.dynamo.spark;

import static dev.dynamo.testing.CopyFixtures.s;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * {@code dynamo-spark copy} on a local master with task retries ({@code local[2,2]}: two slots, a task may fail once)
 * between two local engines: exact item by item with every attribute type, through throttling and lost answers, through
 * a task that fails part way, and under a whole-job --max-wcu. On the test JVM's one context ({@link SparkTestContext}).
 */
@EngineTest
class SparkCopyTest {
    private static JavaSparkContext spark;

    @TempDir
    Path home;


    @BeforeAll
    static void startSpark() {
        spark = SparkTestContext.get();
    }

    private SparkRun run(String... args) {
        return SparkRun.of(home, args);
    }

    private SparkRun copy(String source, String target, String table, String targetTable, String... more) {
        List<String> args = new ArrayList<>(List.of("copy", "-t", table, "--source", source, "--target", target,
                "--target-table", targetTable, "--summary", "json", "--no-progress",
                "--checkpoint", home.resolve("checkpoint").toString(), "--dead-letter", home.resolve("dead").toString()));
        args.addAll(Arrays.asList(more));
        return run(args.toArray(String[]::new));
    }

    private static String mixedSource(LocalDynamoDb db, int items) {
        String source = TestTables.table("spark").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.N)
                .create(db.client());
        CopyFixtures.putParallel(db.client(), source, CopyFixtures.mixedItems(items, 37));
        return source;
    }

    @Test
    void copiesEveryItemExactly_everyAttributeType_intoACreatedTable(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other)
            throws Exception {
        String source = mixedSource(db, 300); // every 10th item holds every attribute type
        String target = TestTables.uniqueName("spark-copy");

        SparkRun result = copy(db.env(), other.env(), source, target, "--create-table", "--segments", "5");

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.summary().path("written").asLong()).isEqualTo(300);
        assertThat(result.summary().path("segments").asInt()).isEqualTo(5);
        assertThat(result.summary().path("tableCreated").asBoolean()).isTrue();
        CopyFixtures.assertSameItems(db.client(), source, other.client(), target, List.of("pk", "sk"));
        assertThat(home.resolve("checkpoint")).as("a finished job removes its checkpoint").doesNotExist();
    }

    @Test
    void copiesExactly_throughThrottlingAndLostAnswers(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other)
            throws Exception {
        String source = mixedSource(db, 400);
        String target = TestTables.table("spark-faults").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.N)
                .create(other.client());
        try (FaultProxy from = FaultProxy.start(db.endpoint()).policy((operation, n) -> operation.equals("Scan") && n % 4 == 1
                        ? Fault.throttling() : Fault.NONE);
                FaultProxy to = FaultProxy.start(other.endpoint()).policy((operation, n) -> !operation.equals("BatchWriteItem")
                        ? Fault.NONE : n % 5 == 1 ? Fault.throughputExceeded() : n % 5 == 3 ? Fault.resetAfter() : Fault.NONE)) {
            SparkRun result = copy(from.env(), to.env(), source, target, "--mode", "merge", "--segments", "4", "--page-size", "50",
                    "--request-timeout", "5");

            assertThat(result.exitCode()).as("%s", result).isZero();
            assertThat(from.injectedTotal()).isPositive();
            assertThat(to.injectedTotal()).isPositive();
            assertThat(result.summary().path("retried").asLong()).isGreaterThanOrEqualTo(from.injectedTotal() + to.injectedTotal());
            assertThat(result.summary().path("failed").asLong()).isZero();
        }
        CopyFixtures.assertSameItems(db.client(), source, other.client(), target, List.of("pk", "sk"));
    }

    @Test
    void copiesExactly_whenATaskFailsPartWayAndSparkRetriesIt(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other)
            throws Exception {
        String source = mixedSource(db, 200);
        String target = TestTables.table("spark-retry").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.N)
                .create(other.client());
        System.setProperty(SegmentCopyTask.FAIL_FIRST_ATTEMPT_PROPERTY, "2");
        SparkRun result;
        try {
            result = copy(db.env(), other.env(), source, target, "--mode", "merge", "--segments", "4", "--page-size", "20");
        } finally {
            System.clearProperty(SegmentCopyTask.FAIL_FIRST_ATTEMPT_PROPERTY);
        }

        assertThat(result.exitCode()).as("%s", result).isZero();
        // The failed attempt's counts are not kept: each item counted once, from the successful attempts.
        assertThat(result.summary().path("written").asLong()).isEqualTo(200);
        assertThat(result.summary().path("scanned").asLong()).isEqualTo(200);
        CopyFixtures.assertSameItems(db.client(), source, other.client(), target, List.of("pk", "sk"));
    }

    @Test
    void maxWcuHoldsForTheWholeJob_withinTenPercent(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other) throws Exception {
        // 1,600 items of about 900 bytes: 1 WCU each; at 400 WCU/s about 4 s of writes, 4 segments on 2 slots.
        String source = TestTables.table("spark-rate").partitionKey("pk", ScalarAttributeType.S).create(db.client());
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int i = 0; i < 1_600; i++) {
            items.add(Map.of("pk", s(String.format("k%05d", i)), "data", s("d".repeat(880))));
        }
        CopyFixtures.putParallel(db.client(), source, items);
        String target = TestTables.table("spark-rate-copy").partitionKey("pk", ScalarAttributeType.S).create(other.client());
        ConcurrentLinkedQueue<Long> writes = new ConcurrentLinkedQueue<>();
        try (FaultProxy to = FaultProxy.start(other.endpoint()).observe((operation, body) -> {
            if (operation.equals("BatchWriteItem")) {
                writes.add(System.nanoTime());
            }
        })) {
            SparkRun result = copy(db.env(), to.env(), source, target, "--mode", "merge", "--segments", "4", "--max-wcu", "400",
                    "--page-size", "100");

            assertThat(result.exitCode()).as("%s", result).isZero();
            JsonNode summary = result.summary();
            assertThat(summary.path("writeUnitsMeasured").asBoolean()).isTrue();
            double units = summary.path("writeUnits").asDouble();
            assertThat(units).isCloseTo(1_600, org.assertj.core.data.Percentage.withPercentage(5));
            // From the first batch sent to the last: the rate of the whole job, whatever the tasks' number.
            long first = writes.stream().mapToLong(Long::longValue).min().orElseThrow();
            long last = writes.stream().mapToLong(Long::longValue).max().orElseThrow();
            double rate = units / ((last - first) / 1e9);
            assertThat(rate).as("WCU/s of the whole job").isBetween(360.0, 440.0);
        }
        CopyFixtures.assertSameItems(db.client(), source, other.client(), target, List.of("pk"));
    }
}
