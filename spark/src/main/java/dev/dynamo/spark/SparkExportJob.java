package dev.dynamo.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dynamo.DynamoException;
import dev.dynamo.ExitCode;
import dev.dynamo.copy.CopyCheckpoint;
import dev.dynamo.copy.TableCreator;
import dev.dynamo.env.DynamoClientFactory;
import dev.dynamo.env.Environment;
import dev.dynamo.env.EnvironmentResolver;
import dev.dynamo.items.ExportManifest;
import dev.dynamo.pipeline.Backoff;
import dev.dynamo.pipeline.JobCounters;
import dev.dynamo.pipeline.JobDefaults;
import dev.dynamo.pipeline.Retrier;
import dev.dynamo.pipeline.TableDescriptions;
import dev.dynamo.store.ExportStore;
import dev.dynamo.store.StoredObject;
import dev.dynamo.table.TableCatalog;
import dev.dynamo.table.TableSchema;
import dev.dynamo.transfer.ExportFolder;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;

/**
 * An export on Spark, run by the driver, to the layout of core's export (DynamoDB's Export to S3,
 * {@link ExportManifest}): describes the table, begins the export ({@code _started}, dynamo-table.json), divides the
 * table's parallel scan into segments, one Spark task each ({@link SegmentExportTask}, many more segments than task
 * slots), whose tasks write their data files straight to the destination and report them; then deletes every data
 * file no recorded report names (failed or duplicate attempts), checks that the recorded files are there, whole, and
 * that their counts add up, and writes manifest-files.json and, last, manifest-summary.json.
 *
 * <p>Checkpoint: a {@link SparkCheckpoint} of {@code segments + 1} tasks: task N (N = the segment count) is the export's
 * beginning, recorded by the driver with the export's id and start time once {@code _started} is written; tasks 0 to N-1
 * are the segments, each recorded with its data files as its task reports them. A resumed job continues the same
 * export (same id and folder) and runs only the segments without a record.
 */
final class SparkExportJob {
    private static final Logger LOG = LoggerFactory.getLogger(SparkExportJob.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    static final String KIND = "export";

    private final SparkStarter starter;
    private JavaSparkContext spark;
    private final SparkExportPlan plan;
    private final EnvironmentResolver resolver;
    private final PrintWriter err;
    private final long progressMillis;

    /** @param starter the Spark context, starting; the job checks the table first, then waits for it */
    SparkExportJob(SparkStarter starter, SparkExportPlan plan, EnvironmentResolver resolver, PrintWriter err, long progressMillis) {
        this.starter = starter;
        this.plan = plan;
        this.resolver = resolver;
        this.err = err;
        this.progressMillis = progressMillis;
    }

    /** One segment's recorded result: its data files, and the items its task read. */
    private record Recorded(long items, List<ExportManifest.DataFile> files, Map<String, Long> bytes) {
    }

    SparkExportStats run() throws InterruptedException {
        Environment environment = resolver.resolve(plan.environment());
        Retrier retrier = new Retrier(Backoff.create(), plan.maxRetries(), new JobCounters(false));
        try (DynamoDbClient client = DynamoClientFactory.create(environment, 2, 0, Duration.ofMillis(plan.requestTimeoutMillis()));
                ExportStore store = ExportStore.open(plan.destination(), environment, plan.s3().toSettings(), resolver)) {
            TableDescription description = TableDescriptions.describe(retrier, client, environment, plan.table());
            if (description == null) {
                throw DynamoException.usage("table '" + plan.table() + "' not found in " + environment.describe()
                        + "; list the tables there with: dynamo tables -e " + environment.name());
            }
            String tableText = "table '" + plan.table() + "' in " + environment.describe();
            Map<String, String> identity = identity(environment);
            SparkCheckpoint checkpoint = plan.checkpoint() != null
                    ? new SparkCheckpoint(SparkCheckpoint.isS3(plan.checkpoint()) ? plan.checkpoint()
                            : Path.of(plan.checkpoint()).toAbsolutePath().normalize().toString(), environment, plan.s3().toSettings(), resolver)
                    : new SparkCheckpoint(JobPlaces.defaultCheckpoint(resolver.home(), "export-"
                            + CopyCheckpoint.shortened(plan.table()), identity));
            try (SparkCheckpoint closing = checkpoint; SparkCheckpoint.Lock lock = checkpoint.lock()) {
                return run(environment, client, retrier, store, description, tableText, identity, checkpoint);
            }
        }
    }

    private SparkExportStats run(Environment environment, DynamoDbClient client, Retrier retrier, ExportStore store,
            TableDescription description, String tableText, Map<String, String> identity, SparkCheckpoint checkpoint)
            throws InterruptedException {
        TableSchema schema = TableCatalog.toSchema(description, environment.describe());
        int segments;
        SortedMap<Integer, JsonNode> results = new TreeMap<>();
        if (plan.resume()) {
            segments = checkpoint.resume(KIND, identity) - 1;
            if (segments < 1) {
                throw DynamoException.usage("the checkpoint in " + checkpoint.describe() + " is damaged (no segments); run "
                        + "without --resume to start anew");
            }
            results.putAll(checkpoint.results());
        } else {
            segments = plan.segments() > 0 ? plan.segments() : SparkCopyJob.defaultSegments(schema.sizeBytes(), spark().defaultParallelism());
            String problem = JobDefaults.segmentsProblem(segments);
            if (problem != null) {
                throw DynamoException.usage(problem);
            }
            checkpoint.begin(KIND, identity, segments + 1);
        }
        JsonNode start = results.get(segments);
        ExportFolder folder;
        String startTime;
        if (start == null) {
            if (!results.isEmpty()) { // segments run only once the beginning is recorded
                throw DynamoException.usage("the checkpoint in " + checkpoint.describe() + " is damaged (segments without the "
                        + "export's beginning); run without --resume to start anew");
            }
            Instant now = ExportFolder.now();
            folder = new ExportFolder(store, plan.destination(), ExportFolder.newExportId(now));
            startTime = now.toString();
            folder.start(description, ttlAttribute(client, environment, plan.table(), retrier));
            checkpoint.finish(segments, JSON.createObjectNode().put("exportId", folder.exportId()).put("startTime", startTime));
        } else {
            String exportId = start.path("exportId").asText("");
            startTime = start.path("startTime").asText("");
            if (!exportId.matches("\\d{14}-[0-9a-f]{8}") || startTime.isEmpty()) {
                throw DynamoException.usage("the checkpoint in " + checkpoint.describe() + " is damaged (export id '" + exportId
                        + "'); run without --resume to start anew");
            }
            folder = new ExportFolder(store, plan.destination(), exportId);
            if (!folder.started()) {
                throw DynamoException.usage("the export to resume is not at " + folder.location() + " (its _started is gone); "
                        + "run without --resume to start anew");
            }
        }
        Map<Integer, Recorded> finished = recorded(results, segments, checkpoint);
        if (!finished.isEmpty()) {
            checkPresent(folder, finished, ExitCode.USAGE, "; run without --resume to start anew");
        }
        return export(environment, store, folder, description, tableText, checkpoint, segments, finished, startTime);
    }

    private SparkExportStats export(Environment environment, ExportStore store, ExportFolder folder, TableDescription description,
            String tableText, SparkCheckpoint checkpoint, int segments, Map<Integer, Recorded> finished, String startTime)
            throws InterruptedException {
        spark = spark();
        // The summary's time: from here, when Spark is up and the table checked, as the progress line's.
        long startNanos = System.nanoTime();
        List<Integer> remaining = new ArrayList<>();
        for (int segment = 0; segment < segments; segment++) {
            if (!finished.containsKey(segment)) {
                remaining.add(segment);
            }
        }
        if (plan.resume()) {
            err.printf(Locale.ROOT, "dynamo: resuming the export of %s to %s: %,d of %,d segments finished, %,d to export "
                    + "(checkpoint %s)%n", tableText, folder.location(), finished.size(), segments, remaining.size(),
                    checkpoint.describe());
        }
        String runId = String.format(Locale.ROOT, "%08x", RANDOM.nextInt());
        CopyAccumulators counts = new CopyAccumulators(spark);
        String group = "export-" + runId;
        try (DriverService driver = DriverService.start(JobPlaces.driverHost(spark), plan.maxReadUnits(), 0, checkpoint::finish);
                ProgressLine progress = ProgressLine.exporting(err, counts, segments, finished.size(), progressMillis)) {
            ExportTaskPlan tasks = ExportTaskPlan.builder().runId(runId).environment(EnvironmentDescription.of(environment))
                    .table(plan.table()).destination(plan.destination()).s3(plan.s3()).exportId(folder.exportId()).format(plan.format())
                    .maxFileBytes(plan.maxFileBytes()).segments(segments).pageSize(plan.pageSize()).consistent(plan.consistent())
                    .maxRetries(plan.maxRetries()).requestTimeoutMillis(plan.requestTimeoutMillis()).maxReadUnits(plan.maxReadUnits())
                    .slots(Math.max(1, spark.defaultParallelism())).driver(driver.address()).build();
            spark.setJobGroup(group, "dynamo export " + plan.table() + " -> " + plan.destination(), true);
            if (!remaining.isEmpty()) {
                spark.parallelize(remaining, remaining.size()).foreachPartition(new SegmentExportTask(tasks, counts));
            }
        } catch (DynamoException e) {
            throw e;
        } catch (Exception e) { // Spark's SparkException, which Scala throws undeclared
            throw JobFailure.resumable("segment", "the export", "segments", checkpoint).of(e);
        } finally {
            spark.clearJobGroup();
        }
        Map<Integer, Recorded> all = recorded(checkpoint.results(), segments, checkpoint);
        for (int segment = 0; segment < segments; segment++) {
            if (!all.containsKey(segment)) {
                throw DynamoException.failure("segment " + segment + " ended on Spark without a recorded report; the finished "
                        + "segments are in the checkpoint " + checkpoint.describe() + ": add --resume to continue", null);
            }
        }
        int orphans = deleteUnnamed(store, folder, all);
        long bytes = checkPresent(folder, all, ExitCode.FAILURE, "; run without --resume to start anew");
        List<ExportManifest.DataFile> files = new ArrayList<>();
        all.values().forEach(segment -> files.addAll(segment.files()));
        long items = files.stream().mapToLong(ExportManifest.DataFile::itemCount).sum();
        long read = all.values().stream().mapToLong(Recorded::items).sum();
        if (items != read) { // each segment's are checked as recorded; the sum, before the summary says it
            throw new IllegalStateException("export accounting mismatch: " + read + " items read, " + items + " in data files");
        }
        folder.finish(files, description, startTime, plan.format());
        checkpoint.delete();
        LOG.info("export {} finished: {} items in {} data files, {} orphans deleted", folder.location(), items, files.size(), orphans);
        return SparkExportStats.builder().table(tableText).location(folder.location()).exportId(folder.exportId())
                .format(plan.format()).items(items).files(files.size()).bytes(bytes).readUnits(counts.readUnits.value())
                .segments(segments).segmentsSkipped(finished.size()).orphansDeleted(orphans)
                .elapsed(Duration.ofNanos(System.nanoTime() - startNanos)).resumed(plan.resume()).build();
    }

    /**
     * The segments' recorded results, checked: every field there, each file in its segment's part of the folder and
     * named once, and the items read equal to those in the files.
     */
    private static Map<Integer, Recorded> recorded(SortedMap<Integer, JsonNode> results, int segments, SparkCheckpoint checkpoint) {
        Map<Integer, Recorded> recorded = new TreeMap<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        for (Map.Entry<Integer, JsonNode> entry : results.entrySet()) {
            int segment = entry.getKey();
            if (segment == segments) {
                continue; // the export's beginning
            }
            JsonNode result = entry.getValue();
            String where = "the checkpoint in " + checkpoint.describe() + ": segment " + segment;
            if (segment < 0 || segment > segments || !result.path("items").canConvertToLong() || !result.path("files").isArray()) {
                throw DynamoException.usage(where + " is damaged; run without --resume to start anew");
            }
            List<ExportManifest.DataFile> files = new ArrayList<>();
            Map<String, Long> bytes = new HashMap<>();
            long inFiles = 0;
            for (JsonNode file : result.path("files")) {
                String name = file.path("name").asText("");
                String key = file.path("dataFileS3Key").asText("");
                if (!name.startsWith(String.format(Locale.ROOT, "data/s%05d-", segment)) || name.contains("..")
                        || !key.endsWith(name) || !file.path("itemCount").canConvertToLong() || !file.path("bytes").canConvertToLong()
                        || file.path("md5Checksum").asText("").isEmpty() || !names.add(name)) {
                    throw DynamoException.usage(where + " has a damaged or repeated data file '" + name + "'; run without --resume "
                            + "to start anew");
                }
                files.add(new ExportManifest.DataFile(name, file.path("itemCount").asLong(), file.path("md5Checksum").asText(),
                        file.path("etag").asText(""), key));
                bytes.put(name, file.path("bytes").asLong());
                inFiles += file.path("itemCount").asLong();
            }
            if (inFiles != result.path("items").asLong()) {
                throw new IllegalStateException("export accounting mismatch in segment " + segment + ": " + result.path("items").asLong()
                        + " items read, " + inFiles + " in data files");
            }
            recorded.put(segment, new Recorded(result.path("items").asLong(), files, bytes));
        }
        return recorded;
    }

    /** Deletes the data files that no recorded result names: those of failed or duplicate task attempts. */
    private static int deleteUnnamed(ExportStore store, ExportFolder folder, Map<Integer, Recorded> all) {
        java.util.Set<String> named = new java.util.HashSet<>();
        all.values().forEach(segment -> segment.files().forEach(file -> named.add(folder.storeName(file.name()))));
        int deleted = 0;
        for (StoredObject object : folder.dataFiles()) {
            if (!named.contains(object.name())) {
                LOG.info("deleting {}: a data file of a failed or duplicate task attempt", object.name());
                store.delete(object.name());
                deleted++;
            }
        }
        return deleted;
    }

    /**
     * Checks that every recorded data file is in the folder with the length its task reported: the store's listing, not
     * the reports, is what the manifest is believed on.
     *
     * @return the files' bytes in all
     */
    private static long checkPresent(ExportFolder folder, Map<Integer, Recorded> recorded, ExitCode code, String advice) {
        Map<String, Long> listed = new HashMap<>();
        folder.dataFiles().forEach(object -> listed.put(object.name(), object.size()));
        long bytes = 0;
        for (Recorded segment : recorded.values()) {
            for (ExportManifest.DataFile file : segment.files()) {
                Long size = listed.get(folder.storeName(file.name()));
                long expected = segment.bytes().get(file.name());
                if (size == null || size != expected) {
                    throw new DynamoException(code, "the data file " + folder.locationOf(file.name()) + " of the export "
                            + (size == null ? "is gone" : "has " + size + " bytes, not the " + expected + " its task wrote") + advice);
                }
                bytes += size;
            }
        }
        return bytes;
    }

    /** The table's TTL attribute when TTL is enabled, for dynamo-table.json, as core's export writes it. */
    private static String ttlAttribute(DynamoDbClient client, Environment environment, String table, Retrier retrier)
            throws InterruptedException {
        try {
            TimeToLiveDescription ttl = TableCreator.describeTtl(client, environment, table, retrier);
            return ttl != null && "ENABLED".equals(ttl.timeToLiveStatusAsString()) ? ttl.attributeName() : null;
        } catch (DynamoException e) {
            LOG.info("no TTL in the table definition: {}", e.getMessage());
            return null;
        }
    }

    /** The context, waiting for it to start. */
    private JavaSparkContext spark() throws InterruptedException {
        if (spark == null) {
            spark = starter.await();
        }
        return spark;
    }

    private Map<String, String> identity(Environment environment) {
        Map<String, String> identity = new LinkedHashMap<>();
        identity.put("environment", environment.location());
        identity.put("table", plan.table());
        identity.put("destination", plan.destination());
        identity.put("format", plan.format().awsName());
        return identity;
    }
}
