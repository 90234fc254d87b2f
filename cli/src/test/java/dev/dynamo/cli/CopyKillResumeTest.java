package dev.dynamo.cli;

import static dev.dynamo.testing.CopyFixtures.b;
import static dev.dynamo.testing.CopyFixtures.everyType;
import static dev.dynamo.testing.CopyFixtures.n;
import static dev.dynamo.testing.CopyFixtures.s;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.copy.CopyCheckpoint;
import dev.dynamo.copy.CopyPlan;
import dev.dynamo.items.ItemFileReader;
import dev.dynamo.env.EnvironmentResolver;
import dev.dynamo.env.EnvironmentSpec;
import dev.dynamo.testing.Checkpoints;
import dev.dynamo.testing.CopyFixtures;
import dev.dynamo.testing.DynamoProcess;
import dev.dynamo.testing.EngineTest;
import dev.dynamo.testing.LocalDynamoDb;
import dev.dynamo.testing.LocalEngineExtension;
import dev.dynamo.testing.TestTables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * kill -9, the way a crash or an OOM killer ends a copy: a replace by difference of 40,000 items (every
 * attribute type in one of 16) over a target with 8,000 items (6,000 the source lacks, 2,000 with the
 * keys of source items and other values) is killed at 20%, 50% and 80% of the writes and once while it
 * deletes the extras, each time resumed with --resume; no extra is deleted before every write is done,
 * the target ends equal to the source item by item, the backup made before the first write is the only
 * one and holds the old target, and the checkpoint and the key files are gone. The copies run in a JVM of
 * their own so that they can be killed.
 */
@EngineTest
class CopyKillResumeTest {
    /** Enough that each kill lands mid-copy (asserted), even when the checkpoint is saved only every few seconds. */
    private static final int ITEMS = 40_000;
    private static final int OLD_ITEMS = 8_000;
    private static final List<String> KEYS = List.of("pk", "sk");
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(6);

    @TempDir
    Path home;

    @TempDir
    Path files;

    @Test
    void killedThreeTimesWhileWritingAndOnceWhileDeleting_resumesToAnExactCopy(LocalDynamoDb db,
            @LocalEngineExtension.Second LocalDynamoDb other) throws Exception {
        String source = TestTables.table("kill").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.N)
                .create(db.client());
        String target = TestTables.table("kill").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.N)
                .create(other.client());
        List<Map<String, AttributeValue>> items = new ArrayList<>(ITEMS);
        for (int i = 0; i < ITEMS; i++) {
            Map<String, AttributeValue> key = Map.of("pk", s("customer#" + i % 4099), "sk", n(String.valueOf(i)));
            // Every attribute type in one item of 16; small items elsewhere keep the engine fast.
            items.add(i % 16 == 0 ? everyType(key, i) : small(key, i));
        }
        List<Map<String, AttributeValue>> old = new ArrayList<>(OLD_ITEMS);
        for (int i = 0; i < OLD_ITEMS; i++) {
            // Three in four with keys only the target has, one in four with the keys of source items and other values.
            old.add(Map.of("pk", s(i % 4 != 0 ? "old#" + i : "customer#" + i % 4099), "sk", n(String.valueOf(i)), "version", s("old")));
        }
        long loading = System.nanoTime();
        CopyFixtures.putParallel(db.client(), source, items);
        CopyFixtures.putParallel(other.client(), target, old);
        System.out.printf("CopyKillResumeTest: loaded %,d + %,d items in %.1f s%n", ITEMS, OLD_ITEMS, (System.nanoTime() - loading) / 1e9);
        items.clear();
        List<String> copy = List.of("copy", "-t", source, "--target-table", target, "--source", db.env(), "--target", other.env(),
                "--yes", "--backup-dir", files.toString(), "--segments", "24", "--page-size", "500");
        List<String> resume = new ArrayList<>(copy);
        resume.add("--resume");
        EnvironmentResolver environments = new EnvironmentResolver(Map.of(), home);
        Path checkpoint = CopyCheckpoint.defaultFile(home, environments.resolve(EnvironmentSpec.of(db.env())),
                environments.resolve(EnvironmentSpec.of(other.env())), CopyPlan.builder(source).targetTable(target).build());
        long copying = System.nanoTime();

        CopyCheckpoint first = null;
        CopyCheckpoint last = null;
        List<DynamoProcess> runs = new ArrayList<>();
        for (int percent : new int[] {20, 50, 80}) {
            DynamoProcess run = DynamoProcess.start(home, files, runs.isEmpty() ? copy : resume);
            runs.add(run);
            long atLeast = ITEMS * percent / 100L;
            Checkpoints.await(checkpoint, c -> c.stage() == CopyCheckpoint.Stage.COPY && c.copiedItems() >= atLeast, RUN_TIMEOUT,
                    run.process());
            run.kill();
            assertThat(db.isAlive() && other.isAlive()).as("the engines serve on after a client died with requests in flight").isTrue();
            CopyCheckpoint killed = CopyCheckpoint.read(checkpoint);
            assertThat(killed.difference()).as("the comparison's result, kept for the resume").isNotNull();
            assertThat(killed.difference().toWrite()).as("keys to write").isEqualTo(ITEMS);
            assertThat(killed.difference().toDelete()).as("keys to delete").isEqualTo(OLD_ITEMS * 3 / 4);
            assertThat(killed.stage()).as("killed while writing, at %d%%", percent).isEqualTo(CopyCheckpoint.Stage.COPY);
            assertThat(killed.copiedItems()).as("items the checkpoint claims after the kill at %d%%", percent)
                    .isGreaterThanOrEqualTo(Math.max(atLeast, last == null ? 0 : last.copiedItems()))
                    .as("killed mid-copy, at %d%%: items were left to write", percent).isLessThan(ITEMS);
            assertThat(killed.backup()).as("the backup made before the first write").isNotNull();
            if (first == null) {
                first = killed;
                assertThat(first.backup().file()).exists();
            }
            assertThat(killed.backup()).as("kept by every resume").isEqualTo(first.backup());
            assertThat(extrasLeft(other, target)).as("extras still in the target while writing (deletes come last)")
                    .isEqualTo(OLD_ITEMS * 3 / 4);
            last = killed;
        }
        // Deletes are fast (15,000 took well under a second on an idle machine): this run is held to 1,000 WCU/s, so it is still
        // deleting (6,000 extras: six seconds) when the kill comes (--max-wcu may change on a resume).
        List<String> slowResume = new ArrayList<>(resume);
        slowResume.addAll(List.of("--max-wcu", "1000"));
        DynamoProcess deleting = DynamoProcess.start(home, files, slowResume);
        runs.add(deleting);
        Checkpoints.await(checkpoint, c -> c.stage() == CopyCheckpoint.Stage.DELETE, RUN_TIMEOUT, deleting.process());
        deleting.kill();
        CopyCheckpoint killedDeleting = CopyCheckpoint.read(checkpoint);
        assertThat(killedDeleting.stage()).as("killed while deleting the extras").isEqualTo(CopyCheckpoint.Stage.DELETE);
        assertThat(extrasLeft(other, target)).as("extras still in the target after the kill while deleting")
                .isPositive();
        assertThat(killedDeleting.backup()).isEqualTo(first.backup());

        DynamoProcess finish = DynamoProcess.start(home, files, resume);
        int exitCode = finish.waitFor(RUN_TIMEOUT);
        double seconds = (System.nanoTime() - copying) / 1e9;

        assertThat(exitCode).as(finish.toString()).isZero();
        assertThat(runs.get(1).stderr()).contains("resuming the copy saved at ", "items were copied");
        assertThat(finish.stderr()).contains("resuming the copy saved at ", "everything that differed was written; ");
        assertThat(checkpoint).as("the checkpoint of the finished copy").doesNotExist();
        List<Path> backups;
        try (Stream<Path> listing = Files.list(files)) {
            backups = listing.filter(p -> p.getFileName().toString().endsWith(".jsonl.gz")).toList();
        }
        assertThat(backups).containsExactly(first.backup().file());
        assertThat(CopyFixtures.byKey(ItemFileReader.readAll(backups.get(0)), KEYS)).isEqualTo(CopyFixtures.byKey(old, KEYS));
        long verifying = System.nanoTime();
        CopyFixtures.assertSameItems(db.client(), source, other.client(), target, KEYS);
        assertThat(killedDeleting.difference().directory()).as("the key files of the finished copy").doesNotExist();
        System.out.printf("CopyKillResumeTest: copied with 4 kills and 4 resumes in %.1f s, verified in %.1f s%n", seconds,
                (System.nanoTime() - verifying) / 1e9);
    }

    private static Map<String, AttributeValue> small(Map<String, AttributeValue> key, int i) {
        Map<String, AttributeValue> item = new HashMap<>(key);
        item.put("name", s("item " + i));
        item.put("total", n(i + ".25"));
        item.put("tag", b((byte) i, (byte) (i >> 8)));
        return item;
    }

    /** The target's items with keys only the target had (strongly consistent count). */
    private static long extrasLeft(LocalDynamoDb engine, String table) {
        return engine.client().scanPaginator(b -> b.tableName(table).consistentRead(true).select("COUNT")
                .filterExpression("begins_with(pk, :old)").expressionAttributeValues(Map.of(":old", s("old#"))))
                .stream().mapToLong(page -> page.count()).sum();
    }
}
