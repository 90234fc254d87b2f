package dev.dynamo.spark;

import static dev.dynamo.testing.CopyFixtures.s;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dynamo.env.Environment;
import dev.dynamo.env.EnvironmentResolver;
import dev.dynamo.env.EnvironmentSpec;
import dev.dynamo.items.ExportFormat;
import dev.dynamo.items.ExportManifest;
import dev.dynamo.store.S3Settings;
import dev.dynamo.testing.CopyFixtures;
import dev.dynamo.testing.EngineTest;
import dev.dynamo.testing.Fault;
import dev.dynamo.testing.FaultProxy;
import dev.dynamo.testing.LocalDynamoDb;
import dev.dynamo.testing.LocalEngineExtension;
import dev.dynamo.testing.S3Server;
import dev.dynamo.testing.TestTables;
import dev.dynamo.transfer.ExportJob;
import dev.dynamo.transfer.ExportPlan;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * {@code dynamo-spark import} on a local master with task retries ({@code local[2,2]}) of exports core's
 * {@link ExportJob} writes (several data files, one Spark task each) into another engine: exact item by item with every
 * attribute type in both formats (DynamoDB JSON from a folder, Ion from S3), through throttling and lost answers, through
 * a task that fails part way; a damaged file stops it before anything is written; a resume does not read the files
 * recorded before.
 */
@EngineTest
class SparkImportTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> KEYS = List.of("pk", "sk");
    private static JavaSparkContext spark;

    @TempDir
    Path home;

    @TempDir
    Path exports;


    @BeforeAll
    static void startSpark() {
        spark = SparkTestContext.get();
    }

    private SparkRun run(String... args) {
        return SparkRun.of(home, args);
    }

    private SparkRun importInto(String env, String table, String from, String... more) {
        List<String> args = new ArrayList<>(List.of("import", "-t", table, "-e", env, "--from", from, "--summary", "json",
                "--no-progress", "--checkpoint", home.resolve("checkpoint").toString(), "--dead-letter", home.resolve("dead").toString()));
        args.addAll(Arrays.asList(more));
        return run(args.toArray(String[]::new));
    }

    /** A table of {@code items} mixed items (every 10th holds every attribute type) in {@code db}. */
    private static String mixedTable(LocalDynamoDb db, int items) {
        String table = TestTables.table("spark-import").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.N)
                .create(db.client());
        CopyFixtures.putParallel(db.client(), table, CopyFixtures.mixedItems(items, 37));
        return table;
    }

    /** Exports {@code table} with core's export in 4 segments (a data file each) to {@code destination}; returns its folder. */
    private Path export(LocalDynamoDb db, String table, String destination, ExportFormat format, S3Settings s3) {
        Environment environment = new EnvironmentResolver(Map.of(), home).resolve(EnvironmentSpec.of(db.env()));
        try (ExportJob job = ExportJob.prepare(environment, ExportPlan.builder(table, destination).format(format).s3(s3)
                .segments(4).threads(2).build())) {
            job.run();
        }
        return Path.of(destination);
    }

    private Path localExport(LocalDynamoDb db, String table, ExportFormat format) throws IOException {
        Path destination = exports.resolve(table);
        export(db, table, destination.toString(), format, null);
        try (Stream<Path> ids = Files.list(destination.resolve("AWSDynamoDB"))) {
            return ids.findFirst().orElseThrow();
        }
    }

    /** The export's data files in manifest order (task N is the N-th) with their item counts. */
    private static List<Map.Entry<Path, Long>> dataFiles(Path exportFolder) throws IOException {
        Path root = exportFolder.getParent().getParent();
        List<Map.Entry<Path, Long>> files = new ArrayList<>();
        for (String line : Files.readAllLines(exportFolder.resolve(ExportManifest.FILES), StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                JsonNode file = JSON.readTree(line);
                files.add(Map.entry(root.resolve(file.get("dataFileS3Key").asText()), file.get("itemCount").asLong()));
            }
        }
        return files;
    }

    @Test
    void importsEveryItemExactly_everyAttributeType_intoACreatedTable(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other)
            throws Exception {
        String source = mixedTable(db, 300);
        Path export = localExport(db, source, ExportFormat.DYNAMODB_JSON); // Ion: from S3, below
        int files = dataFiles(export).size();
        assertThat(files).as("data files, one task each").isGreaterThan(1);
        String target = TestTables.uniqueName("spark-imported");

        SparkRun result = importInto(other.env(), target, export.toString(), "--create-table");

        assertThat(result.exitCode()).as("%s", result).isZero();
        JsonNode summary = result.summary();
        assertThat(summary.path("written").asLong()).isEqualTo(300);
        assertThat(summary.path("records").asLong()).isEqualTo(300);
        assertThat(summary.path("failed").asLong()).isZero();
        assertThat(summary.path("files").asInt()).isEqualTo(files);
        assertThat(summary.path("tableCreated").asBoolean()).isTrue();
        assertThat(result.err()).contains("dynamo: created table '" + target + "'");
        CopyFixtures.assertSameItems(db.client(), source, other.client(), target, KEYS);
        assertThat(home.resolve("checkpoint")).as("a finished import removes its checkpoint").doesNotExist();
    }

    @Test
    void importsExactly_throughThrottlingAndLostAnswers(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other)
            throws Exception {
        String source = mixedTable(db, 400);
        Path export = localExport(db, source, ExportFormat.DYNAMODB_JSON);
        String target = TestTables.table("spark-import-faults").partitionKey("pk", ScalarAttributeType.S)
                .sortKey("sk", ScalarAttributeType.N).create(other.client());
        try (FaultProxy to = FaultProxy.start(other.endpoint()).policy((operation, n) -> !operation.equals("BatchWriteItem")
                ? Fault.NONE : n % 5 == 1 ? Fault.throughputExceeded() : n % 5 == 3 ? Fault.resetAfter() : Fault.NONE)) {
            SparkRun result = importInto(to.env(), target, export.toString(), "--page-size", "50", "--request-timeout", "5");

            assertThat(result.exitCode()).as("%s", result).isZero();
            assertThat(to.injectedTotal()).isPositive();
            assertThat(result.summary().path("retried").asLong()).isGreaterThanOrEqualTo(to.injectedTotal());
            assertThat(result.summary().path("written").asLong()).isEqualTo(400);
            assertThat(result.summary().path("failed").asLong()).isZero();
        }
        CopyFixtures.assertSameItems(db.client(), source, other.client(), target, KEYS);
    }

    @Test
    void importsExactly_whenATaskFailsPartWayAndSparkRetriesIt(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other)
            throws Exception {
        String source = mixedTable(db, 300);
        Path export = localExport(db, source, ExportFormat.DYNAMODB_JSON);
        String target = TestTables.table("spark-import-retry").partitionKey("pk", ScalarAttributeType.S)
                .sortKey("sk", ScalarAttributeType.N).create(other.client());
        System.setProperty(DataFileImportTask.FAIL_FIRST_ATTEMPT_PROPERTY, "1");
        SparkRun result;
        try {
            result = importInto(other.env(), target, export.toString(), "--page-size", "20");
        } finally {
            System.clearProperty(DataFileImportTask.FAIL_FIRST_ATTEMPT_PROPERTY);
        }

        assertThat(result.exitCode()).as("%s", result).isZero();
        // The failed attempt's counts are not kept: each record counted once, from the successful attempts.
        assertThat(result.summary().path("written").asLong()).isEqualTo(300);
        assertThat(result.summary().path("records").asLong()).isEqualTo(300);
        CopyFixtures.assertSameItems(db.client(), source, other.client(), target, KEYS);
    }

    @Test
    void importsExactly_fromAnExportOnS3(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other) throws Exception {
        String source = mixedTable(db, 200);
        String bucket = S3Server.createBucket("spark-import");
        export(db, source, "s3://" + bucket + "/daily", ExportFormat.ION, S3Server.settings());
        String target = TestTables.uniqueName("spark-imported-s3");

        SparkRun result = importInto(other.env(), target, "s3://" + bucket + "/daily", "--create-table",
                "--s3-endpoint-url", S3Server.endpoint().toString(), "--s3-region", "us-east-1");

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.summary().path("written").asLong()).isEqualTo(200);
        assertThat(result.summary().path("files").asInt()).isGreaterThan(1);
        CopyFixtures.assertSameItems(db.client(), source, other.client(), target, KEYS);
    }

    @Test
    void itemsTheTableRejects_goToDeadLetterFiles_andTheImportExits1(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other)
            throws Exception {
        String source = mixedTable(db, 100); // 9 in 10 items hold v as a string; the every-type ones have no v
        Path export = localExport(db, source, ExportFormat.DYNAMODB_JSON);
        String target = TestTables.table("spark-import-dead").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.N)
                .gsi("by-v", "v", ScalarAttributeType.N, null, null, ProjectionType.KEYS_ONLY).create(other.client());

        SparkRun result = importInto(other.env(), target, export.toString());

        assertThat(result.exitCode()).as("%s", result).isEqualTo(1);
        assertThat(result.summary().path("failed").asLong()).isEqualTo(90);
        assertThat(result.summary().path("written").asLong()).isEqualTo(10);
        assertThat(result.err()).hasLineCount(1).startsWith("dynamo: 90 items could not be written; they are in " + home.resolve("dead"));
        long deadLettered = 0;
        try (Stream<Path> files = Files.list(home.resolve("dead"))) {
            for (Path file : files.toList()) {
                deadLettered += Files.readAllLines(file).stream().filter(line -> line.contains("\"Item\"")).count();
            }
        }
        assertThat(deadLettered).as("dead-lettered items, none dropped").isEqualTo(90);
        assertThat(TestTables.scanAll(other.client(), target)).hasSize(10);
    }

    @Test
    void resumeSkipsTheRecordedFiles_withoutReadingThem(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other)
            throws Exception {
        String source = mixedTable(db, 300);
        Path export = localExport(db, source, ExportFormat.DYNAMODB_JSON);
        List<Map.Entry<Path, Long>> files = dataFiles(export);
        assertThat(files).hasSizeGreaterThanOrEqualTo(3);
        String target = TestTables.table("spark-import-resume").partitionKey("pk", ScalarAttributeType.S)
                .sortKey("sk", ScalarAttributeType.N).create(other.client());
        int last = files.size() - 1; // it starts once a slot is free: once an earlier file is recorded
        System.setProperty(DataFileImportTask.FAIL_EVERY_ATTEMPT_PROPERTY, Integer.toString(last));
        SparkRun failed;
        try {
            failed = importInto(other.env(), target, export.toString(), "--page-size", "20");
        } finally {
            System.clearProperty(DataFileImportTask.FAIL_EVERY_ATTEMPT_PROPERTY);
        }
        assertThat(failed.exitCode()).as("%s", failed).isEqualTo(1);
        assertThat(failed.err()).hasLineCount(1).contains("add --resume to continue").doesNotContain("Exception");
        List<Integer> recorded = new ArrayList<>();
        for (int file = 0; file < files.size(); file++) {
            if (Files.exists(home.resolve("checkpoint").resolve("done").resolve(String.format("task-%06d.json", file)))) {
                recorded.add(file);
            }
        }
        assertThat(recorded).isNotEmpty().doesNotContain(last);
        // A recorded file is not read again: damaged now, it would stop the resume (MD5, records) if it were.
        long toImport = 0;
        for (int file = 0; file < files.size(); file++) {
            if (recorded.contains(file)) {
                Files.writeString(files.get(file).getKey(), "not a data file any more\n");
            } else {
                toImport += files.get(file).getValue();
            }
        }

        SparkRun resumed = importInto(other.env(), target, export.toString(), "--resume");

        assertThat(resumed.exitCode()).as("%s", resumed).isZero();
        JsonNode summary = resumed.summary();
        assertThat(summary.path("filesSkipped").asInt()).isEqualTo(recorded.size());
        assertThat(summary.path("records").asLong()).as("records read by this run").isEqualTo(toImport);
        assertThat(summary.path("written").asLong()).as("the whole import's, with the recorded files'").isEqualTo(300);
        assertThat(summary.path("resumed").asBoolean()).isTrue();
        assertThat(resumed.err()).contains("resuming the import");
        CopyFixtures.assertSameItems(db.client(), source, other.client(), target, KEYS);
    }

    @Test
    void aDamagedDataFile_stopsTheImportWithExit1_beforeAnythingIsWritten(LocalDynamoDb db,
            @LocalEngineExtension.Second LocalDynamoDb other) throws Exception {
        String source = mixedTable(db, 100);
        Path export = localExport(db, source, ExportFormat.DYNAMODB_JSON);
        Path damaged = dataFiles(export).get(1).getKey();
        byte[] bytes = Files.readAllBytes(damaged);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(damaged, bytes);
        String target = TestTables.table("spark-import-damaged").partitionKey("pk", ScalarAttributeType.S)
                .sortKey("sk", ScalarAttributeType.N).create(other.client());

        SparkRun result = importInto(other.env(), target, export.toString());

        assertThat(result.exitCode()).as("%s", result).isEqualTo(1);
        assertThat(result.err()).hasLineCount(1).startsWith("dynamo: ").contains(damaged.getFileName().toString())
                .contains("nothing was written").doesNotContain("Exception");
        assertThat(TestTables.scanAll(other.client(), target)).isEmpty();
    }

    @Test
    void dryRun_saysWhatWouldBeImported_andWritesNothing(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other)
            throws Exception {
        String source = mixedTable(db, 20);
        Path export = localExport(db, source, ExportFormat.DYNAMODB_JSON);
        String target = TestTables.uniqueName("spark-import-dry");

        SparkRun result = importInto(other.env(), target, export.toString(), "--create-table", "--dry-run");

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.out()).startsWith("Import into table '" + target + "' in ")
                .contains("(created first), merge mode, on Spark: 20 records from:").contains("  export ").contains("Nothing was written");
        assertThat(other.client().listTables().tableNames()).doesNotContain(target);
    }

    @Test
    void replaceIntoATableWithItems_isRefusedWithExit2_andNothingWritten(LocalDynamoDb db,
            @LocalEngineExtension.Second LocalDynamoDb other) throws Exception {
        String source = mixedTable(db, 10);
        Path export = localExport(db, source, ExportFormat.DYNAMODB_JSON);
        String target = TestTables.table("spark-import-replace").partitionKey("pk", ScalarAttributeType.S)
                .sortKey("sk", ScalarAttributeType.N).create(other.client());
        TestTables.put(other.client(), target, List.of(Map.of("pk", s("old"), "sk", AttributeValue.fromN("1"))));

        SparkRun result = importInto(other.env(), target, export.toString(), "--mode", "replace");

        assertThat(result.exitCode()).as("%s", result).isEqualTo(2);
        assertThat(result.err()).startsWith("dynamo: --mode replace on Spark").hasLineCount(1);
        assertThat(TestTables.scanAll(other.client(), target)).hasSize(1);
    }
}
