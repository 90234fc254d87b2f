package dev.dynamo.cli;

import static dev.dynamo.testing.CopyFixtures.everyType;
import static dev.dynamo.testing.CopyFixtures.s;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.items.ItemFileReader;
import dev.dynamo.testing.Cli;
import dev.dynamo.testing.CommandResult;
import dev.dynamo.testing.CopyFixtures;
import dev.dynamo.testing.EngineSupport;
import dev.dynamo.testing.EngineTest;
import dev.dynamo.testing.LocalDynamoDb;
import dev.dynamo.testing.LocalEngineExtension;
import dev.dynamo.testing.TestTables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

@EngineTest
class CopyModesTest {
    @TempDir
    Path home;

    @TempDir
    Path backups;

    static List<Map<String, AttributeValue>> items(String prefix, int count) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            items.add(everyType(Map.of("pk", s(prefix + i)), i));
        }
        return items;
    }

    static String simpleTable(LocalDynamoDb db) {
        return TestTables.table("copy").partitionKey("pk", ScalarAttributeType.S).create(db.client());
    }

    static CommandResult succeeded(CommandResult result) {
        assertThat(result.exitCode()).as("exit code of %s", result).isZero();
        return result;
    }

    @Test
    void replacesTheTarget_acrossTwoServers_afterBackingItUpToAFile(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other)
            throws IOException {
        EngineSupport.assumeLacks(other, "CreateBackup");
        String table = simpleTable(db);
        TestTables.put(db.client(), table, items("src", 120));
        String targetTable = TestTables.table("copy").partitionKey("pk", ScalarAttributeType.S).create(other.client());
        List<Map<String, AttributeValue>> old = items("old", 30);
        old.add(everyType(Map.of("pk", s("src7")), 999)); // same key as a source item, other values
        TestTables.put(other.client(), targetTable, old);
        List<Map<String, AttributeValue>> targetBefore = TestTables.scanAll(other.client(), targetTable);

        CommandResult result = succeeded(Cli.isolated(home).run("copy", "-t", table, "--target-table", targetTable,
                "--source", db.env(), "--target", other.env(), "--yes", "--backup-dir", backups.toString()));

        CopyFixtures.assertSameItems(db.client(), table, other.client(), targetTable, List.of("pk"));
        // The engine has no CreateBackup (dynalite, DynamoDB Local): auto falls back to a file, which restores the target's old items exactly.
        assertThat(result.stderr()).contains("CreateBackup is not available for table '" + targetTable + "'")
                .contains("UnknownOperationException").contains("backing up to a file instead");
        List<Path> files;
        try (Stream<Path> listing = Files.list(backups)) {
            files = listing.toList();
        }
        assertThat(files).hasSize(1);
        Path backup = files.get(0);
        assertThat(backup.getFileName().toString()).startsWith(targetTable + "-").endsWith(".jsonl.gz");
        assertThat(result.stderr()).contains("backed up table '" + targetTable + "' in '" + other.env() + "' (us-east-1) to file "
                + backup + " (31 items)");
        assertThat(CopyFixtures.byKey(ItemFileReader.readAll(backup), List.of("pk")))
                .isEqualTo(CopyFixtures.byKey(targetBefore, List.of("pk")));
        assertThat(result.stderr().lines().toList()).last().asString()
                .startsWith("copied table '" + table + "' in '" + db.env() + "' (us-east-1) to table '" + targetTable + "' in '"
                        + other.env() + "' (us-east-1): scanned 120, unchanged 0, written 120, deleted 30, retried 0, "
                        + "throttled 0, failed 0, ");
        assertThat(result.stdout()).isEmpty();

        // The notice names the exact command that restores the backup; run as printed, it puts the old target back.
        String restore = "dynamo import -t " + targetTable + " -e " + other.env() + " --from " + backup + " --mode replace --yes";
        assertThat(result.stderr()).contains("; restore it with: " + restore + "\n");
        String[] words = restore.substring("dynamo ".length()).split(" ");
        succeeded(Cli.isolated(home).run(words));
        assertThat(CopyFixtures.itemsByKey(other.client(), targetTable, List.of("pk")))
                .isEqualTo(CopyFixtures.byKey(targetBefore, List.of("pk")));
    }

    @Test
    void restoreCommand_startsWithTheProgramAsInvoked(LocalDynamoDb db) throws IOException {
        String table = simpleTable(db);
        TestTables.put(db.client(), table, items("src", 3));
        String target = simpleTable(db);
        TestTables.put(db.client(), target, items("old", 2));

        CommandResult result = succeeded(Cli.isolated(home).withVariables(Map.of("DYNAMO_PROGRAM", "/opt/my tools/dynamo"))
                .run("copy", "-t", table, "--target-table", target, "--source", db.env(), "--target", db.env(), "--yes",
                        "--backup", "file", "--backup-dir", backups.toString()));

        Path backup;
        try (Stream<Path> listing = Files.list(backups)) {
            backup = listing.filter(f -> f.getFileName().toString().endsWith(".jsonl.gz")).findFirst().orElseThrow();
        }
        assertThat(result.stderr()).contains("; restore it with: '/opt/my tools/dynamo' import -t " + target + " -e " + db.env()
                + " --from " + backup + " --mode replace --yes\n");
    }

    @Test
    void mergeOverwritesSameKeys_andDeletesNothing(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other) {
        String table = simpleTable(db);
        TestTables.put(db.client(), table, items("k", 50));
        String target = TestTables.table("copy").partitionKey("pk", ScalarAttributeType.S).create(other.client());
        List<Map<String, AttributeValue>> old = items("keep", 20);
        old.add(Map.of("pk", s("k3"), "old", s("overwritten")));
        TestTables.put(other.client(), target, old);

        CommandResult result = succeeded(Cli.isolated(home).run("copy", "-t", table, "--target-table", target, "--mode", "merge",
                "--src", db.env(), "--dst", other.env(), "--backup-dir", backups.toString()));

        Map<String, Map<String, AttributeValue>> after = CopyFixtures.itemsByKey(other.client(), target, List.of("pk"));
        Map<String, Map<String, AttributeValue>> source = CopyFixtures.itemsByKey(db.client(), table, List.of("pk"));
        assertThat(after).hasSize(70);
        assertThat(after).containsAllEntriesOf(source); // k3 overwritten with the source's item: no "old" attribute
        assertThat(after).containsAllEntriesOf(CopyFixtures.itemsByKey(other.client(), target, List.of("pk")));
        assertThat(after.keySet().stream().filter(k -> k.contains("keep"))).hasSize(20);
        assertThat(backups).isEmptyDirectory();
        assertThat(result.stderr()).contains("written 50, deleted 0");
    }

    @Test
    void mergeBacksUpTheTarget_whenAskedTo_withoutNeedingConsent(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other)
            throws IOException {
        String table = simpleTable(db);
        TestTables.put(db.client(), table, items("k", 5));
        String target = TestTables.table("copy").partitionKey("pk", ScalarAttributeType.S).create(other.client());
        TestTables.put(other.client(), target, List.of(Map.of("pk", s("k1"), "old", s("overwritten")), Map.of("pk", s("keep"))));
        List<Map<String, AttributeValue>> before = TestTables.scanAll(other.client(), target);

        CommandResult result = succeeded(Cli.isolated(home).run("copy", "-t", table, "--target-table", target, "--mode", "merge",
                "--backup", "file", "--src", db.env(), "--dst", other.env(), "--backup-dir", backups.toString()));

        Path backup;
        try (Stream<Path> files = Files.list(backups)) {
            backup = files.findFirst().orElseThrow();
        }
        assertThat(CopyFixtures.byKey(ItemFileReader.readAll(backup), List.of("pk"))).isEqualTo(CopyFixtures.byKey(before, List.of("pk")));
        assertThat(result.stderr()).contains("to file " + backup + " (2 items)").contains("written 5, deleted 0");
        assertThat(CopyFixtures.itemsByKey(other.client(), target, List.of("pk"))).hasSize(6);
    }

    @Test
    void backsUpUnderTheHomeDirectory_whenNoBackupDirIsGiven_neverIntoTheWorkingDirectory(LocalDynamoDb db,
            @LocalEngineExtension.Second LocalDynamoDb other) throws IOException {
        String table = simpleTable(db);
        TestTables.put(db.client(), table, items("src", 5));
        String targetTable = TestTables.table("copy").partitionKey("pk", ScalarAttributeType.S).create(other.client());
        TestTables.put(other.client(), targetTable, items("old", 3));
        Path workingDirectory = Path.of("").toAbsolutePath();
        List<Path> before;
        try (Stream<Path> listing = Files.list(workingDirectory)) {
            before = listing.toList();
        }

        CommandResult result = succeeded(Cli.isolated(home).run("copy", "-t", table, "--target-table", targetTable,
                "--source", db.env(), "--target", other.env(), "--yes", "--backup", "file"));

        Path directory = home.resolve(".dynamo").resolve("backups");
        List<Path> files;
        try (Stream<Path> listing = Files.list(directory)) {
            files = listing.toList();
        }
        assertThat(files).singleElement().satisfies(file -> assertThat(file.getFileName().toString()).startsWith(targetTable + "-"));
        assertThat(result.stderr()).contains("to file " + files.get(0) + " (3 items)");
        assertThat(ItemFileReader.readAll(files.get(0))).hasSize(3);
        try (Stream<Path> listing = Files.list(workingDirectory)) {
            assertThat(listing.toList()).containsExactlyInAnyOrderElementsOf(before);
        }
    }
}
