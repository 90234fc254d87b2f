package dev.dynamo.verify;

import static dev.dynamo.testing.CopyFixtures.n;
import static dev.dynamo.testing.CopyFixtures.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dynamo.DynamoException;
import dev.dynamo.ExitCode;
import dev.dynamo.env.Environment;
import dev.dynamo.env.EnvironmentResolver;
import dev.dynamo.env.EnvironmentSpec;
import dev.dynamo.testing.CopyFixtures;
import dev.dynamo.testing.EngineTest;
import dev.dynamo.testing.LocalDynamoDb;
import dev.dynamo.testing.LocalEngineExtension;
import dev.dynamo.testing.TestTables;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The verifier as a library, and its memory bound: with a tiny bucket budget and a stale item count
 * (the tables grow after the verifier was prepared, as DynamoDB's six-hour-old count allows), the
 * one planned bucket is split on disk into many, none loaded larger than the budget, and the result
 * is the same as with the default budget.
 */
@EngineTest
class VerifyLibraryTest {
    private static final int ITEMS = 1500;

    @TempDir
    Path home;

    @TempDir
    Path temp;

    private Environment environment(LocalDynamoDb server) {
        return new EnvironmentResolver(Map.of(), home).resolve(EnvironmentSpec.of(server.env()));
    }

    private static List<Map<String, AttributeValue>> items() {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int i = 0; i < ITEMS; i++) {
            items.add(Map.of("pk", s("customer#" + i % 37), "sk", n(String.valueOf(i)), "total", n(i + ".25"), "tags",
                    AttributeValue.fromSs(List.of("t" + i % 5, "all"))));
        }
        return items;
    }

    @Test
    void staysWithinATinyBucketBudget_bySplittingBuckets_andFindsTheSameDifferences(LocalDynamoDb db,
            @LocalEngineExtension.Second LocalDynamoDb other) {
        String source = TestTables.table("verify-lib").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.N)
                .create(db.client());
        String target = TestTables.table("verify-lib").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.N)
                .create(other.client());
        VerifyPlan tiny = VerifyPlan.builder(source).targetTable(target).bucketBytes(VerifyPlan.MIN_BUCKET_BYTES).tempDirectory(temp)
                .threads(4).show(3).build();

        try (TableVerifier verifier = TableVerifier.prepare(environment(db), environment(other), tiny)) {
            // Both tables are empty now: one bucket is planned. Then they fill up.
            List<Map<String, AttributeValue>> items = items();
            CopyFixtures.putParallel(db.client(), source, items);
            List<Map<String, AttributeValue>> changed = new ArrayList<>(items.subList(2, ITEMS));
            changed.set(100, Map.of("pk", changed.get(100).get("pk"), "sk", changed.get(100).get("sk"), "total", n("0")));
            changed.add(Map.of("pk", s("customer#99"), "sk", n("1")));
            CopyFixtures.putParallel(other.client(), target, changed);

            VerifyResult result = verifier.run();

            assertThat(result.sourceItems()).isEqualTo(ITEMS);
            assertThat(result.targetItems()).isEqualTo(ITEMS - 1);
            assertThat(List.of(result.matching(), result.missing(), result.extra(), result.different()))
                    .containsExactly((long) ITEMS - 3, 2L, 1L, 1L);
            assertThat(result.missingKeys()).containsExactly(Map.of("pk", s("customer#0"), "sk", n("0")),
                    Map.of("pk", s("customer#1"), "sk", n("1")));
            assertThat(result.extraKeys()).containsExactly(Map.of("pk", s("customer#99"), "sk", n("1")));
            assertThat(result.differentItems()).containsExactly(new VerifyResult.Difference(Map.of("pk", s("customer#28"), "sk",
                    n("102")), List.of("tags", "total")));
            // About 1500 records of some 30 bytes per side: far more than one budget, so many buckets, none above it.
            assertThat(result.buckets()).isGreaterThan(40);
            assertThat(result.largestBucketBytes()).isPositive().isLessThanOrEqualTo(VerifyPlan.MIN_BUCKET_BYTES);
            assertThat(temp).as("the bucket files are deleted").isEmptyDirectory();

            // The default budget: one bucket, the same answer.
            try (TableVerifier again = TableVerifier.prepare(environment(db), environment(other), VerifyPlan.builder(source)
                    .targetTable(target).tempDirectory(temp).show(3).build())) {
                VerifyResult roomy = again.run();
                assertThat(roomy.buckets()).isEqualTo(1);
                assertThat(roomy).usingRecursiveComparison().ignoringFields("buckets", "largestBucketBytes", "elapsed", "readUnits")
                        .isEqualTo(result);
            }
        }
    }

    @Test
    void stopsWhenInterrupted_andDeletesItsFiles(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other) throws Exception {
        String source = TestTables.table("verify-lib").partitionKey("pk", ScalarAttributeType.S).create(db.client());
        String target = TestTables.table("verify-lib").partitionKey("pk", ScalarAttributeType.S).create(other.client());
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            items.add(Map.of("pk", s("k" + i)));
        }
        TestTables.put(db.client(), source, items);
        // One read unit per second, ten items a page: the read takes many seconds.
        VerifyPlan slow = VerifyPlan.builder(source).targetTable(target).maxReadUnitsPerSecond(1).pageSize(10).threads(1).tempDirectory(temp)
                .build();
        AtomicReference<Thread> runner = new AtomicReference<>();
        try (TableVerifier verifier = TableVerifier.prepare(environment(db), environment(other), slow)) {
            CompletableFuture<Throwable> stopped = CompletableFuture.supplyAsync(() -> {
                runner.set(Thread.currentThread());
                try {
                    verifier.run();
                    return null;
                } catch (RuntimeException e) {
                    return Thread.currentThread().isInterrupted() ? e : new AssertionError("interrupt status lost", e);
                } finally {
                    Thread.interrupted();
                }
            });
            while (verifier.progress().phase() != TableVerifier.Phase.READ || verifier.progress().sourceItems() == 0) {
                TimeUnit.MILLISECONDS.sleep(20);
            }
            runner.get().interrupt();
            Throwable failure = stopped.get(30, TimeUnit.SECONDS);
            assertThat(failure).isInstanceOf(DynamoException.class)
                    .hasMessage("interrupted: the verification stopped; nothing was changed");
            assertThat(((DynamoException) failure).exitCode()).isEqualTo(ExitCode.INTERRUPTED);
            assertThat(temp).as("the bucket files are deleted").isEmptyDirectory();
            assertThatThrownBy(verifier::run).isInstanceOf(IllegalStateException.class).hasMessage("a TableVerifier runs once");
        }
    }
}
