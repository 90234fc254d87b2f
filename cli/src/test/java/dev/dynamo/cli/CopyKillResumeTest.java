package dev.dynamo.cli;

import static dev.dynamo.testing.CopyFixtures.b;
import static dev.dynamo.testing.CopyFixtures.everyType;
import static dev.dynamo.testing.CopyFixtures.n;
import static dev.dynamo.testing.CopyFixtures.s;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.copy.CopyCheckpoint;
import dev.dynamo.copy.CopyPlan;
import dev.dynamo.items.ItemFileReader;
import dev.dynamo.pipeline.SegmentAcks;
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
 * kill -9, the way a crash or an OOM killer ends a copy: a replace copy of 100,000 items (every
 * attribute type in one of 16) over a target with items is killed while it empties the target and then at 20%,
 * 50% and 80% of the copy, each time resumed with --resume; the target ends equal to the source
 * item by item, the backup made before the first delete is the only one and holds the old target,
 * and the checkpoint is gone. The copies run in a JVM of their own so that they can be killed.
 */
@EngineTest
class CopyKillResumeTest {
    private static final int ITEMS = 100_000;
    private static final int OLD_ITEMS = 5_000;
    private static final List<String> KEYS = List.of("pk", "sk");
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(6);

    @TempDir
    Path home;

    @TempDir
    Path files;

    @Test
    void killedWhileEmptyingAndThreeTimesWhileCopying_resumesToAnExactCopy(LocalDynamoDb db,
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
            // Half with keys only the target has, half with the keys of source items and other values.
            old.add(Map.of("pk", s(i % 2 == 0 ? "old#" + i : "customer#" + i % 4099), "sk", n(String.valueOf(i)), "version", s("old")));
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

        DynamoProcess first = DynamoProcess.start(home, files, copy);
        Checkpoints.await(checkpoint, c -> c.stage() == CopyCheckpoint.Stage.EMPTY, RUN_TIMEOUT, first.process());
        first.kill();
        CopyCheckpoint emptying = CopyCheckpoint.read(checkpoint);
        assertThat(emptying.stage()).as("killed while emptying the target").isEqualTo(CopyCheckpoint.Stage.EMPTY);
        assertThat(emptying.backup()).isNotNull();
        assertThat(emptying.backup().file()).exists();

        CopyCheckpoint last = emptying;
        List<DynamoProcess> resumed = new ArrayList<>();
        for (int percent : new int[] {20, 50, 80}) {
            DynamoProcess run = DynamoProcess.start(home, files, resume);
            resumed.add(run);
            long atLeast = ITEMS * percent / 100L;
            Checkpoints.await(checkpoint, c -> c.stage() == CopyCheckpoint.Stage.COPY && c.copiedItems() >= atLeast, RUN_TIMEOUT,
                    run.process());
            run.kill();
            assertThat(db.isAlive() && other.isAlive()).as("the engines serve on after a client died with requests in flight").isTrue();
            CopyCheckpoint killed = CopyCheckpoint.read(checkpoint);
            assertThat(killed.copiedItems()).as("items the checkpoint claims after the kill at %d%%", percent)
                    .isGreaterThanOrEqualTo(Math.max(atLeast, last.copiedItems()));
            assertThat(killed.backup()).as("the backup made before the first delete, kept by every resume").isEqualTo(emptying.backup());
            if (percent == 20) {
                assertThat(killed.segments()).as("segments not begun at 20%%").anyMatch(CopyKillResumeTest::notBegun);
            }
            if (percent == 80) {
                assertThat(killed.finishedSegments()).as("segments finished at 80%%").isPositive();
            }
            last = killed;
        }
        DynamoProcess finish = DynamoProcess.start(home, files, resume);
        int exitCode = finish.waitFor(RUN_TIMEOUT);
        double seconds = (System.nanoTime() - copying) / 1e9;

        assertThat(exitCode).as(finish.toString()).isZero();
        assertThat(resumed.get(0).stderr()).contains("the target's backup is already made (" + emptying.backup().describe()
                + "); the target is emptied again, then copied");
        assertThat(finish.stderr()).contains("resuming the copy saved at ", String.format("%,d items were copied", last.copiedItems()));
        assertThat(checkpoint).as("the checkpoint of the finished copy").doesNotExist();
        List<Path> backups;
        try (Stream<Path> listing = Files.list(files)) {
            backups = listing.filter(p -> p.getFileName().toString().endsWith(".jsonl.gz")).toList();
        }
        assertThat(backups).containsExactly(emptying.backup().file());
        assertThat(CopyFixtures.byKey(ItemFileReader.readAll(backups.get(0)), KEYS)).isEqualTo(CopyFixtures.byKey(old, KEYS));
        long verifying = System.nanoTime();
        CopyFixtures.assertSameItems(db.client(), source, other.client(), target, KEYS);
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

    private static boolean notBegun(SegmentAcks.Checkpoint segment) {
        return !segment.finished() && segment.completedPages() == 0;
    }
}
