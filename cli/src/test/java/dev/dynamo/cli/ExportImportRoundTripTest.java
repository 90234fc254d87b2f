package dev.dynamo.cli;

import static dev.dynamo.cli.ExportImportSupport.KEYS;
import static dev.dynamo.cli.ExportImportSupport.assertSameItems;
import static dev.dynamo.cli.ExportImportSupport.edgeItems;
import static dev.dynamo.cli.ExportImportSupport.json;
import static dev.dynamo.cli.ExportImportSupport.jsonLines;
import static dev.dynamo.cli.ExportImportSupport.md5;
import static dev.dynamo.cli.ExportImportSupport.md5Base64;
import static dev.dynamo.cli.ExportImportSupport.readDynamoDbJsonDataFile;
import static dev.dynamo.testing.CopyFixtures.n;
import static dev.dynamo.testing.CopyFixtures.s;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dynamo.cli.ExportImportSupport.Numbers;
import dev.dynamo.testing.Cli;
import dev.dynamo.testing.CommandResult;
import dev.dynamo.testing.CopyFixtures;
import dev.dynamo.testing.EngineTest;
import dev.dynamo.testing.LocalDynamoDb;
import dev.dynamo.testing.LocalEngineExtension;
import dev.dynamo.testing.TestTables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * {@code dynamo export} to a local folder and {@code dynamo import --create-table} back into a new table on a second
 * engine: every attribute type and DynamoDB's edge cases come back equal (DynamoDB JSON with the exact digits DynamoDB
 * returned, Ion by value); the folder has the layout of DynamoDB's Export to S3 with manifests that add up and private
 * files; segments, file sizes, selections, merge imports and dry runs do what the help says.
 */
@EngineTest
class ExportImportRoundTripTest {
    private static final Pattern DATA_FILE = Pattern.compile("data/s(\\d{5})-(\\d{5})\\.(json|ion)\\.gz");

    @TempDir
    Path home;

    @TempDir
    Path exports;

    private LocalDynamoDb db;
    private LocalDynamoDb other;

    @BeforeEach
    void servers(LocalDynamoDb primary, @LocalEngineExtension.Second LocalDynamoDb second) {
        db = primary;
        other = second;
    }

    private static String table(DynamoDbClient client) {
        return TestTables.table("roundtrip").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.N)
                .gsi("byStatus", "status", ScalarAttributeType.S, null, null, ProjectionType.KEYS_ONLY).create(client);
    }

    /** A table on the first engine holding {@code items}, as the engine returns them (by key). */
    private String sourceWith(List<Map<String, AttributeValue>> items) {
        String table = table(db.client());
        CopyFixtures.putParallel(db.client(), table, items);
        return table;
    }

    private Map<String, Map<String, AttributeValue>> itemsOf(LocalDynamoDb server, String table) {
        return CopyFixtures.itemsByKey(server.client(), table, KEYS);
    }

    private CommandResult export(String table, String destination, String... more) {
        List<String> args = new ArrayList<>(List.of("export", "-t", table, "-e", db.env(), "--to", destination, "--summary", "json"));
        args.addAll(List.of(more));
        return Cli.isolated(home).succeed(args.toArray(String[]::new));
    }

    private CommandResult importInto(String table, String source, String... more) {
        List<String> args = new ArrayList<>(List.of("import", "-t", table, "-e", other.env(), "--from", source, "--summary", "json",
                "--backup-dir", home.resolve("backups").toString()));
        args.addAll(List.of(more));
        CommandResult result = Cli.isolated(home).run(args.toArray(String[]::new));
        assertThat(result.exitCode()).as("exit code of %s", result).isZero();
        // A table it creates is named on stderr; nothing else is (the summary is on stdout).
        assertThat(result.stderr().lines().toList()).as("stderr of %s", result).hasSizeLessThanOrEqualTo(1)
                .allMatch(line -> line.startsWith("created table '" + table + "'"));
        return result;
    }

    /** The one export's folder under {@code destination}: {@code destination/AWSDynamoDB/ID}. */
    private static Path exportFolder(Path destination) throws IOException {
        try (Stream<Path> listing = Files.list(destination.resolve("AWSDynamoDB"))) {
            List<Path> folders = listing.toList();
            assertThat(folders).as("exports under %s", destination).hasSize(1);
            return folders.get(0);
        }
    }

    /** Every item of every data file (DynamoDB JSON) the export's manifest-files.json names, by key. */
    private static Map<String, Map<String, AttributeValue>> dataFileItems(Path destination) throws IOException {
        Map<String, Map<String, AttributeValue>> items = new TreeMap<>();
        for (JsonNode line : jsonLines(Files.readAllBytes(exportFolder(destination).resolve("manifest-files.json")))) {
            for (Map<String, AttributeValue> item : readDynamoDbJsonDataFile(Files.readAllBytes(destination.resolve(line.get("dataFileS3Key").asText())))) {
                assertThat(items.put(CopyFixtures.keyText(item, KEYS), item)).as("item %s exported twice", item.get("pk")).isNull();
            }
        }
        return items;
    }

    /** The data files of the export, by segment, in order. */
    private static Map<Integer, List<String>> filesBySegment(List<JsonNode> manifestLines) {
        Map<Integer, List<String>> bySegment = new TreeMap<>();
        for (JsonNode line : manifestLines) {
            String key = line.get("dataFileS3Key").asText();
            Matcher name = DATA_FILE.matcher(key.substring(key.indexOf("data/")));
            assertThat(name.matches()).as("data file name %s", key).isTrue();
            bySegment.computeIfAbsent(Integer.parseInt(name.group(1)), segment -> new ArrayList<>()).add(key);
        }
        bySegment.values().forEach(keys -> keys.sort(null));
        return bySegment;
    }

    @Test
    void importsEveryAttributeTypeWithExactDigits_fromADynamoDbJsonExportToAFolder() throws IOException {
        String source = sourceWith(edgeItems(60));
        Map<String, Map<String, AttributeValue>> written = itemsOf(db, source);
        Path destination = exports.resolve("json");

        JsonNode exported = json(export(source, destination.toString(), "--format", "ddb-json").stdout());
        String target = TestTables.uniqueName("roundtrip-json");
        JsonNode imported = json(importInto(target, destination.toString(), "--create-table").stdout());

        // The data files hold the digits DynamoDB returned, read here with plain Jackson and gzip.
        assertSameItems(written, dataFileItems(destination), Numbers.EXACT);
        assertSameItems(written, itemsOf(other, target), Numbers.EXACT);
        assertThat(exported.get("items").asLong()).isEqualTo(60);
        assertThat(exported.get("format").asText()).isEqualTo("DYNAMODB_JSON");
        assertThat(exported.get("exportId").asText()).isEqualTo(exportFolder(destination).getFileName().toString());
        assertThat(exported.get("resumed").asBoolean()).isFalse();
        assertThat(imported.get("written").asLong()).isEqualTo(60);
        assertThat(imported.get("deleted").asLong()).isZero();
        assertThat(imported.get("failed").asLong()).isZero();
        assertThat(imported.get("tableCreated").asBoolean()).isTrue();
        assertThat(imported.get("files").asLong()).isEqualTo(exported.get("files").asLong());
        assertThat(other.client().describeTable(b -> b.tableName(target)).table().globalSecondaryIndexes())
                .as("the created table's indexes").singleElement()
                .satisfies(index -> {
                    assertThat(index.indexName()).isEqualTo("byStatus");
                    assertThat(index.projection().projectionTypeAsString()).isEqualTo("KEYS_ONLY");
                });
    }

    @Test
    void importsEveryAttributeTypeByValue_fromAnIonExportToAFolder() throws IOException {
        String source = sourceWith(edgeItems(60));
        Map<String, Map<String, AttributeValue>> written = itemsOf(db, source);
        Path destination = exports.resolve("ion");

        JsonNode exported = json(export(source, destination.toString(), "--format", "ion").stdout());
        String target = TestTables.uniqueName("roundtrip-ion");
        JsonNode imported = json(importInto(target, destination.toString(), "--create-table").stdout());

        assertSameItems(written, itemsOf(other, target), Numbers.BY_VALUE);
        assertThat(exported.get("format").asText()).isEqualTo("ION");
        assertThat(exported.get("items").asLong()).isEqualTo(60);
        assertThat(imported.get("written").asLong()).isEqualTo(60);
        assertThat(imported.get("tableCreated").asBoolean()).isTrue();
        try (Stream<Path> data = Files.list(exportFolder(destination).resolve("data"))) {
            assertThat(data.map(path -> path.getFileName().toString()).toList()).isNotEmpty().allMatch(name -> name.endsWith(".ion.gz"));
        }
        for (Path file : dataFiles(destination)) {
            assertThat(ExportImportSupport.gunzip(Files.readAllBytes(file)).lines().toList())
                    .as("lines of %s", file).isNotEmpty().allMatch(line -> line.startsWith("$ion_1_0 {Item:{"));
        }
    }

    private static List<Path> dataFiles(Path destination) throws IOException {
        try (Stream<Path> data = Files.list(exportFolder(destination).resolve("data"))) {
            return data.sorted().toList();
        }
    }

    @Test
    void writesDynamoDbsExportLayout_withCheckedManifestsAndPrivateFiles() throws IOException {
        String source = sourceWith(edgeItems(40));
        Path destination = exports.resolve("layout");

        JsonNode exported = json(export(source, destination.toString(), "--segments", "3").stdout());

        Path folder = exportFolder(destination);
        String id = folder.getFileName().toString();
        assertThat(id).matches("\\d{14}-[0-9a-f]{8}");
        assertThat(folder.resolve("_started")).isEmptyFile();
        assertThat(folder.resolve("dynamo-table.json")).isNotEmptyFile();
        JsonNode summary = ExportImportSupport.JSON.readTree(folder.resolve("manifest-summary.json").toFile());
        assertThat(summary.get("version").asText()).isEqualTo("2020-06-30");
        assertThat(summary.get("itemCount").asLong()).isEqualTo(40);
        assertThat(summary.get("outputFormat").asText()).isEqualTo("DYNAMODB_JSON");
        assertThat(summary.get("exportType").asText()).isEqualTo("FULL_EXPORT");
        assertThat(summary.get("manifestFilesS3Key").asText()).isEqualTo("AWSDynamoDB/" + id + "/manifest-files.json");
        assertThat(summary.get("exportArn").asText()).endsWith("/export/" + id);
        assertThat(summary.get("startTime").asText()).isNotBlank();
        assertThat(summary.get("endTime").asText()).isNotBlank();
        assertThat(summary.get("exportTime").asText()).isNotBlank();
        assertThat(summary.get("s3Bucket").isNull()).as("s3Bucket of a local export").isTrue();

        List<JsonNode> lines = jsonLines(Files.readAllBytes(folder.resolve("manifest-files.json")));
        long items = 0;
        long bytes = 0;
        for (JsonNode line : lines) {
            assertThat(line.get("dataFileS3Key").asText()).startsWith("AWSDynamoDB/" + id + "/data/").endsWith(".json.gz");
            byte[] file = Files.readAllBytes(destination.resolve(line.get("dataFileS3Key").asText()));
            assertThat(line.get("md5Checksum").asText()).as("md5Checksum of %s", line).isEqualTo(md5Base64(file));
            assertThat(line.get("etag").asText()).as("etag of %s", line).isEqualTo(HexFormat.of().formatHex(md5(file)));
            assertThat(line.get("itemCount").asLong()).as("itemCount of %s", line).isEqualTo(readDynamoDbJsonDataFile(file).size());
            items += line.get("itemCount").asLong();
            bytes += file.length;
        }
        assertThat(items).isEqualTo(40);
        assertThat(dataFiles(destination)).as("data files on disk and in the manifest").hasSize(lines.size());
        assertThat(exported.get("files").asLong()).isEqualTo(lines.size());
        assertThat(exported.get("bytes").asLong()).isEqualTo(bytes);
        assertThat(filesBySegment(lines).keySet()).isSubsetOf(0, 1, 2);

        try (Stream<Path> all = Files.walk(destination)) {
            for (Path path : all.filter(path -> !path.equals(destination)).toList()) {
                assertThat(Files.getPosixFilePermissions(path)).as("permissions of %s", path)
                        .isEqualTo(PosixFilePermissions.fromString(Files.isDirectory(path) ? "rwx------" : "rw-------"));
            }
        }
    }

    @Test
    void writesEachSegmentsItemsToItsOwnDataFiles_withSegments8() throws IOException {
        List<Map<String, AttributeValue>> items = new ArrayList<>(edgeItems(10));
        items.addAll(CopyFixtures.mixedItems(800, 200).subList(10, 800));
        String source = sourceWith(items);
        Path destination = exports.resolve("segments");

        JsonNode exported = json(export(source, destination.toString(), "--segments", "8").stdout());

        Path folder = exportFolder(destination);
        Map<Integer, List<String>> bySegment = filesBySegment(jsonLines(Files.readAllBytes(folder.resolve("manifest-files.json"))));
        for (int segment = 0; segment < 8; segment++) {
            Map<String, Map<String, AttributeValue>> scanned = segmentItems(source, segment, 8);
            Map<String, Map<String, AttributeValue>> inFiles = new TreeMap<>();
            for (String key : bySegment.getOrDefault(segment, List.of())) {
                for (Map<String, AttributeValue> item : readDynamoDbJsonDataFile(Files.readAllBytes(destination.resolve(key)))) {
                    inFiles.put(CopyFixtures.keyText(item, KEYS), item);
                }
            }
            assertThat(scanned).as("segment %d has items (else this test proves little)", segment).isNotEmpty();
            assertSameItems(scanned, inFiles, Numbers.EXACT);
        }
        assertThat(bySegment.keySet()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(exported.get("items").asLong()).isEqualTo(800);

        String target = TestTables.uniqueName("roundtrip-segments");
        JsonNode imported = json(importInto(target, folder.toString(), "--create-table").stdout());
        assertThat(imported.get("written").asLong()).isEqualTo(800);
        assertSameItems(itemsOf(db, source), itemsOf(other, target), Numbers.EXACT);
    }

    /** The items a Scan of segment {@code segment} of {@code total} returns: what that segment's data files must hold. */
    private Map<String, Map<String, AttributeValue>> segmentItems(String table, int segment, int total) {
        Map<String, Map<String, AttributeValue>> items = new TreeMap<>();
        Map<String, AttributeValue> start = null;
        do {
            ScanRequest.Builder request = ScanRequest.builder().tableName(table).segment(segment).totalSegments(total).consistentRead(true);
            if (start != null) {
                request.exclusiveStartKey(start);
            }
            ScanResponse page = db.client().scan(request.build());
            page.items().forEach(item -> items.put(CopyFixtures.keyText(item, KEYS), item));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return items;
    }

    @Test
    void writesSeveralDataFilesPerSegmentAndImportsThemAll_whenFileSizeIs1MiB() throws IOException {
        // 120 items of 30 KB: about 3.5 MiB in two segments, so each segment passes 1 MiB at least once.
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            Map<String, AttributeValue> item = new LinkedHashMap<>(CopyFixtures.everyType(Map.of("pk", s("p" + i % 7), "sk", n(String.valueOf(i))), i));
            item.put("padding", s(("%06d-".formatted(i)).repeat(30_000 / 7)));
            items.add(item);
        }
        String source = sourceWith(items);
        Path destination = exports.resolve("sizes");

        JsonNode exported = json(export(source, destination.toString(), "--segments", "2", "--file-size", "1").stdout());

        Path folder = exportFolder(destination);
        List<JsonNode> lines = jsonLines(Files.readAllBytes(folder.resolve("manifest-files.json")));
        Map<Integer, List<String>> bySegment = filesBySegment(lines);
        assertThat(bySegment.keySet()).containsExactly(0, 1);
        for (List<String> keys : bySegment.values()) {
            assertThat(keys).as("files of one segment").hasSizeGreaterThanOrEqualTo(2);
            for (String key : keys.subList(0, keys.size() - 1)) {
                int uncompressed = ExportImportSupport.gunzip(Files.readAllBytes(destination.resolve(key)))
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
                assertThat(uncompressed).as("bytes of %s, not its segment's last file", key).isGreaterThanOrEqualTo(1 << 20);
            }
        }
        assertThat(exported.get("files").asLong()).isEqualTo(lines.size());

        String target = TestTables.uniqueName("roundtrip-sizes");
        JsonNode imported = json(importInto(target, destination.toString(), "--create-table").stdout());
        assertThat(imported.get("files").asLong()).isEqualTo(lines.size());
        assertThat(imported.get("written").asLong()).isEqualTo(120);
        assertSameItems(itemsOf(db, source), itemsOf(other, target), Numbers.EXACT);
    }

    @Test
    void exportsWhatQueryReturns_whenSelectedByPartitionKey() throws IOException {
        String source = sourceWith(edgeItems(40));
        Path destination = exports.resolve("pk");

        JsonNode exported = json(export(source, destination.toString(), "--pk", "p1").stdout());

        Map<String, Map<String, AttributeValue>> queried = queried(source, "--pk", "p1");
        assertThat(queried).hasSize(10);
        assertSameItems(queried, dataFileItems(destination), Numbers.EXACT);
        assertThat(exported.get("items").asLong()).isEqualTo(10);
        assertThat(json(Files.readString(exportFolder(destination).resolve("manifest-summary.json"))).get("itemCount").asLong()).isEqualTo(10);

        String target = TestTables.uniqueName("roundtrip-pk");
        importInto(target, destination.toString(), "--create-table");
        assertSameItems(queried, itemsOf(other, target), Numbers.EXACT);
    }

    @Test
    void exportsWholeItems_whenSelectedOnAKeysOnlyIndex() throws IOException {
        String source = sourceWith(edgeItems(60));
        Path destination = exports.resolve("index");

        json(export(source, destination.toString(), "-i", "byStatus", "--pk", "open").stdout());

        // The index holds only keys: the query names the items, the table holds them whole.
        Map<String, Map<String, AttributeValue>> keys = queried(source, "-i", "byStatus", "--pk", "open");
        assertThat(keys).hasSize(10);
        Map<String, Map<String, AttributeValue>> table = itemsOf(db, source);
        Map<String, Map<String, AttributeValue>> whole = new TreeMap<>();
        keys.keySet().forEach(key -> whole.put(key, table.get(key)));
        assertThat(whole.values()).allSatisfy(item -> assertThat(item).containsKeys("deepMap", "numbers2", "text"));
        assertSameItems(whole, dataFileItems(destination), Numbers.EXACT);
    }

    /** What {@code dynamo query ... -o ddb} prints, by key. */
    private Map<String, Map<String, AttributeValue>> queried(String table, String... selection) {
        List<String> args = new ArrayList<>(List.of("query", "-t", table, "-e", db.env(), "-o", "ddb"));
        args.addAll(List.of(selection));
        JsonNode answer = json(Cli.isolated(home).succeed(args.toArray(String[]::new)).stdout());
        Map<String, Map<String, AttributeValue>> items = new TreeMap<>();
        answer.get("Items").forEach(item -> {
            Map<String, AttributeValue> parsed = ExportImportSupport.item(item);
            items.put(CopyFixtures.keyText(parsed, KEYS), parsed);
        });
        return items;
    }

    @Test
    void keepsTheTablesOtherItems_whenImportMergesIntoAnExistingTable() throws IOException {
        List<Map<String, AttributeValue>> exportedItems = edgeItems(30);
        String source = sourceWith(exportedItems);
        Path destination = exports.resolve("merge");
        export(source, destination.toString(), "--format", "ion");
        String target = table(other.client());
        // Keys 20 to 49: 20 to 29 are in the export (with other values), 30 to 49 are the table's own.
        List<Map<String, AttributeValue>> own = new ArrayList<>();
        for (int i = 20; i < 50; i++) {
            own.add(Map.of("pk", s("p" + i % 4), "sk", n(String.valueOf(i)), "mine", s("target " + i), "status", s("open")));
        }
        TestTables.put(other.client(), target, own);

        JsonNode imported = json(importInto(target, destination.toString(), "--mode", "merge").stdout());

        Map<String, Map<String, AttributeValue>> expected = new TreeMap<>(CopyFixtures.byKey(own.subList(10, 30), KEYS));
        expected.putAll(itemsOf(db, source));
        assertSameItems(expected, itemsOf(other, target), Numbers.BY_VALUE);
        assertThat(imported.get("written").asLong()).isEqualTo(30);
        assertThat(imported.get("deleted").asLong()).isZero();
        assertThat(imported.get("tableCreated").asBoolean()).isFalse();
    }

    @Test
    void writesNothing_whenExportIsADryRun() throws IOException {
        String source = sourceWith(edgeItems(10));
        Path destination = Files.createDirectory(exports.resolve("dry"));

        CommandResult result = export(source, destination.toString(), "--dry-run");

        assertThat(result.stdout()).contains("nothing was read or written");
        try (Stream<Path> listing = Files.list(destination)) {
            assertThat(listing.toList()).as("the destination after a dry run").isEmpty();
        }
        assertThat(home.resolve(".dynamo").resolve("checkpoints")).as("checkpoints of a dry run").doesNotExist();
    }

    @Test
    void writesNothing_whenImportIsADryRun() throws IOException {
        String source = sourceWith(edgeItems(10));
        Path destination = exports.resolve("dry-import");
        export(source, destination.toString());
        String existing = table(other.client());
        List<Map<String, AttributeValue>> own = List.of(
                Map.of("pk", s("p1"), "sk", n("1"), "mine", s("kept")),
                Map.of("pk", s("p9"), "sk", n("99"), "mine", s("kept too")));
        TestTables.put(other.client(), existing, own);
        String missing = TestTables.uniqueName("roundtrip-dry");

        CommandResult merge = importInto(existing, destination.toString(), "--dry-run");
        CommandResult replace = importInto(existing, destination.toString(), "--dry-run", "--mode", "replace", "--yes");
        CommandResult create = importInto(missing, destination.toString(), "--dry-run", "--create-table");

        assertThat(merge.stdout()).contains("10 records", "Nothing was written");
        assertThat(replace.stdout()).contains("10 records", "Nothing was written");
        assertThat(create.stdout()).contains("(created first)", "Nothing was written");
        assertSameItems(CopyFixtures.byKey(own, KEYS), itemsOf(other, existing), Numbers.EXACT);
        assertThat(tableExists(other.client(), missing)).as("table %s after a dry run with --create-table", missing).isFalse();
        assertThat(home.resolve("backups")).as("backups of a dry run").doesNotExist();
    }

    /** Attribute names and map keys that Ion reads as something else unless quoted, and strings that look like Ion. */
    private static Map<String, AttributeValue> awkwardNames(Map<String, AttributeValue> key, int seed) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(key);
        List<String> names = List.of("null", "true", "false", "nan", "null.int", "$ion_1_0", "$ion", "$1", "$0", "$10", "a b",
                "x'y", "quote\"d", "back\\slash", "Item", "{}", "ü", "line\nbreak", "'''", "+inf", "-inf", "1", "2024-01-01T00:00Z");
        Map<String, AttributeValue> nestedNames = new LinkedHashMap<>();
        for (String name : names) {
            item.put(name, s(name + " " + seed));
            nestedNames.put(name, n(String.valueOf(seed)));
        }
        item.put("nested", AttributeValue.fromM(nestedNames));
        item.put("ionLike", AttributeValue.fromSs(List.of("$ion_1_0", "'''x'''", "{{AAEC}}", "null.string", "\u0000", "\u001f\u007f")));
        return item;
    }

    @Test
    void importsAttributesNamedLikeIonKeywordsAndSymbols_fromBothFormats() {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            items.add(awkwardNames(Map.of("pk", s(i % 2 == 0 ? "$ion_1_0" : "null"), "sk", n(String.valueOf(i))), i));
        }
        String source = sourceWith(items);
        Map<String, Map<String, AttributeValue>> written = itemsOf(db, source);

        for (String format : List.of("ddb-json", "ion")) {
            Path destination = exports.resolve("names-" + format);
            export(source, destination.toString(), "--format", format);
            String target = TestTables.uniqueName("roundtrip-names");
            importInto(target, destination.toString(), "--create-table");
            assertSameItems(written, itemsOf(other, target), format.equals("ion") ? Numbers.BY_VALUE : Numbers.EXACT);
        }
    }

    @Test
    void importsBinaryAndNumberKeysAndIndexDefinitions_fromBothFormats() {
        String source = TestTables.table("roundtrip-keys").partitionKey("id", ScalarAttributeType.B).sortKey("at", ScalarAttributeType.N)
                .gsi("byOwner", "owner", ScalarAttributeType.S, "size", ScalarAttributeType.N, ProjectionType.INCLUDE, "label", "text")
                .lsi("byLabel", "label", ScalarAttributeType.S, ProjectionType.ALL).create(db.client());
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Map<String, AttributeValue> item = new LinkedHashMap<>(CopyFixtures.everyType(Map.of(
                    "id", CopyFixtures.b((byte) 0, (byte) (i % 5), (byte) 0xff), "at", n(i % 2 == 0 ? "-" + i + ".25" : "1E+" + (i + 3))), i));
            item.put("owner", s("owner" + i % 3));
            item.put("size", n(String.valueOf(i * 1000)));
            item.put("label", s("label " + i));
            items.add(item);
        }
        CopyFixtures.putParallel(db.client(), source, items);
        List<String> keys = List.of("id", "at");
        Map<String, Map<String, AttributeValue>> written = CopyFixtures.itemsByKey(db.client(), source, keys);
        assertThat(written).hasSize(40);
        TableDescription sourceTable = db.client().describeTable(b -> b.tableName(source)).table();

        for (String format : List.of("ddb-json", "ion")) {
            Path destination = exports.resolve("keys-" + format);
            export(source, destination.toString(), "--format", format);
            String target = TestTables.uniqueName("roundtrip-keys");
            importInto(target, destination.toString(), "--create-table");

            assertSameItems(written, CopyFixtures.itemsByKey(other.client(), target, keys),
                    format.equals("ion") ? Numbers.BY_VALUE : Numbers.EXACT);
            TableDescription created = other.client().describeTable(b -> b.tableName(target)).table();
            assertThat(created.keySchema()).as("key schema from %s", format).isEqualTo(sourceTable.keySchema());
            assertThat(new HashSet<>(created.attributeDefinitions())).isEqualTo(new HashSet<>(sourceTable.attributeDefinitions()));
            assertThat(created.globalSecondaryIndexes()).singleElement().satisfies(index -> {
                assertThat(index.indexName()).isEqualTo("byOwner");
                assertThat(index.keySchema()).isEqualTo(sourceTable.globalSecondaryIndexes().get(0).keySchema());
                assertThat(index.projection().projectionTypeAsString()).isEqualTo("INCLUDE");
                assertThat(index.projection().nonKeyAttributes()).containsExactlyInAnyOrder("label", "text");
            });
            assertThat(created.localSecondaryIndexes()).singleElement().satisfies(index -> {
                assertThat(index.indexName()).isEqualTo("byLabel");
                assertThat(index.keySchema()).isEqualTo(sourceTable.localSecondaryIndexes().get(0).keySchema());
                assertThat(index.projection().projectionTypeAsString()).isEqualTo("ALL");
            });
        }
    }

    @Test
    void exportsAndImportsAnEmptyTable_withNoDataFiles() throws IOException {
        String source = sourceWith(List.of());
        Path destination = exports.resolve("empty");

        JsonNode exported = json(export(source, destination.toString(), "--segments", "4").stdout());
        String target = TestTables.uniqueName("roundtrip-empty");
        JsonNode imported = json(importInto(target, destination.toString(), "--create-table").stdout());

        Path folder = exportFolder(destination);
        assertThat(json(Files.readString(folder.resolve("manifest-summary.json"))).get("itemCount").asLong()).isZero();
        assertThat(jsonLines(Files.readAllBytes(folder.resolve("manifest-files.json")))).isEmpty();
        assertThat(exported.get("items").asLong()).isZero();
        assertThat(exported.get("files").asLong()).isZero();
        assertThat(imported.get("written").asLong()).isZero();
        assertThat(imported.get("tableCreated").asBoolean()).isTrue();
        assertThat(itemsOf(other, target)).isEmpty();
    }

    @Test
    void exportsNothingButAManifest_whenTheSelectionMatchesNoItem() throws IOException {
        String source = sourceWith(edgeItems(8));
        Path destination = exports.resolve("none");
        List<Map<String, AttributeValue>> own = List.of(Map.of("pk", s("p0"), "sk", n("0"), "mine", s("kept")));

        JsonNode exported = json(export(source, destination.toString(), "--pk", "no such partition", "--format", "ion").stdout());
        String target = table(other.client());
        TestTables.put(other.client(), target, own);
        JsonNode imported = json(importInto(target, destination.toString()).stdout());

        assertThat(exported.get("items").asLong()).isZero();
        assertThat(json(Files.readString(exportFolder(destination).resolve("manifest-summary.json"))).get("itemCount").asLong()).isZero();
        assertThat(imported.get("written").asLong()).isZero();
        assertSameItems(CopyFixtures.byKey(own, KEYS), itemsOf(other, target), Numbers.EXACT);
    }

    private static boolean tableExists(DynamoDbClient client, String table) {
        try {
            client.describeTable(b -> b.tableName(table));
            return true;
        } catch (ResourceNotFoundException e) {
            return false;
        }
    }
}
