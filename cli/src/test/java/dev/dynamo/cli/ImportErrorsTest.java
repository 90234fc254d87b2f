package dev.dynamo.cli;

import static dev.dynamo.cli.ImportAwsExportTest.KEYS;
import static dev.dynamo.cli.ImportAwsExportTest.assertTableHolds;
import static dev.dynamo.testing.CopyFixtures.everyType;
import static dev.dynamo.testing.CopyFixtures.n;
import static dev.dynamo.testing.CopyFixtures.s;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dynamo.items.ItemFileReader;
import dev.dynamo.testing.AwsExportFixture;
import dev.dynamo.testing.AwsExportFixture.Format;
import dev.dynamo.testing.AwsExportFixture.Type;
import dev.dynamo.testing.Cli;
import dev.dynamo.testing.CommandResult;
import dev.dynamo.testing.CopyFixtures;
import dev.dynamo.testing.EngineTest;
import dev.dynamo.testing.LocalDynamoDb;
import dev.dynamo.testing.TestTables;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Every refusal of {@code dynamo import}, each with nothing written (the table scanned before and after), and the runs
 * that delete: replace mode (consent, the backup first, and restoring that backup, or copy's, exactly) and dead letters.
 */
@EngineTest
class ImportErrorsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant EXPORT_TIME = Instant.parse("2024-06-01T08:00:00.000Z");

    @TempDir
    Path home;

    @TempDir
    Path dir;

    // --- damaged exports: exit 1, the file named, nothing written

    @Test
    void refusesADataFileWithOneByteFlipped_andWritesNothing(LocalDynamoDb db) throws Exception {
        Path export = export(CopyFixtures.mixedItems(300, 7), 3, false);
        Path damaged = dataFiles(export).get(1);
        byte[] bytes = Files.readAllBytes(damaged);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(damaged, bytes);
        String table = ImportAwsExportTest.table(db);
        List<Map<String, AttributeValue>> before = before(db, table);

        CommandResult result = Cli.isolated(home).fail(1, "import", "-t", table, "-e", db.env(), "--from", export.toString());

        assertThat(result.stderr()).contains(damaged.getFileName().toString()).contains("nothing was written");
        assertTableHolds(db, table, before);
    }

    @Test
    void refusesADataFileThatHoldsOtherThanItsManifestsItemCount_andWritesNothing(LocalDynamoDb db) throws Exception {
        Path export = export(CopyFixtures.mixedItems(300, 7), 3, false);
        Path miscounted = dataFiles(export).get(2);
        // One more item in the manifest, for the file and the summary alike: the manifests add up, the file does not.
        editManifestFiles(export, miscounted, line -> line.put("itemCount", line.get("itemCount").asLong() + 1));
        ObjectNode summary = (ObjectNode) JSON.readTree(export.resolve("manifest-summary.json").toFile());
        summary.put("itemCount", 301);
        rewriteManifest(export, "manifest-summary", summary.toString().getBytes(StandardCharsets.UTF_8));
        String table = ImportAwsExportTest.table(db);
        List<Map<String, AttributeValue>> before = before(db, table);

        CommandResult result = Cli.isolated(home).fail(1, "import", "-t", table, "-e", db.env(), "--from", export.toString());

        assertThat(result.stderr()).contains(miscounted.getFileName().toString()).contains("the manifest says")
                .contains("nothing was written");
        assertTableHolds(db, table, before);
    }

    @Test
    void refusesAnExportWhoseListedDataFileIsMissing_andWritesNothing(LocalDynamoDb db) throws Exception {
        Path export = export(CopyFixtures.mixedItems(300, 7), 3, false);
        Path missing = dataFiles(export).get(0);
        Files.delete(missing);
        String table = ImportAwsExportTest.table(db);
        List<Map<String, AttributeValue>> before = before(db, table);

        CommandResult result = Cli.isolated(home).fail(1, "import", "-t", table, "-e", db.env(), "--from", export.toString());

        assertThat(result.stderr()).contains(missing.getFileName().toString()).contains("missing").contains("nothing was written");
        assertTableHolds(db, table, before);
    }

    @Test
    void refusesADataLineThatIsNotARecord_andWritesNothing(LocalDynamoDb db) throws Exception {
        Path export = export(CopyFixtures.mixedItems(300, 7), 3, true);
        Path file = dataFiles(export).get(1);
        List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        lines.set(40, "{\"Keys\":{\"pk\":{\"S\":\"p0\"},\"sk\":{\"N\":\"0\"}}}");
        byte[] edited = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        Files.write(file, edited);
        // The manifest gets the edited file's MD5: only the line is wrong.
        String editedMd5 = md5(edited);
        editManifestFiles(export, file, line -> line.put("md5Checksum", editedMd5));
        String table = ImportAwsExportTest.table(db);
        List<Map<String, AttributeValue>> before = before(db, table);

        CommandResult result = Cli.isolated(home).fail(1, "import", "-t", table, "-e", db.env(), "--from", export.toString());

        assertThat(result.stderr()).contains(file.getFileName().toString()).contains("line 41").contains("nothing was written");
        assertTableHolds(db, table, before);
    }

    // --- no export, or not one to import: exit 2, nothing written

    @Test
    void refusesAnExportWithoutItsSummary_asNotFinished(LocalDynamoDb db) throws Exception {
        Path export = export(CopyFixtures.mixedItems(50, 3), 2, false);
        Files.delete(export.resolve("manifest-summary.json"));
        String table = ImportAwsExportTest.table(db);
        List<Map<String, AttributeValue>> before = before(db, table);

        for (Path from : List.of(export, dir.resolve("bucket"))) {
            CommandResult result = Cli.isolated(home).fail(2, "import", "-t", table, "-e", db.env(), "--from", from.toString());

            assertThat(result.stderr()).contains(export.toString()).contains("manifest-summary.json").contains("did not finish");
        }
        assertTableHolds(db, table, before);
    }

    @Test
    void refusesAPrefixHoldingTwoExports_namingBoth(LocalDynamoDb db) throws Exception {
        Path bucket = dir.resolve("bucket");
        Path full = AwsExportFixture.builder(bucket).items(CopyFixtures.mixedItems(20, 2)).exportTime(EXPORT_TIME).write();
        Path incremental = AwsExportFixture.builder(bucket).type(Type.INCREMENTAL_EXPORT)
                .changes(ImportAwsExportTest.firstChanges(CopyFixtures.byKey(CopyFixtures.mixedItems(20, 2), KEYS), EXPORT_TIME))
                .exportTime(EXPORT_TIME.plus(15, ChronoUnit.MINUTES)).write();
        String table = ImportAwsExportTest.table(db);
        List<Map<String, AttributeValue>> before = before(db, table);

        CommandResult result = Cli.isolated(home).fail(2, "import", "-t", table, "-e", db.env(), "--from", bucket.toString());

        assertThat(result.stderr()).contains("several exports at " + bucket + ": " + full.getFileName() + ", "
                + incremental.getFileName() + ";");
        assertTableHolds(db, table, before);
    }

    @Test
    void refusesAFolderWithNoExport(LocalDynamoDb db) throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Files.writeString(empty.resolve("notes.txt"), "not an export");
        String table = ImportAwsExportTest.table(db);
        List<Map<String, AttributeValue>> before = before(db, table);

        CommandResult result = Cli.isolated(home).fail(2, "import", "-t", table, "-e", db.env(), "--from", empty.toString());

        assertThat(result.stderr()).contains("no export at").contains(empty.toString());
        assertTableHolds(db, table, before);
    }

    @Test
    void refusesAMissingTable_withoutCreateTable_andWithItFromAnAwsExport(LocalDynamoDb db) throws Exception {
        Path export = export(CopyFixtures.mixedItems(20, 2), 1, false);
        String table = TestTables.uniqueName("import-missing");

        CommandResult without = Cli.isolated(home).fail(2, "import", "-t", table, "-e", db.env(), "--from", export.toString());
        CommandResult with = Cli.isolated(home).fail(2, "import", "-t", table, "-e", db.env(), "--from", export.toString(),
                "--create-table");

        assertThat(without.stderr()).contains("table '" + table + "' not found").contains("--create-table");
        assertThat(with.stderr()).contains("table '" + table + "' not found").contains("dynamo-table.json")
                .contains("create the table first");
        assertThat(db.client().listTables().tableNames()).doesNotContain(table);
    }

    @Test
    void refusesATableWhoseKeyDiffersFromTheExportedTables(LocalDynamoDb db) throws Exception {
        String source = ImportAwsExportTest.table(db);
        TestTables.put(db.client(), source, CopyFixtures.mixedItems(50, 3));
        Path exported = dir.resolve("exported");
        Cli.isolated(home).succeed("export", "-t", source, "-e", db.env(), "--to", exported.toString(), "-q");
        String target = TestTables.table("import-other-key").partitionKey("id", ScalarAttributeType.S).create(db.client());
        List<Map<String, AttributeValue>> before = List.of(Map.of("id", s("kept"), "v", n("1")));
        TestTables.put(db.client(), target, before);

        CommandResult result = Cli.isolated(home).fail(2, "import", "-t", target, "-e", db.env(), "--from", exported.toString());

        assertThat(result.stderr()).contains("has the key id (HASH)").contains("pk (HASH), sk (RANGE)");
        assertThat(CopyFixtures.itemsByKey(db.client(), target, List.of("id")))
                .isEqualTo(CopyFixtures.byKey(before, List.of("id")));
    }

    @Test
    void refusesATableWhoseKeyTheAwsExportsItemsLack(LocalDynamoDb db) throws Exception {
        Path export = export(CopyFixtures.mixedItems(50, 3), 2, false);
        String target = TestTables.table("import-other-key").partitionKey("id", ScalarAttributeType.S).create(db.client());
        List<Map<String, AttributeValue>> before = List.of(Map.of("id", s("kept"), "v", n("1")));
        TestTables.put(db.client(), target, before);

        CommandResult result = Cli.isolated(home).run("import", "-t", target, "-e", db.env(), "--from", export.toString(),
                "--backup-dir", dir.resolve("backups").toString());

        assertThat(result.exitCode()).as("%s", result).isEqualTo(2);
        assertThat(result.stderr().lines().toList()).as("%s", result).singleElement().asString()
                .contains("line 1: the record has no id of type S").contains("nothing was written");
        assertThat(dir.resolve("backups")).as("no dead-letter file").doesNotExist();
        assertThat(CopyFixtures.itemsByKey(db.client(), target, List.of("id")))
                .isEqualTo(CopyFixtures.byKey(before, List.of("id")));
    }

    // --- replace mode

    @Test
    void refusesReplaceMode_withoutYes_whenNoTerminalCanAsk(LocalDynamoDb db) throws Exception {
        Path export = export(CopyFixtures.mixedItems(50, 3), 2, false);
        String table = ImportAwsExportTest.table(db);
        List<Map<String, AttributeValue>> before = before(db, table);
        Path backups = dir.resolve("backups");

        CommandResult result = Cli.isolated(home).fail(2, "import", "-t", table, "-e", db.env(), "--from", export.toString(),
                "--mode", "replace", "--backup-dir", backups.toString());

        assertThat(result.stderr()).contains("--yes").contains("nothing was changed");
        assertTableHolds(db, table, before);
        assertThat(backups).doesNotExist();
    }

    @Test
    void replaceMode_backsUpFirst_deletesWhatTheImportLacks_andItsBackupRestoresTheTableExactly(LocalDynamoDb db)
            throws Exception {
        List<Map<String, AttributeValue>> items = CopyFixtures.mixedItems(300, 7);
        Path export = export(items, 3, false);
        String table = ImportAwsExportTest.table(db);
        List<Map<String, AttributeValue>> old = new ArrayList<>();
        for (int i = 0; i < 400; i += 2) { // half of the export's keys, other values; and 100 keys it lacks
            old.add(everyType(Map.of("pk", s("p" + i % 7), "sk", n("" + i)), 1000 + i));
        }
        TestTables.put(db.client(), table, old);
        Path backups = dir.resolve("backups");

        CommandResult replaced = Cli.isolated(home).run("import", "-t", table, "-e", db.env(), "--from", export.toString(),
                "--mode", "replace", "--yes", "--backup-dir", backups.toString(), "--summary", "json");

        assertThat(replaced.exitCode()).as("%s", replaced).isZero();
        assertTableHolds(db, table, items);
        JsonNode summary = JSON.readTree(replaced.stdout());
        assertThat(summary.get("written").asLong()).isEqualTo(300);
        assertThat(summary.get("deleted").asLong()).isEqualTo(50);
        Path backup = Path.of(summary.get("backupFile").asText());
        assertThat(filesIn(backups)).containsExactly(backup);
        assertThat(backup.getFileName().toString()).startsWith(table + "-");
        assertSameItems(ItemFileReader.readAll(backup), old);
        assertThat(replaced.stderr()).contains(backup.toString());

        Cli.isolated(home).succeed("import", "-t", table, "-e", db.env(), "--from", backup.toString(), "--mode", "replace",
                "--yes", "--backup", "none", "--backup-dir", backups.toString(), "-q");

        assertTableHolds(db, table, old);
        assertThat(filesIn(backups)).as("--backup none makes no backup").containsExactly(backup);
    }

    @Test
    void replaceMode_withBackupNone_makesNoBackup(LocalDynamoDb db) throws Exception {
        List<Map<String, AttributeValue>> items = CopyFixtures.mixedItems(100, 3);
        Path export = export(items, 2, false);
        String table = ImportAwsExportTest.table(db);
        TestTables.put(db.client(), table, List.of(Map.of("pk", s("gone"), "sk", n("1")), Map.of("pk", s("p0"), "sk", n("0"))));
        Path backups = dir.resolve("backups");

        CommandResult result = Cli.isolated(home).run("import", "-t", table, "-e", db.env(), "--from", export.toString(),
                "--mode", "replace", "--yes", "--backup", "none", "--backup-dir", backups.toString(), "--summary", "json");

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(JSON.readTree(result.stdout()).get("backupFile").isNull()).isTrue();
        assertTableHolds(db, table, items);
        assertThat(backups.toFile().exists() ? filesIn(backups) : List.of()).isEmpty();
        assertThat(home.resolve(".dynamo").resolve("backups")).doesNotExist();
    }

    @Test
    void restoresTheBackupACopyInReplaceModeMade(LocalDynamoDb db) throws Exception {
        String source = ImportAwsExportTest.table(db);
        TestTables.put(db.client(), source, CopyFixtures.mixedItems(200, 5));
        String target = ImportAwsExportTest.table(db);
        List<Map<String, AttributeValue>> old = new ArrayList<>();
        for (int i = 100; i < 350; i++) {
            old.add(i % 5 == 0 ? everyType(Map.of("pk", s("p" + i % 5), "sk", n("" + i)), i)
                    : Map.of("pk", s("p" + i % 5), "sk", n("" + i), "old", s("target's own " + i)));
        }
        TestTables.put(db.client(), target, old);

        CommandResult copy = Cli.isolated(home).run("copy", "-t", source, "--target-table", target, "--source", db.env(),
                "--target", db.env(), "--mode", "replace", "--backup", "file", "--yes");

        assertThat(copy.exitCode()).as("%s", copy).isZero();
        CopyFixtures.assertSameItems(db.client(), source, db.client(), target, KEYS);
        List<Path> backups = filesIn(home.resolve(".dynamo").resolve("backups"));
        assertThat(backups).hasSize(1);
        Path backup = backups.get(0);

        Cli.isolated(home).succeed("import", "-t", target, "-e", db.env(), "--from", backup.toString(), "--mode", "replace",
                "--yes", "-q");

        assertTableHolds(db, target, old);
        Matcher printed = Pattern.compile("dynamo import ([^\\n]*)").matcher(copy.stderr());
        if (printed.find()) { // the copy prints the command that restores its backup: it must restore the same
            TestTables.put(db.client(), target, List.of(Map.of("pk", s("extra"), "sk", n("1"))));
            List<String> args = new ArrayList<>(List.of("import"));
            args.addAll(Arrays.asList(printed.group(1).strip().split("\\s+")));
            args.add("-q");
            Cli.isolated(home).succeed(args.toArray(String[]::new));
            assertTableHolds(db, target, old);
        }
    }

    // --- dead letters

    @Test
    void keepsItemsThatCannotBeWritten_inTheDeadLetterFile_andExits1(LocalDynamoDb db) throws Exception {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        List<Map<String, AttributeValue>> bad = new ArrayList<>();
        for (Map<String, AttributeValue> mixed : CopyFixtures.mixedItems(200, 5)) {
            Map<String, AttributeValue> item = new HashMap<>(mixed);
            int sk = Integer.parseInt(item.get("sk").n());
            item.put("code", sk % 40 == 7 ? s("not-a-number-" + sk) : n("" + sk));
            items.add(item);
            if (sk % 40 == 7) {
                bad.add(item);
            }
        }
        Path export = export(items, 3, false);
        String table = TestTables.table("import-dead").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.N)
                .gsi("byCode", "code", ScalarAttributeType.N, null, null, ProjectionType.ALL).create(db.client());
        Path backups = dir.resolve("backups");

        CommandResult result = Cli.isolated(home).run("import", "-t", table, "-e", db.env(), "--from", export.toString(),
                "--backup-dir", backups.toString(), "--summary", "json");

        assertThat(result.exitCode()).as("%s", result).isEqualTo(1);
        List<Path> files = filesIn(backups);
        assertThat(files).hasSize(1);
        Path deadLetters = files.get(0);
        assertThat(result.stderr().lines().toList()).as("%s", result).singleElement().isEqualTo("dynamo: 5 items could not be "
                + "written; they are in " + deadLetters + " (DynamoDB JSON lines, with the error of each)");
        JsonNode summary = JSON.readTree(result.stdout());
        assertThat(summary.get("failed").asLong()).isEqualTo(5);
        assertThat(summary.get("written").asLong()).isEqualTo(195);
        assertThat(summary.get("deadLetterFile").asText()).isEqualTo(deadLetters.toString());
        assertSameItems(ItemFileReader.readAll(deadLetters), bad);
        List<Map<String, AttributeValue>> good = new ArrayList<>(items);
        good.removeAll(bad);
        assertTableHolds(db, table, good);
    }

    // --- helpers

    /** A full AWS-layout export (DynamoDB JSON) of the items under dir/bucket, in {@code files} data files. */
    private Path export(List<Map<String, AttributeValue>> items, int files, boolean plain) throws Exception {
        return AwsExportFixture.builder(dir.resolve("bucket")).format(Format.DYNAMODB_JSON).files(files).items(items)
                .plain(plain).s3Prefix("exports").exportTime(EXPORT_TIME).write();
    }

    /** A few items in the table before the import, which a refused import must leave exactly as they are. */
    private static List<Map<String, AttributeValue>> before(LocalDynamoDb db, String table) {
        List<Map<String, AttributeValue>> before = List.of(everyType(Map.of("pk", s("p0"), "sk", n("0")), 77),
                Map.of("pk", s("p1"), "sk", n("1"), "v", s("before the import")),
                Map.of("pk", s("not-exported"), "sk", n("5")));
        TestTables.put(db.client(), table, before);
        return before;
    }

    /** The same items by key, each equal attribute by attribute as DynamoDB compares values (numbers by value). */
    private static void assertSameItems(List<Map<String, AttributeValue>> actual, List<Map<String, AttributeValue>> expected) {
        Map<String, Map<String, AttributeValue>> actualByKey = CopyFixtures.byKey(actual, KEYS);
        Map<String, Map<String, AttributeValue>> expectedByKey = CopyFixtures.byKey(expected, KEYS);
        assertThat(actual).as("items, none twice").hasSameSizeAs(actualByKey.keySet());
        assertThat(actualByKey.keySet()).isEqualTo(expectedByKey.keySet());
        expectedByKey.forEach((key, item) ->
                assertThat(CopyFixtures.canonical(actualByKey.get(key))).as("item %s", key).isEqualTo(CopyFixtures.canonical(item)));
    }

    /** The export's data files, in the order its manifest lists them. */
    private static List<Path> dataFiles(Path export) throws IOException {
        List<Path> files = new ArrayList<>();
        for (String line : Files.readAllLines(export.resolve("manifest-files.json"))) {
            String key = JSON.readTree(line).get("dataFileS3Key").asText();
            files.add(export.resolve("data").resolve(key.substring(key.lastIndexOf('/') + 1)));
        }
        assertThat(files).allSatisfy(file -> assertThat(file).isRegularFile());
        return files;
    }

    private static void editManifestFiles(Path export, Path dataFile, java.util.function.Consumer<ObjectNode> edit)
            throws IOException, NoSuchAlgorithmException {
        StringBuilder out = new StringBuilder();
        boolean found = false;
        for (String line : Files.readAllLines(export.resolve("manifest-files.json"))) {
            ObjectNode json = (ObjectNode) JSON.readTree(line);
            if (json.get("dataFileS3Key").asText().endsWith("/" + dataFile.getFileName())) {
                edit.accept(json);
                found = true;
            }
            out.append(json).append('\n');
        }
        assertThat(found).as("%s is in the manifest", dataFile).isTrue();
        rewriteManifest(export, "manifest-files", out.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Rewrites a manifest and its .md5 beside it, as AWS would have written them. */
    private static void rewriteManifest(Path export, String name, byte[] bytes) throws IOException, NoSuchAlgorithmException {
        Files.write(export.resolve(name + ".json"), bytes);
        Files.writeString(export.resolve(name + ".md5"), md5(bytes));
    }

    private static String md5(byte[] bytes) throws NoSuchAlgorithmException {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(bytes));
    }

    private static List<Path> filesIn(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.sorted().toList();
        }
    }
}
