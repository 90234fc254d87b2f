package dev.dynamo.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dynamo.copy.CopyListener;
import dev.dynamo.env.Environment;
import dev.dynamo.env.EnvironmentResolver;
import dev.dynamo.env.EnvironmentSpec;
import dev.dynamo.items.DataFileReader;
import dev.dynamo.items.ExportFormat;
import dev.dynamo.items.ExportManifest;
import dev.dynamo.items.ExportRecord;
import dev.dynamo.store.ExportStore;
import dev.dynamo.store.S3Settings;
import dev.dynamo.store.StoredObject;
import dev.dynamo.testing.CopyFixtures;
import dev.dynamo.testing.EngineTest;
import dev.dynamo.testing.Fault;
import dev.dynamo.testing.FaultProxy;
import dev.dynamo.testing.LocalDynamoDb;
import dev.dynamo.testing.LocalEngineExtension;
import dev.dynamo.testing.S3Server;
import dev.dynamo.testing.TestTables;
import dev.dynamo.transfer.ImportJob;
import dev.dynamo.transfer.ImportPlan;
import dev.dynamo.transfer.ImportStats;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * {@code dynamo-spark export} on the test JVM's local[2,2] context ({@link SparkTestContext}): every attribute type
 * exported in core's layout and imported by core's {@link ImportJob} into another engine, exact item by item; task
 * attempts that fail before and after reporting leave each item exactly once in the manifest and no orphan file; an
 * export through throttled Scans and lost answers, each retried inside its task, exact; an export to S3 (S3Proxy); and a failed export resumed: the same export, its finished segments not read again.
 */
@EngineTest
class SparkExportTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> KEYS = List.of("pk", "sk");
    private static final Pattern SEGMENT = Pattern.compile("\"Segment\":(\\d+)");

    @TempDir
    Path home;


    private SparkRun export(String env, String table, String destination, String... more) {
        List<String> args = new ArrayList<>(List.of("export", "-t", table, "-e", env, "--to", destination, "--summary", "json",
                "--no-progress"));
        args.addAll(Arrays.asList(more));
        if (!args.contains("--checkpoint")) {
            args.addAll(List.of("--checkpoint", home.resolve("checkpoint").toString()));
        }
        return SparkRun.of(home, args.toArray(String[]::new));
    }

    private static String mixedSource(LocalDynamoDb db, int items) {
        SparkTestContext.get();
        String source = TestTables.table("spark-export").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.N)
                .create(db.client());
        CopyFixtures.putParallel(db.client(), source, CopyFixtures.mixedItems(items, 37));
        return source;
    }

    private Environment environment(String env) {
        return new EnvironmentResolver(Map.of(), home).resolve(new EnvironmentSpec(env, null, null, null));
    }

    /**
     * Reads the one export under {@code destination} as an importer would: its summary and manifest (core's strict
     * readers), each data file's MD5 against the manifest, each item once; and no data file the manifest does not name.
     *
     * @return the items by key
     */
    private static Map<String, Map<String, AttributeValue>> readExport(ExportStore store, JsonNode summary, ExportFormat format)
            throws Exception {
        Set<String> ids = new TreeSet<>();
        for (StoredObject object : store.list(ExportManifest.EXPORTS_FOLDER)) {
            ids.add(object.name().split("/")[1]);
        }
        assertThat(ids).as("exports in %s", store.describe()).containsExactly(summary.path("exportId").asText());
        String folder = ExportManifest.folder(summary.path("exportId").asText());
        assertThat(store.stat(folder + ExportManifest.STARTED)).get().extracting(StoredObject::size).isEqualTo(0L);
        assertThat(store.stat(folder + ExportManifest.TABLE)).isPresent();
        ExportManifest.Summary written = ExportManifest.readSummary(store.open(folder + ExportManifest.SUMMARY).readAllBytes(), "summary");
        assertThat(written.format()).isEqualTo(format);
        List<ExportManifest.DataFile> files = ExportManifest.readFiles(store.open(folder + ExportManifest.FILES).readAllBytes(),
                summary.path("exportId").asText(), "manifest");
        assertThat(store.list(folder + "data/")).extracting(StoredObject::name).as("data files in the folder: those the manifest names")
                .containsExactlyInAnyOrderElementsOf(files.stream().map(ExportManifest.DataFile::name).toList());
        Map<String, Map<String, AttributeValue>> items = new HashMap<>();
        for (ExportManifest.DataFile file : files) {
            byte[] bytes;
            try (InputStream in = store.open(file.name())) {
                bytes = in.readAllBytes();
            }
            assertThat(file.name()).endsWith(format.dataFileSuffix());
            assertThat(file.md5()).as("md5Checksum of %s", file.name())
                    .isEqualTo(Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(bytes)));
            long count = 0;
            try (DataFileReader reader = DataFileReader.open(new java.io.ByteArrayInputStream(bytes), file.name(), format)) {
                for (ExportRecord record = reader.next(); record != null; record = reader.next()) {
                    String key = CopyFixtures.keyText(record.item(), KEYS);
                    assertThat(items.put(key, record.item())).as("item %s in the export twice", key).isNull();
                    count++;
                }
            }
            assertThat(count).as("itemCount of %s", file.name()).isEqualTo(file.itemCount());
        }
        assertThat(written.itemCount()).isEqualTo(items.size());
        assertThat(summary.path("items").asLong()).isEqualTo(items.size());
        assertThat(summary.path("files").asInt()).isEqualTo(files.size());
        return items;
    }

    private static void assertSameItems(Map<String, Map<String, AttributeValue>> expected, Map<String, Map<String, AttributeValue>> actual) {
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        expected.forEach((key, item) -> assertThat(CopyFixtures.canonical(actual.get(key))).as("item %s", key)
                .isEqualTo(CopyFixtures.canonical(item)));
    }

    private ImportStats importInto(LocalDynamoDb other, String table, String from, S3Settings s3) {
        ImportPlan plan = ImportPlan.builder(table, List.of(from), home.resolve("backups")).createTable(true).s3(s3).build();
        try (ImportJob job = ImportJob.prepare(environment(other.env()), plan)) {
            return job.run(CopyListener.NONE);
        }
    }

    @Test
    void exportsEveryAttributeType_inCoresLayout_thatImportsExactly(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other)
            throws Exception {
        String source = mixedSource(db, 300); // every 10th item holds every attribute type
        Path destination = home.resolve("exports");

        SparkRun result = export(db.env(), source, destination.toString(), "--segments", "6");

        assertThat(result.exitCode()).as("%s", result).isZero();
        JsonNode summary = result.summary();
        assertThat(summary.path("segments").asInt()).isEqualTo(6);
        assertThat(summary.path("orphansDeleted").asInt()).isZero();
        assertThat(summary.path("export").asText()).isEqualTo(destination.resolve("AWSDynamoDB").resolve(summary.path("exportId").asText())
                .toString());
        try (ExportStore store = ExportStore.open(destination.toString(), environment(db.env()), S3Settings.none())) {
            assertSameItems(CopyFixtures.itemsByKey(db.client(), source, KEYS), readExport(store, summary, ExportFormat.DYNAMODB_JSON));
        }
        try (var files = Files.walk(destination)) {
            files.filter(Files::isRegularFile).forEach(file -> assertThat(file).as("a file of table data is private")
                    .satisfies(f -> assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------")));
        }
        String target = TestTables.uniqueName("spark-export-import");
        ImportStats imported = importInto(other, target, destination.toString(), S3Settings.none());
        assertThat(imported.written()).isEqualTo(300);
        CopyFixtures.assertSameItems(db.client(), source, other.client(), target, KEYS);
        assertThat(home.resolve("checkpoint")).as("a finished export removes its checkpoint").doesNotExist();
    }

    @Test
    void listsEachItemOnce_andLeavesNoOrphan_whenAttemptsFailBeforeAndAfterReporting_inIon(LocalDynamoDb db) throws Exception {
        String source = mixedSource(db, 200);
        Path destination = home.resolve("exports");
        // Segment 1's first attempt writes its files and fails before reporting them: the driver deletes them. Segment 3's
        // reports, then fails: its second attempt finds the segment recorded and deletes its own files.
        System.setProperty(SegmentExportTask.FAIL_BEFORE_REPORT_PROPERTY, "1");
        System.setProperty(SegmentExportTask.FAIL_AFTER_REPORT_PROPERTY, "3");
        SparkRun result;
        try {
            result = export(db.env(), source, destination.toString(), "--segments", "4", "--page-size", "20", "--format", "ion");
        } finally {
            System.clearProperty(SegmentExportTask.FAIL_BEFORE_REPORT_PROPERTY);
            System.clearProperty(SegmentExportTask.FAIL_AFTER_REPORT_PROPERTY);
        }

        assertThat(result.exitCode()).as("%s", result).isZero();
        JsonNode summary = result.summary();
        assertThat(summary.path("format").asText()).isEqualTo("ION");
        assertThat(summary.path("orphansDeleted").asInt()).as("segment 1's first attempt's file").isEqualTo(1);
        try (ExportStore store = ExportStore.open(destination.toString(), environment(db.env()), S3Settings.none())) {
            assertSameItems(CopyFixtures.itemsByKey(db.client(), source, KEYS), readExport(store, summary, ExportFormat.ION));
        }
    }

    @Test
    void exportsExactly_throughThrottlingAndLostAnswersOnScan_eachRetriedInItsTask(LocalDynamoDb db) throws Exception {
        String source = mixedSource(db, 300);
        Path destination = home.resolve("exports");
        // Every third Scan page's first request is throttled or its answer lost (the connection reset after DynamoDB
        // answered); the request that comes again with the same body is the retry, which gets through.
        Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> faulted = new ConcurrentHashMap<>();
        ThreadLocal<String> body = new ThreadLocal<>(); // the proxy observes a request, then asks the policy, on one thread
        try (FaultProxy proxy = FaultProxy.start(db.endpoint()).observe((operation, request) -> body.set(request))
                .policy((operation, n) -> {
                    if (!operation.equals("Scan")) {
                        return Fault.NONE;
                    }
                    int seen = requests.computeIfAbsent(body.get(), key -> new AtomicInteger()).incrementAndGet();
                    if (seen > 1 || n % 3 != 0) {
                        return Fault.NONE;
                    }
                    faulted.computeIfAbsent(body.get(), key -> new AtomicInteger()).incrementAndGet();
                    return n % 2 == 0 ? Fault.throttling() : Fault.resetAfter();
                });
                FailedAttempts failures = FailedAttempts.watch(SparkTestContext.get())) {
            SparkRun result = export(proxy.env(), source, destination.toString(), "--segments", "4", "--page-size", "25");

            assertThat(result.exitCode()).as("%s", result).isZero();
            assertThat(proxy.injected()).as("faults injected").containsOnlyKeys("Scan:ThrottlingException", "Scan:RESET_AFTER")
                    .allSatisfy((fault, count) -> assertThat(count).isPositive());
            assertThat(failures.reasons()).as("task attempts that failed: every fault is retried inside its task").isEmpty();
            long retries = requests.values().stream().mapToLong(count -> count.get() - 1).sum();
            assertThat(retries).as("Scan requests sent again").isGreaterThanOrEqualTo(proxy.injectedTotal());
            requests.forEach((request, count) -> assertThat(count.get()).as("times sent: %s", request)
                    .isEqualTo(1 + faulted.getOrDefault(request, new AtomicInteger()).get()));
            JsonNode summary = result.summary();
            assertThat(summary.path("orphansDeleted").asInt()).isZero();
            try (ExportStore store = ExportStore.open(destination.toString(), environment(db.env()), S3Settings.none())) {
                assertSameItems(CopyFixtures.itemsByKey(db.client(), source, KEYS), readExport(store, summary, ExportFormat.DYNAMODB_JSON));
            }
        }
    }

    @Test
    void exportsToS3_thatImportsExactly(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other) throws Exception {
        String source = mixedSource(db, 200);
        String bucket = S3Server.createBucket("spark-export");
        String destination = "s3://" + bucket + "/backups/daily";

        // The checkpoint on S3 too, as on a cluster whose driver has no lasting disk.
        SparkRun result = export(db.env(), source, destination, "--segments", "4", "--s3-endpoint-url", S3Server.endpoint().toString(),
                "--s3-region", "us-east-1", "--checkpoint", "s3://" + bucket + "/checkpoints/orders");

        assertThat(result.exitCode()).as("%s", result).isZero();
        JsonNode summary = result.summary();
        assertThat(summary.path("export").asText()).isEqualTo(destination + "/AWSDynamoDB/" + summary.path("exportId").asText());
        try (ExportStore store = ExportStore.open(destination, S3Server.environment(), S3Server.settings())) {
            assertSameItems(CopyFixtures.itemsByKey(db.client(), source, KEYS), readExport(store, summary, ExportFormat.DYNAMODB_JSON));
            String folder = ExportManifest.folder(summary.path("exportId").asText());
            JsonNode written = JSON.readTree(store.open(folder + ExportManifest.SUMMARY).readAllBytes());
            assertThat(written.path("s3Bucket").asText()).isEqualTo(bucket);
            assertThat(written.path("s3Prefix").asText()).isEqualTo("backups/daily");
            assertThat(written.path("manifestFilesS3Key").asText()).isEqualTo("backups/daily/" + folder + ExportManifest.FILES);
        }
        assertThat(S3Server.client().listObjectsV2(b -> b.bucket(bucket).prefix("checkpoints/")).contents())
                .as("a finished export removes its checkpoint").noneMatch(object -> object.key().contains("job.json")
                        || object.key().contains("/done/"));
        String target = TestTables.uniqueName("spark-export-s3");
        ImportStats imported = importInto(other, target, destination, S3Server.settings());
        assertThat(imported.written()).isEqualTo(200);
        CopyFixtures.assertSameItems(db.client(), source, other.client(), target, KEYS);
    }

    @Test
    void resumesAFailedExport_theSameExport_withoutReadingFinishedSegmentsAgain(LocalDynamoDb db) throws Exception {
        String source = mixedSource(db, 240);
        Path destination = home.resolve("exports");
        Map<Integer, AtomicInteger> scans = new ConcurrentHashMap<>();
        // Both runs read through one proxy (the checkpoint names the table's endpoint), which counts Scans per segment.
        try (FaultProxy proxy = FaultProxy.start(db.endpoint()).observe((operation, body) -> {
            Matcher segment = SEGMENT.matcher(body);
            if (operation.equals("Scan") && segment.find()) {
                scans.computeIfAbsent(Integer.parseInt(segment.group(1)), key -> new AtomicInteger()).incrementAndGet();
            }
        })) {
            System.setProperty(SegmentExportTask.FAIL_EVERY_ATTEMPT_PROPERTY, "2");
            SparkRun failed;
            try {
                failed = export(proxy.env(), source, destination.toString(), "--segments", "6", "--page-size", "20");
            } finally {
                System.clearProperty(SegmentExportTask.FAIL_EVERY_ATTEMPT_PROPERTY);
            }
            assertThat(failed.exitCode()).as("%s", failed).isEqualTo(1);
            assertThat(failed.err()).startsWith("dynamo: a segment task failed after Spark's retries: test hook: ")
                    .endsWith(": add --resume to continue\n").hasLineCount(1).doesNotContain("Exception");
            assertThat(failed.out()).isEmpty();
            Set<Integer> finished = new TreeSet<>(new SparkCheckpoint(home.resolve("checkpoint")).finished());
            finished.remove(6); // the export's beginning
            assertThat(finished).as("segments recorded before the failure (segment 2 took a slot only once one had ended)")
                    .isNotEmpty().doesNotContain(2).hasSizeLessThan(6);

            scans.clear();
            SparkRun resumed = export(proxy.env(), source, destination.toString(), "--resume");

            assertThat(resumed.exitCode()).as("%s", resumed).isZero();
            assertThat(resumed.err()).startsWith("dynamo: resuming the export of table '")
                    .contains(String.format("%d of 6 segments finished", finished.size()));
            assertThat(scans.keySet()).as("segments read by the resume (finished before: %s)", finished)
                    .doesNotContainAnyElementsOf(finished).hasSize(6 - finished.size());
            JsonNode summary = resumed.summary();
            assertThat(summary.path("resumed").asBoolean()).isTrue();
            assertThat(summary.path("segmentsSkipped").asInt()).isEqualTo(finished.size());
            assertThat(summary.path("orphansDeleted").asInt()).as("the files of segment 2's two failed attempts, at least")
                    .isGreaterThanOrEqualTo(2);
            try (ExportStore store = ExportStore.open(destination.toString(), environment(db.env()), S3Settings.none())) {
                // readExport also checks that the folder holds one export: the resume continued the failed one
                assertSameItems(CopyFixtures.itemsByKey(db.client(), source, KEYS), readExport(store, summary, ExportFormat.DYNAMODB_JSON));
            }
        }
        assertThat(home.resolve("checkpoint")).doesNotExist();
    }

    @Test
    void refusesAnUnknownTable_andAResumeWithoutCheckpoint_inOneLineWithExit2(LocalDynamoDb db) {
        Path destination = home.resolve("exports");

        SparkRun unknown = export(db.env(), "no-such-table", destination.toString());
        SparkRun noCheckpoint = export(db.env(), mixedSource(db, 1), destination.toString(), "--resume");

        assertThat(unknown.exitCode()).as("%s", unknown).isEqualTo(2);
        assertThat(unknown.err()).startsWith("dynamo: table 'no-such-table' not found in ").hasLineCount(1);
        assertThat(noCheckpoint.exitCode()).as("%s", noCheckpoint).isEqualTo(2);
        assertThat(noCheckpoint.err()).startsWith("dynamo: no checkpoint to resume in ").hasLineCount(1);
        assertThat(destination).as("nothing was written").doesNotExist();
    }
}
