package dev.dynamo.spark;

import dev.dynamo.DynamoException;
import dev.dynamo.copy.CopyCheckpoint;
import dev.dynamo.copy.CopyMode;
import dev.dynamo.copy.TableCreator;
import dev.dynamo.env.Environment;
import dev.dynamo.env.EnvironmentResolver;
import dev.dynamo.pipeline.Backoff;
import dev.dynamo.pipeline.JobCounters;
import dev.dynamo.pipeline.JobDefaults;
import dev.dynamo.pipeline.Retrier;
import dev.dynamo.pipeline.TablePair;
import dev.dynamo.store.ExportStore;
import dev.dynamo.store.S3Settings;
import dev.dynamo.table.TableSchema;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.spark.api.java.JavaSparkContext;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * A copy on Spark, run by the driver: checks both tables as the command line's copy does, creates the target if
 * asked, divides the source's parallel scan into segments, one Spark task each ({@link SegmentCopyTask}), many more
 * segments than task slots so that a slot that finishes early takes the next segment, and sums the tasks' counts.
 *
 * <p>Segments: {@code --segments}, or max(4 x the context's default parallelism, the table's size / 128 MiB). Rates:
 * {@code --max-rcu}/{@code --max-wcu} hold for the whole job, split among the running tasks by a
 * {@link DriverService}. Checkpoint: a {@link SparkCheckpoint} directory records each finished segment as its task
 * reports it to the driver's service; a resumed
 * job runs only the others. Items that cannot be written are in per-segment dead-letter files; the job then fails
 * (exit 1) after every other item is copied.
 *
 * <p>{@code --mode replace} into a target with items (or {@code --resume} of one) is a replace by difference, handed
 * to {@link SparkDiffCopy} once the tables are checked.
 */
final class SparkCopyJob {
    /** How many segments per task slot, by default: enough that no one slow segment makes the job wait. */
    static final int SEGMENTS_PER_SLOT = 4;
    static final long SEGMENT_TARGET_BYTES = 128L * 1024 * 1024;
    static final int MAX_AUTO_SEGMENTS = 100_000;

    private final SparkStarter starter;
    private JavaSparkContext spark;
    private final SparkCopyPlan plan;
    private final EnvironmentResolver resolver;
    private final PrintWriter err;
    private final long progressMillis;

    /** @param starter the Spark context, starting; the job checks the tables first, then waits for it */
    SparkCopyJob(SparkStarter starter, SparkCopyPlan plan, EnvironmentResolver resolver, PrintWriter err, long progressMillis) {
        this.starter = starter;
        this.plan = plan;
        this.resolver = resolver;
        this.err = err;
        this.progressMillis = progressMillis;
    }

    SparkCopyStats run() throws InterruptedException {
        Environment source = resolver.resolve(plan.source());
        Environment target = resolver.resolve(plan.target());
        target.checkWritable(plan.allowProtectedTarget());
        JobCounters driverCounters = new JobCounters(false);
        Retrier retrier = new Retrier(Backoff.create(), plan.maxRetries(), driverCounters);
        SparkCheckpoint checkpoint = null;
        SparkCheckpoint.Lock lock = null;
        int segments = 0;
        boolean created = false;
        boolean byDifference = false;
        boolean resumesDifference = false;
        TableSchema diffSource = null;
        TableSchema diffTarget = null;
        Map<String, String> identity;
        String targetText;
        String sourceText;
        try (TablePair tables = TablePair.open(source, target, 2, Duration.ofMillis(plan.requestTimeoutMillis()))) {
            TableDescription sourceTable = tables.describeSource(retrier, plan.sourceTable());
            TableSchema sourceSchema = tables.sourceSchema(sourceTable);
            TableDescription targetTable = tables.describeTarget(retrier, plan.targetTable());
            sourceText = "table '" + plan.sourceTable() + "' in " + source.describe();
            targetText = tables.describeTarget(plan.targetTable());
            if (targetTable == null && !plan.createTable()) {
                throw DynamoException.usage("target table '" + plan.targetTable() + "' not found in " + target.describe()
                        + "; add --create-table to create it from the source's definition, or name an existing table with --target-table");
            }
            if (targetTable != null) {
                tables.checkTables(sourceTable, targetTable, ": a copy onto itself would delete what it copies; name another target "
                        + "with --target or --target-table", ", so no item could be written; copy into a table with the same key "
                        + "(--target-table NAME, or --create-table with a new name)");
            }
            identity = identity(source, target);
            checkDeadLetterLocation(target);
            checkpoint = plan.checkpoint() != null ? new SparkCheckpoint(plan.checkpoint(), target, s3Settings(), resolver)
                    : new SparkCheckpoint(JobPlaces.defaultCheckpoint(resolver.home(), "copy-"
                            + CopyCheckpoint.shortened(plan.sourceTable()) + "-to-" + CopyCheckpoint.shortened(plan.targetTable()), identity));
            lock = checkpoint.lock();
            // Replace into a target with items: by difference. A resume of one compares again (SparkDiffCopy).
            resumesDifference = plan.resume() && plan.mode() == CopyMode.REPLACE && targetTable != null
                    && resumesDifference(checkpoint, identity);
            byDifference = resumesDifference || (plan.mode() == CopyMode.REPLACE && !plan.resume() && targetTable != null
                    && hasItems(tables, retrier));
            if (byDifference) {
                if (!plan.yes()) {
                    throw DynamoException.usage("this copy would replace " + targetText + " by difference, deleting its items that "
                            + sourceText + " lacks, which needs consent: run it again with --yes (no backup is made on Spark), or use "
                            + "--mode merge to keep the target's items; nothing was changed");
                }
                diffSource = sourceSchema;
                diffTarget = tables.targetSchema(targetTable);
            } else if (plan.resume()) {
                segments = checkpoint.resume("copy", identity);
            } else {
                segments = plan.segments() > 0 ? plan.segments() : defaultSegments(sourceSchema.sizeBytes(), spark().defaultParallelism());
                String problem = JobDefaults.segmentsProblem(segments);
                if (problem != null) {
                    throw DynamoException.usage(problem);
                }
                checkpoint.begin("copy", identity, segments);
            }
            if (targetTable == null) {
                var ttl = TableCreator.describeTtl(tables.sourceClient(), source, plan.sourceTable(), retrier);
                TableCreator.create(tables.targetClient(), target, TableCreator.request(sourceTable, plan.targetTable(), null), ttl, retrier);
                created = true;
                err.println("dynamo: created " + targetText + " from the source's definition");
            }
        } catch (RuntimeException | InterruptedException e) {
            if (lock != null) {
                lock.close();
            }
            if (checkpoint != null) {
                checkpoint.close();
            }
            throw e;
        }
        try (SparkCheckpoint closing = checkpoint; SparkCheckpoint.Lock held = lock) { // the lock first, while the store is open
            if (byDifference) {
                String deadLetters = deadLetterLocation();
                return new SparkDiffCopy(plan, err, progressMillis, deadLetters, deadLettersDescribed(target, deadLetters))
                        .run(spark(), source, target, diffSource, diffTarget, checkpoint, identity, resumesDifference);
            }
            return copy(source, target, checkpoint, segments, created, sourceText, targetText);
        }
    }

    private SparkCopyStats copy(Environment source, Environment target, SparkCheckpoint checkpoint, int segments, boolean created,
            String sourceText, String targetText) throws InterruptedException {
        spark = spark();
        // The summary's time and items/s: from here, when Spark is up and the tables checked, as the progress line's.
        long startNanos = System.nanoTime();
        java.util.SortedSet<Integer> finished = checkpoint.finished();
        List<Integer> remaining = new ArrayList<>();
        for (int segment = 0; segment < segments; segment++) {
            if (!finished.contains(segment)) {
                remaining.add(segment);
            }
        }
        if (plan.resume()) {
            err.printf(Locale.ROOT, "dynamo: resuming the copy of %s: %,d of %,d segments finished, %,d to copy (checkpoint %s)%n",
                    sourceText, finished.size(), segments, remaining.size(), checkpoint.describe());
        }
        String jobId = "copy-" + UUID.randomUUID().toString().substring(0, 8);
        String deadLetters = deadLetterLocation();
        java.util.SortedMap<Integer, JsonNode> earlier = checkpoint.results();
        long failedBefore = earlier.values().stream().mapToLong(result -> result.path("failed").asLong()).sum();
        Map<Integer, String> positions = new TreeMap<>();
        checkpoint.positions().forEach((segment, position) -> {
            if (!finished.contains(segment) && segment < segments) {
                PositionReport.fromJson(segment, position, checkpoint.describe()); // a damaged one is refused here, not in a task
                positions.put(segment, position.toString());
            }
        });
        int slots = Math.max(1, spark.defaultParallelism());
        CopyAccumulators counts = new CopyAccumulators(spark);
        try (DriverService driver = DriverService.start(JobPlaces.driverHost(spark), plan.maxReadUnits(), plan.maxWriteUnits(), checkpoint::finish,
                checkpoint::position);
                ProgressLine progress = ProgressLine.copying(err, counts, segments, finished.size(), progressMillis)) {
            SegmentTaskPlan tasks = SegmentTaskPlan.builder().jobId(jobId).source(EnvironmentDescription.of(source))
                    .target(EnvironmentDescription.of(target)).sourceTable(plan.sourceTable()).targetTable(plan.targetTable())
                    .segments(segments).pageSize(plan.pageSize()).consistent(plan.consistent()).writers(plan.writers())
                    .maxRetries(plan.maxRetries()).requestTimeoutMillis(plan.requestTimeoutMillis()).maxReadUnits(plan.maxReadUnits())
                    .maxWriteUnits(plan.maxWriteUnits()).slots(slots).driver(driver.address())
                    .deadLetters(deadLetters).s3(plan.s3()).positions(positions).build();
            spark.setJobGroup(jobId, "dynamo copy " + plan.sourceTable() + " -> " + plan.targetTable(), true);
            if (!remaining.isEmpty()) {
                spark.parallelize(remaining, remaining.size()).foreachPartition(new SegmentCopyTask(tasks, counts));
            }
        } catch (DynamoException e) {
            throw e;
        } catch (Exception e) { // Spark's SparkException, which Scala throws undeclared
            throw JobFailure.resumable("segment", "the copy", "segments", checkpoint).of(e);
        } finally {
            spark.clearJobGroup();
        }
        SparkCopyStats stats = SparkCopyStats.builder().source(sourceText).target(targetText).segments(segments)
                .segmentsSkipped(finished.size()).tableCreated(created).scanned(counts.scanned.value()).written(counts.written.value())
                .failed(counts.failed.value() + failedBefore).retried(counts.retried.value()).throttled(counts.throttled.value())
                .bytesWritten(counts.bytesWritten.value()).readUnits(counts.readUnits.value()).writeUnits(counts.writeUnits.value())
                .writeUnitsMeasured(plan.maxWriteUnits() > 0).elapsed(Duration.ofNanos(System.nanoTime() - startNanos))
                .deadLetterDirectory(deadLettersDescribed(target, deadLetters)).build();
        checkpoint.delete(); // every segment finished: its items are written or dead-lettered
        return stats;
    }

    /**
     * Whether {@code checkpoint} is one of a replace by difference of this copy. Refuses one of a replace by difference of
     * another copy; a checkpoint of another kind (a plain copy's), or none, is for {@link SparkCheckpoint#resume} to judge.
     */
    private static boolean resumesDifference(SparkCheckpoint checkpoint, Map<String, String> identity) {
        if (!checkpoint.kind().filter(SparkDiffCopy.KIND::equals).isPresent()) {
            return false;
        }
        checkpoint.resume(SparkDiffCopy.KIND, identity); // refuses one of another copy's replace by difference
        return true;
    }

    private S3Settings s3Settings() {
        return plan.s3() == null ? S3Settings.none() : plan.s3().toSettings();
    }

    /** --dead-letter, or ~/.dynamo/dead-letters; a local directory absolute. */
    private String deadLetterLocation() {
        String location = plan.deadLetters() != null ? plan.deadLetters()
                : resolver.home().resolve(".dynamo").resolve("dead-letters").toString();
        return SparkCheckpoint.isS3(location) ? location : Path.of(location).toAbsolutePath().normalize().toString();
    }

    /** A malformed --dead-letter is a usage error before anything is written, not a failure of the first task to need it. */
    private void checkDeadLetterLocation(Environment target) {
        try (ExportStore store = ExportStore.open(deadLetterLocation(), target, s3Settings(), resolver)) {
            store.describe();
        }
    }

    private String deadLettersDescribed(Environment target, String location) {
        try (ExportStore store = ExportStore.open(location, target, s3Settings(), resolver)) {
            return store.describe();
        }
    }

    /** The context, waiting for it to start. */
    private JavaSparkContext spark() throws InterruptedException {
        if (spark == null) {
            spark = starter.await();
        }
        return spark;
    }

    /** max(4 x slots, size / 128 MiB), at most {@link #MAX_AUTO_SEGMENTS}. */
    static int defaultSegments(long tableSizeBytes, int slots) {
        long bySize = (Math.max(0, tableSizeBytes) + SEGMENT_TARGET_BYTES - 1) / SEGMENT_TARGET_BYTES;
        return (int) Math.max(1, Math.min(MAX_AUTO_SEGMENTS, Math.max((long) SEGMENTS_PER_SLOT * Math.max(1, slots), bySize)));
    }

    private boolean hasItems(TablePair tables, Retrier retrier) throws InterruptedException {
        ScanRequest one = ScanRequest.builder().tableName(plan.targetTable()).limit(1).build();
        return !retrier.call(() -> tables.targetClient().scan(one)).items().isEmpty();
    }

    private Map<String, String> identity(Environment source, Environment target) {
        Map<String, String> identity = new LinkedHashMap<>();
        identity.put("source", source.location());
        identity.put("target", target.location());
        identity.put("sourceTable", plan.sourceTable());
        identity.put("targetTable", plan.targetTable());
        identity.put("mode", plan.mode().name().toLowerCase(Locale.ROOT));
        return identity;
    }
}
