package dev.dynamo.cli;

import static dev.dynamo.testing.CopyFixtures.everyType;
import static dev.dynamo.testing.CopyFixtures.n;
import static dev.dynamo.testing.CopyFixtures.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dynamo.DynamoException;
import dev.dynamo.ExitCode;
import dev.dynamo.copy.BackupResult;
import dev.dynamo.copy.CopyCheckpoint;
import dev.dynamo.copy.CopyIdentity;
import dev.dynamo.copy.CopyJob;
import dev.dynamo.copy.CopyMode;
import dev.dynamo.copy.CopyPlan;
import dev.dynamo.items.ItemFileReader;
import dev.dynamo.pipeline.SegmentAcks;
import dev.dynamo.env.Environment;
import dev.dynamo.env.EnvironmentResolver;
import dev.dynamo.env.EnvironmentSpec;
import dev.dynamo.query.QuerySpec;
import dev.dynamo.testing.Checkpoints;
import dev.dynamo.testing.Cli;
import dev.dynamo.testing.CommandResult;
import dev.dynamo.testing.CopyFixtures;
import dev.dynamo.testing.DynamoProcess;
import dev.dynamo.testing.EngineTest;
import dev.dynamo.testing.LocalDynamoDb;
import dev.dynamo.testing.LocalEngineExtension;
import dev.dynamo.testing.TestTables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Checkpoints and --resume, in-process: refusals (no checkpoint, a corrupt one, another copy's, an
 * unwritable path), and resumes from every stage of a whole-table and a query-selected copy, each
 * ending with the target equal to what an uninterrupted copy leaves.
 */
@EngineTest
class CopyResumeTest {
    private static final List<String> KEYS = List.of("pk", "sk");

    @TempDir
    Path home;

    @TempDir
    Path files;

    private LocalDynamoDb db;
    private LocalDynamoDb other;
    private String source;
    private String target;

    @BeforeEach
    void tables(LocalDynamoDb primary, @LocalEngineExtension.Second LocalDynamoDb second) {
        db = primary;
        other = second;
        source = table(db);
        target = table(other);
    }

    private static String table(LocalDynamoDb server) {
        return TestTables.table("resume").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.N)
                .gsi("byStatus", "status", ScalarAttributeType.S, null, null, ProjectionType.KEYS_ONLY).create(server.client());
    }

    private static List<Map<String, AttributeValue>> items(String prefix, int count, String status) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Map<String, AttributeValue> item = new HashMap<>(everyType(Map.of("pk", s(prefix + i % 50), "sk", n(String.valueOf(i))), i));
            item.put("status", s(i % 3 == 0 ? status : "other"));
            items.add(item);
        }
        return items;
    }

    private List<String> copyArgs(String... more) {
        List<String> args = new ArrayList<>(List.of("copy", "-t", source, "--target-table", target, "--source", db.env(),
                "--target", other.env(), "--yes", "--backup-dir", files.toString()));
        args.addAll(List.of(more));
        return args;
    }

    private CommandResult copy(String... more) {
        return Cli.isolated(home).run(copyArgs(more).toArray(String[]::new));
    }

    private CommandResult fails(String... more) {
        return Cli.isolated(home).fail(2, copyArgs(more).toArray(String[]::new));
    }

    private Environment environment(String env) {
        return new EnvironmentResolver(Map.of(), home).resolve(EnvironmentSpec.of(env));
    }

    private Path defaultCheckpoint() {
        return CopyCheckpoint.defaultFile(home, environment(db.env()), environment(other.env()),
                CopyPlan.builder(source).targetTable(target).build());
    }

    private List<Path> backupFiles() throws IOException {
        try (Stream<Path> listing = Files.list(files)) {
            return listing.filter(p -> p.getFileName().toString().endsWith(".jsonl.gz")).sorted().toList();
        }
    }

    /** Runs a whole-table copy through the library until its checkpoint shows progress, then stops it as Ctrl-C does. */
    private CopyCheckpoint stopCopyPartWay(CopyPlan.Builder plan, long afterItems) throws InterruptedException {
        Path checkpoint = defaultCheckpoint();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        CopyJob job = CopyJob.prepare(environment(db.env()), environment(other.env()),
                plan.checkpointFile(checkpoint).backupDirectory(files).build());
        Thread copying = new Thread(() -> {
            try {
                job.run();
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        copying.start();
        Checkpoints.await(checkpoint, c -> c.copiedItems() >= afterItems, Duration.ofSeconds(60), null);
        long stopAt = System.nanoTime();
        job.stop();
        copying.join(30_000);
        job.close();
        // Graceful: the batches in flight finish within a second; nothing had to be interrupted after the grace period.
        assertThat((System.nanoTime() - stopAt) / 1e9).as("seconds to stop").isLessThan(2.0);
        assertThat(thrown.get()).isInstanceOfSatisfying(DynamoException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(ExitCode.INTERRUPTED);
            assertThat(e.getMessage()).startsWith("interrupted: ").endsWith("; the checkpoint is " + checkpoint);
        });
        assertThat(job.resumableCheckpoint()).contains(checkpoint);
        return CopyCheckpoint.read(checkpoint);
    }

    @Test
    void finishedCopy_deletesItsCheckpoint() {
        TestTables.put(db.client(), source, items("a", 40, "open"));

        CommandResult result = copy();

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(home.resolve(".dynamo/checkpoints")).as("the checkpoint directory").isEmptyDirectory();
        CopyFixtures.assertSameItems(db.client(), source, other.client(), target, KEYS);
    }

    @Test
    void aJobHoldsItsCheckpointUntilClosed_andAnotherJobOfTheSameCopyIsRefusedMeanwhile() throws Exception {
        TestTables.put(db.client(), source, items("a", 40, "open"));
        CopyPlan plan = CopyPlan.builder(source).targetTable(target).checkpointFile(defaultCheckpoint()).backupDirectory(files).build();
        Path lockFile = Path.of(defaultCheckpoint() + ".lock");

        try (CopyJob first = CopyJob.prepare(environment(db.env()), environment(other.env()), plan)) {
            assertThat(lockFile).exists();
            assertThatThrownBy(() -> CopyJob.prepare(environment(db.env()), environment(other.env()), plan))
                    .isInstanceOfSatisfying(DynamoException.class, e -> {
                        assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
                        assertThat(e.getMessage()).startsWith("another run of this copy is under way (pid "
                                + ProcessHandle.current().pid() + ", since ");
                    });
            // That refusal did not drop this JVM's lock (closing any descriptor of a locked file would): another process is refused too.
            DynamoProcess cli = DynamoProcess.start(home, files, copyArgs());
            assertThat(cli.waitFor(Duration.ofMinutes(1))).as(cli.toString()).isEqualTo(2);
            assertThat(cli.stderr()).startsWith("dynamo: another run of this copy is under way (pid " + ProcessHandle.current().pid());
        }
        assertThat(lockFile).doesNotExist();

        try (CopyJob next = CopyJob.prepare(environment(db.env()), environment(other.env()), plan)) {
            next.run();
        }
        CopyFixtures.assertSameItems(db.client(), source, other.client(), target, KEYS);
        assertThat(home.resolve(".dynamo/checkpoints")).isEmptyDirectory();
    }

    @Test
    void stoppedCopy_resumesFromItsCheckpoint_withoutAnotherBackup_andEndsEqual() throws Exception {
        CopyFixtures.putParallel(db.client(), source, items("a", 3000, "open"));
        List<Map<String, AttributeValue>> old = items("old", 200, "open");
        old.add(Map.of("pk", s("a7"), "sk", n("7"), "stale", s("overwritten")));
        TestTables.put(other.client(), target, old);
        Map<String, Map<String, AttributeValue>> targetBefore = CopyFixtures.itemsByKey(other.client(), target, KEYS);

        // 3,000 items of 1 WCU at 1,000 WCU/s: three seconds, stopped once the checkpoint shows a fifth of them.
        CopyCheckpoint saved = stopCopyPartWay(CopyPlan.builder(source).targetTable(target).segments(5).pageSize(100)
                .maxWriteUnitsPerSecond(1000), 600);

        assertThat(saved.stage()).isEqualTo(CopyCheckpoint.Stage.COPY);
        assertThat(saved.identity().segments()).isEqualTo(5);
        assertThat(saved.backup().kind()).isEqualTo(BackupResult.Kind.FILE);
        assertThat(saved.copiedItems()).isBetween(600L, 2999L);
        assertThat(backupFiles()).hasSize(1);
        CommandResult otherSegments = fails("--resume", "--page-size", "100", "--segments", "6");
        assertThat(otherSegments.stderr()).contains("(segments: 5 in the checkpoint, 6 now)");

        CommandResult resumed = copy("--resume", "--page-size", "100");

        assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
        assertThat(resumed.stderr()).contains("resuming the copy saved at " + saved.savedAt() + ": "
                + String.format("%,d", saved.copiedItems()) + " items were copied; ");
        // Deletes come last: the 200 items only the target had are deleted by the resumed run, after every write.
        assertThat(resumed.stderr()).doesNotContain("backed up").contains(", deleted 200, ");
        CopyFixtures.assertSameItems(db.client(), source, other.client(), target, KEYS);
        assertThat(backupFiles()).hasSize(1);
        assertThat(CopyFixtures.byKey(ItemFileReader.readAll(backupFiles().get(0)), KEYS)).isEqualTo(targetBefore);
        assertThat(defaultCheckpoint()).doesNotExist();
        fails("--resume");
    }

    @Test
    void aDamagedKeyFile_isRefusedOnResume_beforeAnythingIsWrittenOrDeleted() throws Exception {
        List<Map<String, AttributeValue>> sourceItems = items("d", 1000, "open");
        CopyFixtures.putParallel(db.client(), source, sourceItems);
        List<Map<String, AttributeValue>> targetItems = new ArrayList<>(sourceItems.subList(0, 500));
        targetItems.addAll(items("extra", 40, "open"));
        CopyFixtures.putParallel(other.client(), target, targetItems);
        CopyCheckpoint saved = stopCopyPartWay(CopyPlan.builder(source).targetTable(target).pageSize(50)
                .maxWriteUnitsPerSecond(200), 50);
        Path deleteKeys = saved.difference().deleteKeys();
        byte[] bytes = Files.readAllBytes(deleteKeys);
        bytes[bytes.length - 1] ^= 1; // one bit of the last key to delete
        Files.write(deleteKeys, bytes);
        Map<String, Map<String, AttributeValue>> before = CopyFixtures.itemsByKey(other.client(), target, KEYS);

        CommandResult refused = fails("--resume", "--page-size", "50");

        assertThat(refused.stderr()).startsWith("dynamo: cannot use the comparison's key files: the key file " + deleteKeys
                + " is not the one the comparison wrote (SHA-256 ").endsWith("; run the copy again without --resume, which "
                + "compares both sides again\n");
        assertThat(CopyFixtures.itemsByKey(other.client(), target, KEYS)).as("the target, untouched by the refused resume")
                .isEqualTo(before);
    }

    @Test
    void aCheckpointOfTheEarlierFormat_isRefused_andNothingIsWritten() throws IOException {
        TestTables.put(db.client(), source, items("a", 60, "open"));
        List<Map<String, AttributeValue>> old = items("old", 30, "open");
        TestTables.put(other.client(), target, old);
        CopyIdentity identity = CopyIdentity.of(environment(db.env()), environment(other.env()),
                CopyPlan.builder(source).targetTable(target).build(), 3);
        // A checkpoint of the dynamo whose replace emptied the target first (format 2, stage "empty").
        new CopyCheckpoint(identity, CopyCheckpoint.Stage.START, Instant.EPOCH, Instant.EPOCH, null, null, 0, null, List.of())
                .write(defaultCheckpoint());
        String earlier = Files.readString(defaultCheckpoint()).replace("\"version\" : 3", "\"version\" : 2")
                .replace("\"stage\" : \"start\"", "\"stage\" : \"empty\"");
        Files.writeString(defaultCheckpoint(), earlier);

        CommandResult refused = fails("--resume");

        assertThat(refused.stderr()).isEqualTo("dynamo: cannot resume from the checkpoint " + defaultCheckpoint() + ": it was "
                + "written by an earlier dynamo (format version 2), whose replace emptied the target before writing; this version "
                + "copies by difference and cannot continue that copy; run the copy without --resume to start it over\n");
        assertThat(CopyFixtures.itemsByKey(other.client(), target, KEYS).keySet()).as("the target's keys, unchanged")
                .isEqualTo(CopyFixtures.byKey(old, KEYS).keySet());
        assertThat(backupFiles()).isEmpty();
    }

    @Test
    void stoppedReplaceByDifference_resumesWritingWhatDiffers_thenDeletesTheExtras() throws Exception {
        List<Map<String, AttributeValue>> sourceItems = items("d", 2000, "open");
        CopyFixtures.putParallel(db.client(), source, sourceItems);
        // The target: the source's first 1,500 items, 300 of them changed, and 40 items the source lacks.
        List<Map<String, AttributeValue>> targetItems = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            Map<String, AttributeValue> item = new HashMap<>(sourceItems.get(i));
            if (i % 5 == 0) {
                item.put("status", s("changed"));
            }
            targetItems.add(item);
        }
        targetItems.addAll(items("extra", 40, "open"));
        CopyFixtures.putParallel(other.client(), target, targetItems);

        CopyCheckpoint saved = stopCopyPartWay(CopyPlan.builder(source).targetTable(target).pageSize(50)
                .maxWriteUnitsPerSecond(300), 100);
        assertThat(saved.stage()).isEqualTo(CopyCheckpoint.Stage.COPY);
        assertThat(saved.difference()).as("what the comparison found, kept for the resume").isNotNull();
        assertThat(saved.difference().toWrite()).isEqualTo(500 + 300);
        assertThat(saved.difference().toDelete()).isEqualTo(40);
        assertThat(saved.difference().unchanged()).isEqualTo(1200);
        assertThat(saved.difference().writeKeys()).exists();
        assertThat(CopyFixtures.itemsByKey(other.client(), target, KEYS)).as("nothing deleted before every write")
                .hasSizeGreaterThanOrEqualTo(1540);

        CommandResult resumed = copy("--resume", "--page-size", "50", "--summary", "json");

        assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
        assertThat(resumed.stderr()).contains("resuming the copy saved at ");
        assertThat(resumed.stdout()).contains("\"deleted\":40", "\"unchanged\":1200", "\"compared\":true");
        CopyFixtures.assertSameItems(db.client(), source, other.client(), target, KEYS);
        assertThat(defaultCheckpoint()).doesNotExist();
        assertThat(saved.difference().directory()).as("the key files, removed once the copy finished").doesNotExist();
    }

    @Test
    void stoppedSelectionCopy_resumesItsQuery_thenFindsAndDeletesStaleItems() throws Exception {
        List<Map<String, AttributeValue>> sourceItems = items("c", 1500, "open");
        CopyFixtures.putParallel(db.client(), source, sourceItems);
        List<Map<String, AttributeValue>> targetItems = new ArrayList<>(items("stale", 90, "open")); // a third selected, stale
        targetItems.addAll(items("c", 30, "open")); // same keys as source items, older values
        TestTables.put(other.client(), target, targetItems);
        QuerySpec selection = QuerySpec.partition(source, "open").withIndex("byStatus");
        Map<String, Map<String, AttributeValue>> unselectedBefore = new HashMap<>(CopyFixtures.itemsByKey(other.client(), target, KEYS));
        unselectedBefore.values().removeIf(item -> item.get("status").s().equals("open"));

        CopyCheckpoint saved = stopCopyPartWay(CopyPlan.builder(source).targetTable(target).selection(selection).pageSize(50)
                .maxWriteUnitsPerSecond(200), 100);
        assertThat(saved.stage()).isEqualTo(CopyCheckpoint.Stage.COPY);
        assertThat(saved.identity().selection()).isEqualTo("-i byStatus --pk open");
        assertThat(saved.segments()).hasSize(1);

        CommandResult resumed = copy("-i", "byStatus", "--pk", "open", "--page-size", "50", "--resume");

        assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
        assertThat(resumed.stderr()).contains("; the query continues after its last copied page").contains("deleted 30,");
        Map<String, Map<String, AttributeValue>> after = CopyFixtures.itemsByKey(other.client(), target, KEYS);
        Map<String, Map<String, AttributeValue>> sourceSelected = CopyFixtures.byKey(
                sourceItems.stream().filter(item -> item.get("status").s().equals("open")).toList(), KEYS);
        Map<String, Map<String, AttributeValue>> expected = new HashMap<>(unselectedBefore);
        expected.putAll(CopyFixtures.itemsByKey(db.client(), source, KEYS).entrySet().stream()
                .filter(e -> sourceSelected.containsKey(e.getKey()))
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
        assertThat(after).isEqualTo(expected);
        assertThat(defaultCheckpoint()).doesNotExist();
    }

    @Test
    void resume_withoutACheckpoint_isAUsageError() {
        CommandResult result = fails("--resume");

        assertThat(result.stderr()).isEqualTo("dynamo: there is no checkpoint " + defaultCheckpoint() + " to resume (a copy deletes "
                + "its checkpoint when it finishes); run the copy without --resume to start it, or name its checkpoint with "
                + "--checkpoint FILE\n");
    }

    @Test
    void resume_ofAnotherCopysCheckpoint_namesWhatDiffers_andWritesNothing() {
        TestTables.put(db.client(), source, items("a", 10, "open"));
        Path file = files.resolve("merge.json");
        CopyIdentity merge = CopyIdentity.of(environment(db.env()), environment(other.env()),
                CopyPlan.builder(source).targetTable(target).mode(CopyMode.MERGE).build(), 8);
        new CopyCheckpoint(merge, CopyCheckpoint.Stage.START, Instant.EPOCH, Instant.EPOCH, null, null, 0, null, List.of()).write(file);

        CommandResult result = fails("--resume", "--checkpoint", file.toString(), "--page-size", "10");

        assertThat(result.stderr()).isEqualTo("dynamo: the checkpoint " + file + " is of another copy (mode: merge in the checkpoint, "
                + "replace now; page size: 1000 in the checkpoint, 10 now): resume it with the options it was started with, or "
                + "drop --resume to start this copy anew\n");
        assertThat(TestTables.scanAll(other.client(), target)).isEmpty();
    }

    @Test
    void resume_fromAPositionThatIsNotAKeyOfTheTable_isAUsageError_andWritesNothing() {
        TestTables.put(db.client(), source, items("a", 10, "open"));
        CopyIdentity identity = CopyIdentity.of(environment(db.env()), environment(other.env()),
                CopyPlan.builder(source).targetTable(target).build(), 8);
        List<SegmentAcks.Checkpoint> positions = new ArrayList<>();
        for (int segment = 0; segment < 8; segment++) {
            // Segment 3 would resume after {"pk": 7}: the table's pk is a string, and it has a sort key too.
            Map<String, AttributeValue> key = segment == 3 ? Map.of("pk", n("7")) : null;
            positions.add(new SegmentAcks.Checkpoint(segment, key == null ? 0 : 1, key == null ? 0 : 5, key, false));
        }
        new CopyCheckpoint(identity, CopyCheckpoint.Stage.COPY, Instant.EPOCH, Instant.EPOCH, null, null, 0, null, positions)
                .write(defaultCheckpoint());

        CommandResult result = fails("--resume");

        // Before, every Scan of that segment failed (exit 1) and printed the same resume command again, for ever.
        assertThat(result.stderr()).isEqualTo("dynamo: cannot resume from the checkpoint " + defaultCheckpoint() + ": its position "
                + "[pk] is not a key of table '" + source + "' (pk (S), sk (N)); run the copy without --resume to start it over\n");
        assertThat(TestTables.scanAll(other.client(), target)).isEmpty();
    }

    @Test
    void resume_withACorruptCheckpoint_isAUsageError_andWritesNothing() throws IOException {
        TestTables.put(db.client(), source, items("a", 10, "open"));
        Path file = Files.writeString(files.resolve("corrupt.json"), "{\"format\": \"dynamo-copy-checkpoint\", \"version\": 1, \"copy");

        CommandResult result = fails("--resume", "--checkpoint", file.toString());

        assertThat(result.stderr()).startsWith("dynamo: cannot resume from the checkpoint " + file + ": it is not valid JSON (")
                .endsWith("; run the copy without --resume to start it over\n");
        assertThat(TestTables.scanAll(other.client(), target)).isEmpty();
        fails("--resume", "--dry-run");
    }

    @Test
    void unwritableCheckpoint_isAUsageError_beforeAnythingIsCreatedOrWritten() throws IOException {
        TestTables.put(db.client(), source, items("a", 10, "open"));
        TestTables.put(other.client(), target, items("old", 5, "open"));
        Path blocker = Files.writeString(files.resolve("not-a-directory"), "x");
        String missing = TestTables.uniqueName("resume-created");

        CommandResult result = Cli.isolated(home).fail(2, "copy", "-t", source, "--target-table", missing, "--create-table",
                "--source", db.env(), "--target", other.env(), "--checkpoint", blocker.resolve("c.json").toString());
        CommandResult existing = fails("--checkpoint", blocker.resolve("c.json").toString());

        assertThat(result.stderr()).isEqualTo("dynamo: cannot write the checkpoint " + blocker.resolve("c.json") + ": " + blocker
                + " is not a directory; choose another file with --checkpoint FILE; nothing was changed\n");
        assertThat(existing.stderr()).isEqualTo(result.stderr());
        assertThat(other.client().listTables().tableNames()).doesNotContain(missing);
        assertThat(TestTables.scanAll(other.client(), target)).hasSize(5);
        assertThat(backupFiles()).isEmpty();
    }

    @Test
    void newCopy_overAnUnfinishedCopysCheckpoint_saysItReplacesIt() {
        TestTables.put(db.client(), source, items("a", 10, "open"));
        CopyIdentity identity = CopyIdentity.of(environment(db.env()), environment(other.env()),
                CopyPlan.builder(source).targetTable(target).build(), 8);
        new CopyCheckpoint(identity, CopyCheckpoint.Stage.COPY, Instant.EPOCH, Instant.EPOCH, null, null, 0, null, startPositions(8))
                .write(defaultCheckpoint());

        CommandResult result = copy();

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stderr()).startsWith("starting a new copy: the checkpoint " + defaultCheckpoint() + " of an earlier copy "
                + "that did not finish will be replaced (to continue that copy instead, add --resume)\n");
        assertThat(defaultCheckpoint()).doesNotExist();
    }

    private static List<SegmentAcks.Checkpoint> startPositions(int segments) {
        List<SegmentAcks.Checkpoint> positions = new ArrayList<>();
        for (int i = 0; i < segments; i++) {
            positions.add(SegmentAcks.Checkpoint.start(i));
        }
        return positions;
    }
}
