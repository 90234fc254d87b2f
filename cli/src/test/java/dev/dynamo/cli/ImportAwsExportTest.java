package dev.dynamo.cli;

import static dev.dynamo.testing.CopyFixtures.everyType;
import static dev.dynamo.testing.CopyFixtures.n;
import static dev.dynamo.testing.CopyFixtures.s;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dynamo.testing.AwsExportFixture;
import dev.dynamo.testing.AwsExportFixture.Change;
import dev.dynamo.testing.AwsExportFixture.Format;
import dev.dynamo.testing.AwsExportFixture.Type;
import dev.dynamo.testing.Cli;
import dev.dynamo.testing.CommandResult;
import dev.dynamo.testing.CopyFixtures;
import dev.dynamo.testing.EngineTest;
import dev.dynamo.testing.LocalDynamoDb;
import dev.dynamo.testing.TestTables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * {@code dynamo import} of exports written by {@code dev/aws-export/write-export.mjs} ({@link AwsExportFixture}), an
 * independent writer of the layout DynamoDB's Export to S3 writes: full exports in both formats, gzip and plain, from the
 * export's folder and from the prefix above it; incremental exports applied on top of a full one, oldest first. Every
 * table is checked item by item, every attribute type, against what the export holds.
 */
@EngineTest
class ImportAwsExportTest {
    static final List<String> KEYS = List.of("pk", "sk");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant FULL_TIME = Instant.parse("2024-05-01T10:00:00.000Z");
    private static final long MICROS_PER_MILLI = 1000;

    @TempDir
    Path home;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Format.class)
    void importsEveryItem_fromAFullExportInSeveralFiles_namedByItsOwnFolder(Format format, LocalDynamoDb db) throws Exception {
        List<Map<String, AttributeValue>> items = CopyFixtures.mixedItems(300, 7);
        Path export = AwsExportFixture.builder(dir.resolve("bucket")).format(format).files(4).items(items)
                .s3Prefix("exports/daily").exportTime(FULL_TIME).write();
        String table = table(db);

        CommandResult result = Cli.isolated(home).run("import", "-t", table, "-e", db.env(), "--from", export.toString(),
                "--summary", "json");

        assertThat(result.exitCode()).as("%s", result).isZero();
        JsonNode summary = JSON.readTree(result.stdout());
        assertThat(summary.get("written").asLong()).isEqualTo(300);
        assertThat(summary.get("deleted").asLong()).isZero();
        assertThat(summary.get("failed").asLong()).isZero();
        assertThat(summary.get("files").asLong()).isEqualTo(4);
        assertTableHolds(db, table, items);
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void importsEveryItem_fromTheFolderAboveTheExport(Format format, LocalDynamoDb db) throws Exception {
        List<Map<String, AttributeValue>> items = CopyFixtures.mixedItems(200, 5);
        Path bucket = dir.resolve("bucket");
        AwsExportFixture.builder(bucket).format(format).files(3).items(items).s3Prefix("p").exportTime(FULL_TIME).write();
        String table = table(db);

        Cli.isolated(home).succeed("import", "-t", table, "-e", db.env(), "--from", bucket.toString(), "-q");

        assertTableHolds(db, table, items);
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void importsEveryItem_fromPlainDataFiles(Format format, LocalDynamoDb db) throws Exception {
        List<Map<String, AttributeValue>> items = CopyFixtures.mixedItems(150, 4);
        Path export = AwsExportFixture.builder(dir.resolve("bucket")).format(format).files(3).items(items).plain(true)
                .exportTime(FULL_TIME).write();
        try (Stream<Path> data = Files.list(export.resolve("data"))) {
            assertThat(data.toList()).hasSize(3).allSatisfy(file -> assertThat(file.toString()).doesNotEndWith(".gz"));
        }
        String table = table(db);

        Cli.isolated(home).succeed("import", "-t", table, "-e", db.env(), "--from", export.toString(), "-q");

        assertTableHolds(db, table, items);
    }

    @Test
    void importsEveryItem_fromAnIonExportWithIntegersAsIonInts(LocalDynamoDb db) throws Exception {
        List<Map<String, AttributeValue>> items = new ArrayList<>(CopyFixtures.mixedItems(120, 3));
        for (int i = 0; i < 10; i++) {
            items.add(Map.of("pk", s("ints"), "sk", n("" + (1000 + i)), "round", n("100"), "big", n("12300000000000000000000"),
                    "negative", n("-7"), "zero", n("0"), "numbers", AttributeValue.fromNs(List.of("600", "2000", "-1", "1.5"))));
        }
        Path export = AwsExportFixture.builder(dir.resolve("bucket")).format(Format.ION).files(2).items(items)
                .ionIntegers(true).exportTime(FULL_TIME).write();
        String ionLine = ionText(export).stream().filter(line -> line.contains("\"ints\"")).findFirst().orElseThrow();
        assertThat(ionLine).containsPattern("round:100[,}]").doesNotContain("round:100.");
        String table = table(db);

        Cli.isolated(home).succeed("import", "-t", table, "-e", db.env(), "--from", export.toString(), "-q");

        assertTableHolds(db, table, items);
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void appliesInsertsUpdatesAndDeletes_ofAnIncrementalExport_onTopOfAFullOne(Format format, LocalDynamoDb db) throws Exception {
        List<Map<String, AttributeValue>> items = CopyFixtures.mixedItems(300, 7);
        Path full = AwsExportFixture.builder(dir.resolve("full")).format(format).files(3).items(items).s3Prefix("full")
                .exportTime(FULL_TIME).write();
        Map<String, Map<String, AttributeValue>> state = CopyFixtures.byKey(items, KEYS);
        List<Change> changes = firstChanges(state, FULL_TIME);
        Path incremental = AwsExportFixture.builder(dir.resolve("incr")).format(format).type(Type.INCREMENTAL_EXPORT).files(3)
                .changes(changes).s3Prefix("incr").exportTime(FULL_TIME.plus(15, ChronoUnit.MINUTES)).write();
        assertThat(incremental.resolveSibling("data")).as("an incremental export's data files are in AWSDynamoDB/data/").isDirectory();
        Map<String, Map<String, AttributeValue>> expected = apply(state, changes);
        long deletes = changes.stream().filter(change -> change.newImage() == null).count();
        String table = table(db);

        CommandResult result = Cli.isolated(home).run("import", "-t", table, "-e", db.env(), "--from", full.toString(),
                "--from", incremental.toString(), "--summary", "json");

        assertThat(result.exitCode()).as("%s", result).isZero();
        JsonNode summary = JSON.readTree(result.stdout());
        assertThat(summary.get("written").asLong()).isEqualTo(300 + changes.size() - deletes);
        assertThat(summary.get("deleted").asLong()).isEqualTo(deletes);
        assertThat(summary.get("failed").asLong()).isZero();
        assertThat(expected).hasSize(300 + 40 - 30);
        assertTableHolds(db, table, expected.values());
    }

    @Test
    void appliesTwoIncrementalExports_inTimeOrder(LocalDynamoDb db) throws Exception {
        Exports exports = fullAndTwoIncrementals(Format.DYNAMODB_JSON);
        String table = table(db);

        Cli.isolated(home).succeed("import", "-t", table, "-e", db.env(), "--from", exports.full.toString(),
                "--from", exports.first.toString(), "--from", exports.second.toString(), "-q");

        assertTableHolds(db, table, exports.expected.values());
    }

    @Test
    void appliesTwoIonIncrementalExports_toATableThatHoldsTheFullOne(LocalDynamoDb db) throws Exception {
        Exports exports = fullAndTwoIncrementals(Format.ION);
        String table = table(db);
        Cli.isolated(home).succeed("import", "-t", table, "-e", db.env(), "--from", exports.full.toString(), "-q");

        Cli.isolated(home).succeed("import", "-t", table, "-e", db.env(), "--from", exports.first.toString(),
                "--from", exports.second.toString(), "-q");

        assertTableHolds(db, table, exports.expected.values());
    }

    @Test
    void appliesAnIncrementalExport_namedByThePrefixAboveIt(LocalDynamoDb db) throws Exception {
        // The prefix holds the export's folder and, beside it, the AWSDynamoDB/data/ folder incremental exports share.
        List<Map<String, AttributeValue>> items = CopyFixtures.mixedItems(100, 3);
        Map<String, Map<String, AttributeValue>> state = CopyFixtures.byKey(items, KEYS);
        List<Change> changes = firstChanges(state, FULL_TIME);
        Path bucket = dir.resolve("incr");
        AwsExportFixture.builder(bucket).type(Type.INCREMENTAL_EXPORT).files(2).changes(changes)
                .exportTime(FULL_TIME.plus(15, ChronoUnit.MINUTES)).write();
        String table = table(db);
        TestTables.put(db.client(), table, items);

        Cli.isolated(home).succeed("import", "-t", table, "-e", db.env(), "--from", bucket.toString(), "-q");

        assertTableHolds(db, table, apply(state, changes).values());
    }

    @Test
    void appliesAnIncrementalExport_withTheNewImageViewOnly(LocalDynamoDb db) throws Exception {
        List<Map<String, AttributeValue>> items = CopyFixtures.mixedItems(100, 3);
        Map<String, Map<String, AttributeValue>> state = CopyFixtures.byKey(items, KEYS);
        List<Change> changes = firstChanges(state, FULL_TIME).stream()
                .map(change -> new Change(change.keys(), change.newImage(), null, change.writeTimestampMicros())).toList();
        Path incremental = AwsExportFixture.builder(dir.resolve("incr")).format(Format.ION).type(Type.INCREMENTAL_EXPORT)
                .viewType("NEW_IMAGE").files(2).changes(changes).exportTime(FULL_TIME.plus(15, ChronoUnit.MINUTES)).write();
        String table = table(db);
        TestTables.put(db.client(), table, items);

        Cli.isolated(home).succeed("import", "-t", table, "-e", db.env(), "--from", incremental.toString(), "-q");

        assertTableHolds(db, table, apply(state, changes).values());
    }

    @Test
    void refusesIncrementalExports_outOfTimeOrder_andWritesNothing(LocalDynamoDb db) throws Exception {
        Exports exports = fullAndTwoIncrementals(Format.DYNAMODB_JSON);
        String table = table(db);
        List<Map<String, AttributeValue>> before = List.of(Map.of("pk", s("p0"), "sk", n("0"), "v", s("before")),
                Map.of("pk", s("p1"), "sk", n("301"), "v", s("before")));
        TestTables.put(db.client(), table, before);

        CommandResult result = Cli.isolated(home).fail(2, "import", "-t", table, "-e", db.env(), "--from", exports.full.toString(),
                "--from", exports.second.toString(), "--from", exports.first.toString());

        assertThat(result.stderr()).contains("not in time order").contains(exports.first.getFileName().toString())
                .contains("oldest first");
        assertTableHolds(db, table, before);
    }

    @Test
    void refusesAFullExport_namedAfterAnIncrementalOneItPrecedes(LocalDynamoDb db) throws Exception {
        Exports exports = fullAndTwoIncrementals(Format.DYNAMODB_JSON);
        String table = table(db);

        CommandResult result = Cli.isolated(home).fail(2, "import", "-t", table, "-e", db.env(), "--from", exports.first.toString(),
                "--from", exports.full.toString());

        assertThat(result.stderr()).contains("not in time order");
        assertThat(TestTables.scanAll(db.client(), table)).isEmpty();
    }

    @Test
    void refusesReplaceMode_withAnIncrementalExport(LocalDynamoDb db) throws Exception {
        Exports exports = fullAndTwoIncrementals(Format.DYNAMODB_JSON);
        String table = table(db);
        List<Map<String, AttributeValue>> before = List.of(Map.of("pk", s("other"), "sk", n("1")));
        TestTables.put(db.client(), table, before);

        CommandResult result = Cli.isolated(home).fail(2, "import", "-t", table, "-e", db.env(), "--from", exports.full.toString(),
                "--from", exports.first.toString(), "--mode", "replace", "--yes", "--backup-dir", dir.resolve("backups").toString());

        assertThat(result.stderr()).contains("incremental").contains("--mode merge");
        assertTableHolds(db, table, before);
        assertThat(dir.resolve("backups")).doesNotExist();
    }

    // --- fixtures

    /** A full export (300 items) and two incremental exports after it, under one prefix, and the table they make. */
    private record Exports(Path full, Path first, Path second, Map<String, Map<String, AttributeValue>> expected) {
    }

    private Exports fullAndTwoIncrementals(Format format) throws IOException, InterruptedException {
        List<Map<String, AttributeValue>> items = CopyFixtures.mixedItems(300, 7);
        Path bucket = dir.resolve("bucket");
        Path full = AwsExportFixture.builder(bucket).format(format).files(2).items(items).s3Prefix("t")
                .exportTime(FULL_TIME).write();
        Map<String, Map<String, AttributeValue>> state = CopyFixtures.byKey(items, KEYS);
        Instant firstEnd = FULL_TIME.plus(15, ChronoUnit.MINUTES);
        List<Change> first = firstChanges(state, FULL_TIME);
        Path firstExport = AwsExportFixture.builder(bucket).format(format).type(Type.INCREMENTAL_EXPORT).files(3).changes(first)
                .s3Prefix("t").exportTime(firstEnd).write();
        state = apply(state, first);
        List<Change> second = secondChanges(state, firstEnd);
        Path secondExport = AwsExportFixture.builder(bucket).format(format).type(Type.INCREMENTAL_EXPORT).files(2).changes(second)
                .s3Prefix("t").exportTime(firstEnd.plus(15, ChronoUnit.MINUTES)).write();
        return new Exports(full, firstExport, secondExport, apply(state, second));
    }

    /**
     * On {@link CopyFixtures#mixedItems} 0..N-1: 40 inserts (N..N+39), an update of every tenth item (every attribute type,
     * new values, one attribute more), and 30 deletes (3, 13, 23, ...; only those below 300).
     */
    static List<Change> firstChanges(Map<String, Map<String, AttributeValue>> state, Instant from) {
        List<Change> changes = new ArrayList<>();
        long micros = from.toEpochMilli() * MICROS_PER_MILLI + 1;
        List<Map<String, AttributeValue>> existing = new ArrayList<>(state.values());
        int size = existing.size();
        List<Map<String, AttributeValue>> fresh = CopyFixtures.mixedItems(size + 40, 7).subList(size, size + 40);
        for (Map<String, AttributeValue> item : fresh) {
            changes.add(new Change(key(item), item, null, micros++));
        }
        for (Map<String, AttributeValue> old : existing) {
            int sk = Integer.parseInt(old.get("sk").n());
            if (sk % 10 == 0) {
                Map<String, AttributeValue> updated = new HashMap<>(everyType(key(old), sk + 7));
                updated.put("added", s("in the first incremental export"));
                changes.add(new Change(key(old), updated, old, micros++));
            } else if (sk % 10 == 3 && changes.stream().filter(c -> c.newImage() == null).count() < 30) {
                changes.add(new Change(key(old), null, old, micros++));
            }
        }
        return changes;
    }

    /** On the state after {@link #firstChanges}: updates of inserted items, deletes of updated ones, a deleted key back. */
    private static List<Change> secondChanges(Map<String, Map<String, AttributeValue>> state, Instant from) {
        List<Change> changes = new ArrayList<>();
        long micros = from.toEpochMilli() * MICROS_PER_MILLI + 1;
        for (Map<String, AttributeValue> old : state.values()) {
            int sk = Integer.parseInt(old.get("sk").n());
            if (sk >= 300 && sk < 310) {
                changes.add(new Change(key(old), Map.of("pk", old.get("pk"), "sk", old.get("sk"), "v", s("second " + sk)), old,
                        micros++));
            } else if (sk == 0 || sk == 10 || sk == 20 || sk == 5 || sk == 6) {
                changes.add(new Change(key(old), null, old, micros++));
            }
        }
        for (int sk : new int[] {3, 13}) {
            Map<String, AttributeValue> back = new HashMap<>(everyType(Map.of("pk", s("p" + sk % 7), "sk", n("" + sk)), 50 + sk));
            changes.add(new Change(key(back), back, null, micros++));
        }
        return changes;
    }

    static Map<String, Map<String, AttributeValue>> apply(Map<String, Map<String, AttributeValue>> state, List<Change> changes) {
        Map<String, Map<String, AttributeValue>> after = new TreeMap<>(state);
        for (Change change : changes) {
            String key = CopyFixtures.keyText(change.keys(), KEYS);
            if (change.newImage() == null) {
                assertThat(after.remove(key)).as("the fixture deletes an item that exists: %s", key).isNotNull();
            } else {
                after.put(key, change.newImage());
            }
        }
        return after;
    }

    static Map<String, AttributeValue> key(Map<String, AttributeValue> item) {
        return Map.of("pk", item.get("pk"), "sk", item.get("sk"));
    }

    static String table(LocalDynamoDb db) {
        return TestTables.table("import").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.N)
                .create(db.client());
    }

    /** The table holds exactly these items: the same keys, and each item equal attribute by attribute, every type. */
    static void assertTableHolds(LocalDynamoDb db, String table, java.util.Collection<Map<String, AttributeValue>> expected) {
        Map<String, Map<String, AttributeValue>> actual = CopyFixtures.itemsByKey(db.client(), table, KEYS);
        Map<String, Map<String, AttributeValue>> wanted = CopyFixtures.byKey(List.copyOf(expected), KEYS);
        assertThat(actual.keySet()).as("keys of %s", table).isEqualTo(wanted.keySet());
        wanted.forEach((key, item) ->
                assertThat(CopyFixtures.canonical(actual.get(key))).as("item %s", key).isEqualTo(CopyFixtures.canonical(item)));
    }

    /** Every line of the export's Ion data files (gzip or plain), as text. */
    private static List<String> ionText(Path export) throws IOException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(export.resolve("data"))) {
            for (Path file : files.toList()) {
                try (var in = file.toString().endsWith(".gz") ? new java.util.zip.GZIPInputStream(Files.newInputStream(file))
                        : Files.newInputStream(file)) {
                    new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().forEach(lines::add);
                }
            }
        }
        return lines;
    }
}
