package dev.dynamo.copy;

import static dev.dynamo.testing.CopyFixtures.s;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.DynamoException;
import dev.dynamo.ExitCode;
import dev.dynamo.env.Environment;
import dev.dynamo.env.EnvironmentResolver;
import dev.dynamo.env.EnvironmentSpec;
import dev.dynamo.query.QuerySpec;
import dev.dynamo.query.SortKeyCondition;
import dev.dynamo.testing.CopyFixtures;
import dev.dynamo.testing.EngineTest;
import dev.dynamo.testing.LocalDynamoDb;
import dev.dynamo.testing.LocalEngineExtension;
import dev.dynamo.testing.TestTables;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** The engine as a library: a program opens two environments and copies a table in a few lines. */
@EngineTest
class CopyLibraryTest {
    @TempDir
    Path home;

    @Test
    void copiesATableInAFewLines(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other) {
        String orders = TestTables.table("lib").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.S)
                .create(db.client());
        TestTables.put(db.client(), orders, List.of(Map.of("pk", s("c#1"), "sk", s("2024-01")), Map.of("pk", s("c#1"), "sk", s("2023-12")),
                Map.of("pk", s("c#2"), "sk", s("2024-02"))));
        String copyName = TestTables.uniqueName("lib-copy");

        // What the README shows (with the test's servers and tables):
        EnvironmentResolver environments = new EnvironmentResolver(Map.of(), home); // EnvironmentResolver.create() in a program
        Environment prod = environments.resolve(EnvironmentSpec.of(db.env()));
        Environment dev = environments.resolve(EnvironmentSpec.of(other.env()));
        CopyPlan plan = CopyPlan.builder(orders).targetTable(copyName).createTable(true).build();
        try (CopyJob job = CopyJob.prepare(prod, dev, plan)) {
            CopyStats stats = job.run();
            assertThat(stats.written()).isEqualTo(3);
            assertThat(stats.tableCreated()).isTrue();
        }

        CopyFixtures.assertSameItems(db.client(), orders, other.client(), copyName, List.of("pk", "sk"));

        // A selection, merged: one customer's 2024 items.
        QuerySpec customer = QuerySpec.partition(orders, "c#1").withSortKey(SortKeyCondition.of(SortKeyCondition.Operator.BEGINS_WITH, "2024"));
        String selected = TestTables.table("lib-selected").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.S)
                .create(other.client());
        try (CopyJob job = CopyJob.prepare(prod, dev, CopyPlan.builder(orders).targetTable(selected).selection(customer)
                .mode(CopyMode.MERGE).build())) {
            assertThat(job.preview().deletes()).isFalse();
            assertThat(job.run().written()).isEqualTo(1);
        }
    }

    @Test
    void previewTellsWhetherTheCopyDeletes_beforeAnythingChanges(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other) {
        String source = TestTables.table("lib").partitionKey("pk", ScalarAttributeType.S).create(db.client());
        String target = TestTables.table("lib").partitionKey("pk", ScalarAttributeType.S).create(other.client());
        TestTables.put(other.client(), target, List.of(Map.of("pk", s("keep-me"))));
        EnvironmentResolver environments = new EnvironmentResolver(Map.of(), home);

        try (CopyJob job = CopyJob.prepare(environments.resolve(EnvironmentSpec.of(db.env())),
                environments.resolve(EnvironmentSpec.of(other.env())), CopyPlan.builder(source).targetTable(target).build())) {
            CopyPreview preview = job.preview();
            assertThat(preview.deletes()).isTrue();
            assertThat(preview.backup()).isEqualTo(BackupMode.AUTO);
            assertThat(preview.targetHasItems()).isTrue();
            // The caller decides; here it does not go on.
        }
        assertThat(TestTables.scanAll(other.client(), target)).hasSize(1);
    }

    @Test
    void refusesToCopyATableOntoItself(LocalDynamoDb db) {
        String table = TestTables.table("lib").partitionKey("pk", ScalarAttributeType.S).create(db.client());
        Environment local = new EnvironmentResolver(Map.of(), home).resolve(EnvironmentSpec.of(db.env()));
        try {
            CopyJob.prepare(local, local, CopyPlan.builder(table).build()).close();
            throw new AssertionError("expected a refusal");
        } catch (DynamoException e) {
            assertThat(e.getMessage()).startsWith("the source and the target are the same table");
        }
    }

    @Test
    void interruptingACopyStopsEveryWorker_andSaysWhatTheTargetHolds(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other)
            throws InterruptedException {
        String source = TestTables.table("lib").partitionKey("pk", ScalarAttributeType.S).create(db.client());
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            items.add(Map.of("pk", s("k" + i)));
        }
        CopyFixtures.putParallel(db.client(), source, items);
        String target = TestTables.table("lib").partitionKey("pk", ScalarAttributeType.S).create(other.client());
        EnvironmentResolver environments = new EnvironmentResolver(Map.of(), home);
        // 2,000 WCU at 400 WCU/s: five seconds, interrupted after one.
        CopyPlan plan = CopyPlan.builder(source).targetTable(target).maxWriteUnitsPerSecond(400).build();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean interruptRestored = new AtomicBoolean();
        Thread copying = new Thread(() -> {
            try (CopyJob job = CopyJob.prepare(environments.resolve(EnvironmentSpec.of(db.env())),
                    environments.resolve(EnvironmentSpec.of(other.env())), plan)) {
                job.run();
            } catch (Throwable t) {
                thrown.set(t);
            }
            interruptRestored.set(Thread.currentThread().isInterrupted());
        });
        copying.start();
        Thread.sleep(1500);
        long start = System.nanoTime();
        copying.interrupt();
        copying.join(30_000);

        assertThat(copying.isAlive()).isFalse();
        assertThat((System.nanoTime() - start) / 1e9).as("seconds to stop").isLessThan(5);
        assertThat(thrown.get()).isInstanceOf(DynamoException.class);
        DynamoException stopped = (DynamoException) thrown.get();
        assertThat(stopped.exitCode()).isEqualTo(ExitCode.INTERRUPTED);
        assertThat(stopped.getMessage()).matches("interrupted: [0-9,]+ items written and 0 deleted; table '" + target + "' in '"
                + Pattern.quote(other.env()) + "' \\(us-east-1\\) is left part way, neither as it was nor a full copy");
        assertThat(interruptRestored).isTrue();
        Thread.sleep(200);
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(thread -> thread.getName().startsWith("dynamo-copy") && thread.isAlive());
        int written = TestTables.scanAll(other.client(), target).size();
        assertThat(written).isBetween(1, 1999);
    }
}
