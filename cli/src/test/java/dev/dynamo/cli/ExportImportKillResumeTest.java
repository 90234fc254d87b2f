package dev.dynamo.cli;

import static dev.dynamo.cli.ExportFolders.JSON;
import static dev.dynamo.cli.ExportFolders.assertCompleteExport;
import static dev.dynamo.cli.ExportFolders.assertSameAsWritten;
import static dev.dynamo.cli.ExportFolders.assertStoppedExport;
import static dev.dynamo.cli.ExportFolders.awaitCheckpoint;
import static dev.dynamo.cli.ExportFolders.exportFolder;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * kill -9, the way a crash or an OOM killer ends an export or an import: an export of 20,000 items (every attribute type
 * in one of ten) to a local folder, with 1 MiB data files and a read limit so that it runs a few seconds, is killed twice
 * (after a data file was committed, then while the resumed run is half way through a data file) and resumed with --resume: the killed folder has no
 * manifest-summary.json (visibly incomplete) and a checkpoint; the finished export lists every data file exactly once,
 * its item counts add up to the table's items, every file's MD5 is the manifest's, and data/ holds no other file (a
 * killed run's temporaries only under names starting with '.'). The import of that export, held to a write limit, is
 * killed twice and resumed, and the table ends an exact copy, item by item, with the checkpoint gone. The runs are in a
 * JVM of their own so that they can be killed.
 */
@EngineTest
class ExportImportKillResumeTest {
    private static final int ITEMS = 20_000;
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(4);

    @TempDir
    Path home;

    @TempDir
    Path logs;

    @TempDir
    Path exports;

    @Test
    void exportKilledTwice_resumesToACompleteExport_andItsImportKilledTwice_resumesToAnExactCopy(LocalDynamoDb db,
            @LocalEngineExtension.Second LocalDynamoDb other) throws Exception {
        String source = TestTables.table("xkill").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.N)
                .create(db.client());
        List<Map<String, AttributeValue>> items = CopyFixtures.mixedItems(ITEMS, 97);
        long loading = System.nanoTime();
        CopyFixtures.putParallel(db.client(), source, items);
        System.out.printf("ExportImportKillResumeTest: loaded %,d items in %.1f s%n", ITEMS, (System.nanoTime() - loading) / 1e9);

        // About 3 MB of items in DynamoDB JSON: 2 segments of about 1.5 MB, so with --file-size 1 each commits two files.
        // 16 read units a second make it last several seconds: dynalite charges about half a unit for a page of these 200
        // items (its own count, not 4 KB per half unit), so the limit paces the pages; at 40 a second a resumed run
        // finished in 2.5 s.
        List<String> export = List.of("export", "-t", source, "-e", db.env(), "--to", exports.toString(), "--file-size", "1",
                "--segments", "2", "--page-size", "200", "--max-rcu", "16", "--no-progress");
        List<String> resumeExport = with(export, "--resume");
        long exporting = System.nanoTime();

        DynamoProcess first = DynamoProcess.start(home, logs, export);
        Path checkpoint = awaitCheckpoint(home, "export-" + source + "-", first, RUN_TIMEOUT);
        JsonNode killedAt = awaitCheckpoint(checkpoint, c -> c.path("files").size() >= 1, first, RUN_TIMEOUT);
        first.kill();
        Path folder = exportFolder(exports);
        assertStoppedExport(folder, checkpoint);
        JsonNode afterFirstKill = JSON.readTree(checkpoint.toFile());
        assertThat(afterFirstKill.path("files").size()).as("files committed before the first kill").isGreaterThanOrEqualTo(
                killedAt.path("files").size());

        // The second kill comes while the resumed run is part way through a data file: its temporary exists (made by this
        // run) and half a second of pages went into it. (Its size says little: these items compress about 16 to 1, so a
        // whole 1 MiB file is some 46 KB of gzip, less than the writers' buffers, and reaches the disk only at commit.)
        long resumedAtMillis = System.currentTimeMillis();
        DynamoProcess second = DynamoProcess.start(home, logs, resumeExport);
        awaitPartialDataFile(folder, 0, resumedAtMillis, second);
        Thread.sleep(500);
        second.kill();
        assertThat(exportFolder(exports)).as("the resume writes into the same export's folder").isEqualTo(folder);
        assertStoppedExport(folder, checkpoint);
        JsonNode afterSecondKill = JSON.readTree(checkpoint.toFile());
        assertThat(afterSecondKill.get("exportId")).isEqualTo(afterFirstKill.get("exportId"));
        assertThat(names(afterSecondKill.path("files"))).as("the files of the first run are kept by the resume")
                .containsAll(names(afterFirstKill.path("files")));

        DynamoProcess finish = DynamoProcess.start(home, logs, resumeExport);
        int exitCode = finish.waitFor(RUN_TIMEOUT);
        System.out.printf("ExportImportKillResumeTest: exported with 2 kills in %.1f s%n", (System.nanoTime() - exporting) / 1e9);

        assertThat(exitCode).as(finish.toString()).isZero();
        assertThat(checkpoint).as("the checkpoint of the finished export").doesNotExist();
        assertThat(exportFolder(exports)).isEqualTo(folder);
        assertThat(assertCompleteExport(folder, ITEMS)).as("data files").isGreaterThanOrEqualTo(3);

        // The import: the table is created by the test (same keys), the writes held to 3,000 WCU/s.
        String target = TestTables.table("xkill").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.N)
                .create(other.client());
        List<String> importArgs = List.of("import", "-t", target, "-e", other.env(), "--from", folder.toString(),
                "--max-wcu", "3000", "--no-progress", "--backup-dir", logs.toString());
        List<String> resumeImport = with(importArgs, "--resume");
        long importing = System.nanoTime();

        DynamoProcess import1 = DynamoProcess.start(home, logs, importArgs);
        Path importCheckpoint = awaitCheckpoint(home, "import-" + target + "-", import1, RUN_TIMEOUT);
        awaitCheckpoint(importCheckpoint, c -> c.path("written").asLong() >= ITEMS / 5, import1, RUN_TIMEOUT);
        import1.kill();
        assertThat(db.isAlive() && other.isAlive()).as("the engines serve on after a client died with requests in flight").isTrue();
        long writtenAtFirstKill = JSON.readTree(importCheckpoint.toFile()).path("written").asLong();
        assertThat(ExportFolders.countItems(other, target)).as("items in the table after the first kill").isBetween(1L, ITEMS - 1L);

        DynamoProcess import2 = DynamoProcess.start(home, logs, resumeImport);
        awaitCheckpoint(importCheckpoint, c -> c.path("written").asLong() >= Math.max(writtenAtFirstKill, ITEMS / 2) + ITEMS / 10, import2,
                RUN_TIMEOUT);
        import2.kill();
        assertThat(importCheckpoint).as("the checkpoint of the killed import").exists();

        DynamoProcess import3 = DynamoProcess.start(home, logs, resumeImport);
        int importExit = import3.waitFor(RUN_TIMEOUT);
        System.out.printf("ExportImportKillResumeTest: imported with 2 kills in %.1f s%n", (System.nanoTime() - importing) / 1e9);

        assertThat(importExit).as(import3.toString()).isZero();
        assertThat(import2.stderr() + import3.stderr()).as("the resumes say they resume").contains("resuming the import");
        assertThat(importCheckpoint).as("the checkpoint of the finished import").doesNotExist();
        long verifying = System.nanoTime();
        assertSameAsWritten(other, target, items);
        System.out.printf("ExportImportKillResumeTest: verified in %.1f s%n", (System.nanoTime() - verifying) / 1e9);
    }

    private static List<String> with(List<String> args, String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        return all;
    }

    private static Set<String> names(JsonNode files) {
        Set<String> names = new HashSet<>();
        files.forEach(file -> names.add(file.get("name").asText()));
        return names;
    }

    /**
     * Waits until a data file being written (a temporary named ".*" in data/, changed after {@code sinceMillis}: not one a
     * killed run left) holds at least {@code bytes}.
     */
    private static void awaitPartialDataFile(Path folder, long bytes, long sinceMillis, DynamoProcess run) throws Exception {
        long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try (Stream<Path> listing = Files.list(folder.resolve("data"))) {
                if (listing.filter(p -> p.getFileName().toString().startsWith(".")).anyMatch(p -> p.toFile().length() >= bytes
                        && p.toFile().lastModified() > sinceMillis)) {
                    return;
                }
            }
            assertThat(run.process().isAlive()).as("the export ended before a data file was half written: %s", run).isTrue();
            Thread.sleep(20);
        }
        throw new AssertionError("no data file half written within " + RUN_TIMEOUT + run);
    }
}
