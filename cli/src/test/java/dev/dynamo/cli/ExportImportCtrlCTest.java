package dev.dynamo.cli;

import static dev.dynamo.cli.ExportFolders.assertCompleteExport;
import static dev.dynamo.cli.ExportFolders.assertSameAsWritten;
import static dev.dynamo.cli.ExportFolders.assertStoppedExport;
import static dev.dynamo.cli.ExportFolders.awaitCheckpoint;
import static dev.dynamo.cli.ExportFolders.exportFolder;
import static dev.dynamo.cli.ExportFolders.resumeCommand;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.copy.CheckpointLock;
import dev.dynamo.testing.Cli;
import dev.dynamo.testing.CommandResult;
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
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Ctrl-C (SIGINT, as a terminal sends it) to an export and to an import in a JVM of their own: each stops with exit 130
 * within seconds and a last line with the command that resumes it, and running that command finishes the job exactly.
 * While the stopped export waits, --resume is refused (exit 2, nothing written) with the checkpoint of another export
 * (another --format, another table) and with no checkpoint; while a job runs, a second run of it is refused by the
 * checkpoint's lock (exit 2) and the first finishes unharmed.
 */
@EngineTest
class ExportImportCtrlCTest {
    private static final int ITEMS = 6_000;
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    @TempDir
    Path home;

    @TempDir
    Path logs;

    @TempDir
    Path files;

    private static String table(LocalDynamoDb server) {
        return TestTables.table("xctrlc").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.N)
                .create(server.client());
    }

    private static List<String> with(List<String> args, String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        return all;
    }

    @Test
    void ctrlC_stopsTheExport_exits130_otherResumesAreRefused_andTheCommandItPrintsFinishesIt(LocalDynamoDb db,
            @LocalEngineExtension.Second LocalDynamoDb other) throws Exception {
        String source = table(db);
        List<Map<String, AttributeValue>> items = CopyFixtures.mixedItems(ITEMS, 31);
        CopyFixtures.putParallel(db.client(), source, items);
        Path destination = Files.createDirectories(files.resolve("ex ports"));
        Path checkpoint = home.resolve("check points").resolve("export.json");
        // About 900 KB of items at 15 read units a second (4 KB for half a unit): some eight seconds.
        List<String> args = List.of("export", "-t", source, "-e", db.env(), "--to", destination.toString(), "--segments", "2",
                "--page-size", "100", "--max-rcu", "15", "--no-progress", "--checkpoint", checkpoint.toString());

        DynamoProcess export = DynamoProcess.start(home, logs, args);
        awaitCheckpoint(checkpoint, c -> c.path("exportId").isTextual(), export, TIMEOUT);
        awaitTemporaryDataFile(destination, export);

        CommandResult second = Cli.isolated(home).fail(2, args.toArray(String[]::new));
        assertThat(second.stderr()).contains("another run of this export is under way with the checkpoint " + checkpoint,
                "nothing was written");
        assertThat(export.process().isAlive()).as("the first run goes on").isTrue();

        long sent = System.nanoTime();
        export.interrupt();
        int exitCode = export.waitFor(TIMEOUT);
        double seconds = (System.nanoTime() - sent) / 1e9;

        assertThat(exitCode).as(export.toString()).isEqualTo(130);
        assertThat(seconds).as("seconds from Ctrl-C to exit").isLessThan(3);
        assertThat(export.stdout()).isEmpty();
        List<String> lines = export.stderr().lines().toList();
        assertThat(lines).contains("stopping: what is finished stays and the checkpoint is saved (Ctrl-C again to quit at once)");
        String last = lines.get(lines.size() - 1);
        assertThat(last).as(export.toString()).startsWith("dynamo: stopped: ")
                .contains("the checkpoint is " + checkpoint)
                .endsWith("resume with: dynamo export -t " + source + " -e " + db.env() + " --to '" + destination
                        + "' --segments 2 --page-size 100 --max-rcu 15 --no-progress --checkpoint '" + checkpoint + "' --resume");
        assertThat(CheckpointLock.fileOf(checkpoint)).as("the lock file of the stopped run").doesNotExist();
        Path folder = exportFolder(destination);
        assertStoppedExport(folder, checkpoint);
        byte[] saved = Files.readAllBytes(checkpoint);

        Cli cli = Cli.isolated(home);
        CommandResult ion = cli.fail(2, with(args, "--format", "ion", "--resume").toArray(String[]::new));
        assertThat(ion.stderr()).contains("the checkpoint " + checkpoint + " is of another export: its format is \"DYNAMODB_JSON\", "
                + "this one's \"ION\"");
        String otherTable = table(db);
        List<String> otherArgs = new ArrayList<>(with(args, "--resume"));
        otherArgs.set(otherArgs.indexOf(source), otherTable);
        CommandResult wrongTable = cli.fail(2, otherArgs.toArray(String[]::new));
        assertThat(wrongTable.stderr()).contains("is of another export: its table is \"" + source + "\", this one's \"" + otherTable
                + "\"");
        Path none = home.resolve("none.json");
        List<String> noneArgs = new ArrayList<>(with(args, "--resume"));
        noneArgs.set(noneArgs.indexOf(checkpoint.toString()), none.toString());
        CommandResult missing = cli.fail(2, noneArgs.toArray(String[]::new));
        assertThat(missing.stderr()).contains("no checkpoint to resume at " + none);
        List<String> defaultCheckpoint = new ArrayList<>(with(args, "--resume"));
        defaultCheckpoint.removeAll(List.of("--checkpoint", checkpoint.toString()));
        CommandResult noDefault = cli.fail(2, defaultCheckpoint.toArray(String[]::new));
        assertThat(noDefault.stderr()).contains("no checkpoint to resume at ");
        assertThat(Files.readAllBytes(checkpoint)).as("the checkpoint after the refused resumes").isEqualTo(saved);
        assertThat(exportFolder(destination)).isEqualTo(folder);
        assertStoppedExport(folder, checkpoint);

        CommandResult resumed = cli.run(resumeCommand(last).toArray(String[]::new));

        assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
        assertThat(checkpoint).doesNotExist();
        assertThat(exportFolder(destination)).as("the resume finished the same export").isEqualTo(folder);
        assertCompleteExport(folder, ITEMS);
        String target = table(other);
        CommandResult imported = cli.run("import", "-t", target, "-e", other.env(), "--from", folder.toString());
        assertThat(imported.exitCode()).as(imported.toString()).isZero();
        assertSameAsWritten(other, target, items);
    }

    @Test
    void ctrlC_stopsTheImport_exits130_aSecondRunIsRefused_andTheCommandItPrintsFinishesIt(LocalDynamoDb db,
            @LocalEngineExtension.Second LocalDynamoDb other) throws Exception {
        String source = table(db);
        List<Map<String, AttributeValue>> items = CopyFixtures.mixedItems(ITEMS, 31);
        CopyFixtures.putParallel(db.client(), source, items);
        Path destination = Files.createDirectories(files.resolve("ex ports"));
        Cli cli = Cli.isolated(home);
        CommandResult exported = cli.run("export", "-t", source, "-e", db.env(), "--to", destination.toString(), "--format", "ion",
                "--segments", "3");
        assertThat(exported.exitCode()).as(exported.toString()).isZero();
        Path folder = exportFolder(destination);
        String target = table(other);
        // 6,000 items of 1 WCU at 800 WCU/s: some seven seconds.
        List<String> args = List.of("import", "-t", target, "-e", other.env(), "--from", folder.toString(), "--max-wcu", "800",
                "--page-size", "100", "--no-progress", "--backup-dir", files.toString());

        DynamoProcess run = DynamoProcess.start(home, logs, args);
        Path checkpoint = awaitCheckpoint(home, "import-" + target + "-", run, TIMEOUT);
        awaitCheckpoint(checkpoint, c -> c.path("written").asLong() >= 600, run, TIMEOUT);

        CommandResult second = cli.fail(2, args.toArray(String[]::new));
        assertThat(second.stderr()).contains("another run of this import is under way with the checkpoint " + checkpoint);
        assertThat(run.process().isAlive()).as("the first run goes on").isTrue();

        long sent = System.nanoTime();
        run.interrupt();
        int exitCode = run.waitFor(TIMEOUT);
        double seconds = (System.nanoTime() - sent) / 1e9;

        assertThat(exitCode).as(run.toString()).isEqualTo(130);
        assertThat(seconds).as("seconds from Ctrl-C to exit").isLessThan(3);
        assertThat(run.stdout()).isEmpty();
        List<String> lines = run.stderr().lines().toList();
        String last = lines.get(lines.size() - 1);
        assertThat(last).as(run.toString()).startsWith("dynamo: stopped: ").contains("the checkpoint is " + checkpoint)
                .endsWith("resume with: dynamo import -t " + target + " -e " + other.env() + " --from '" + folder
                        + "' --max-wcu 800 --page-size 100 --no-progress --backup-dir " + files + " --resume");
        assertThat(checkpoint).as("the checkpoint of the stopped import").exists();
        assertThat(CheckpointLock.fileOf(checkpoint)).as("the lock file of the stopped run").doesNotExist();
        long written = ExportFolders.countItems(other, target);
        assertThat(written).as("items in the table after Ctrl-C").isBetween(600L, ITEMS - 1L);

        CommandResult resumed = cli.run(resumeCommand(last).toArray(String[]::new));

        assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
        assertThat(resumed.stderr()).contains("resuming the import");
        assertThat(checkpoint).as("the checkpoint of the finished import").doesNotExist();
        assertSameAsWritten(other, target, items);
    }

    /** Waits until a segment is writing its first data file (a temporary ".*" in data/), so the stop comes mid-file. */
    private static void awaitTemporaryDataFile(Path destination, DynamoProcess run) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Path data = exportFolder(destination).resolve("data");
            if (Files.isDirectory(data)) {
                try (Stream<Path> listing = Files.list(data)) {
                    if (listing.anyMatch(p -> p.getFileName().toString().startsWith("."))) {
                        return;
                    }
                }
            }
            assertThat(run.process().isAlive()).as("the export ended before it began a data file: %s", run).isTrue();
            Thread.sleep(20);
        }
        throw new AssertionError("no data file begun within " + TIMEOUT + run);
    }
}
