package dev.dynamo.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dynamo.DynamoException;
import dev.dynamo.ExitCode;
import dev.dynamo.copy.BatchWriter;
import dev.dynamo.copy.DeadLetterFile;
import dev.dynamo.env.Environment;
import dev.dynamo.items.RawItems;
import dev.dynamo.pipeline.Backoff;
import dev.dynamo.pipeline.CapacityLimiter;
import dev.dynamo.pipeline.Estimates;
import dev.dynamo.pipeline.JobCounters;
import dev.dynamo.pipeline.JobDefaults;
import dev.dynamo.pipeline.PagePipeline;
import dev.dynamo.pipeline.Retrier;
import dev.dynamo.pipeline.ScanSegment;
import dev.dynamo.pipeline.SegmentAcks;
import dev.dynamo.pipeline.StopSignal;
import dev.dynamo.pipeline.TablePair;
import dev.dynamo.pipeline.TableRef;
import dev.dynamo.pipeline.WriteUnits;
import dev.dynamo.items.PrivateFiles;
import dev.dynamo.store.ExportStore;
import dev.dynamo.store.S3Settings;
import dev.dynamo.store.StoredOutput;
import dev.dynamo.table.TableSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.VoidFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * One Spark task: copies the scan segments of its partition (one, as the driver divides the work) with the core
 * engine's segment machinery: a {@link ScanSegment} reading pages as DynamoDB's JSON bytes, feeding
 * {@link BatchWriter}s through a {@link PagePipeline}, every call through a {@link Retrier} and the capacity limiters.
 * Each task opens its own clients from the plan's {@link EnvironmentDescription}s and closes them at its end.
 *
 * <p>Idempotent: a task attempt only puts the source's items, so a retried attempt (after a failure part way) writes
 * the same items again and the target ends the same. Items that cannot be written go to the attempt's dead-letter file,
 * written on the executor's disk and copied whole at the attempt's end to the dead-letter location (a directory or
 * s3://), as {@code JOB-segment-000012-attempt-31.failed.jsonl}; a segment whose pages are not all written or
 * dead-lettered fails the task (and Spark retries it). A finished segment reports its counts and its dead-letter file
 * to the driver ({@link TaskReport}), which records them in the checkpoint before the task ends; an attempt whose
 * report comes second deletes its own file. While it runs, the task reports its segment's position (up to where every
 * item is written) every few seconds ({@link PositionReport}), and a resumed job starts the segment from there.
 */
final class SegmentCopyTask implements VoidFunction<Iterator<Integer>> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SegmentCopyTask.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * A test hook: the segment whose first attempt fails after its first page is written ({@code -D} on the JVM that
     * runs the task, which for a local master is the driver's).
     */
    static final String FAIL_FIRST_ATTEMPT_PROPERTY = "dynamo.spark.test.failFirstAttemptOfSegment";

    private final SegmentTaskPlan plan;
    private final CopyAccumulators accumulators;

    SegmentCopyTask(SegmentTaskPlan plan, CopyAccumulators accumulators) {
        this.plan = plan;
        this.accumulators = accumulators;
    }

    /** The dead-letter file of one attempt of a segment ({@code copy-1a2b3c4d-segment-000012-attempt-31.failed.jsonl}). */
    static String deadLetterName(String jobId, int segment, long attempt) {
        return String.format(Locale.ROOT, "%s-segment-%06d-attempt-%d.failed.jsonl", jobId, segment, attempt);
    }

    @Override
    public void call(Iterator<Integer> segments) throws Exception {
        if (!segments.hasNext()) {
            return;
        }
        Environment source = plan.source().resolve();
        Environment target = plan.target().resolve();
        try (TablePair tables = TablePair.open(source, target, plan.writers() + 1, Duration.ofMillis(plan.requestTimeoutMillis()))) {
            while (segments.hasNext()) {
                copy(tables, segments.next());
            }
        }
    }

    private void copy(TablePair tables, int segment) throws InterruptedException {
        JobCounters counters = new JobCounters(plan.maxWriteUnits() > 0);
        counters.markStart();
        Retrier retrier = new Retrier(Backoff.create(), plan.maxRetries(), counters);
        TableSchema sourceSchema = tables.sourceSchema(tables.describeSource(retrier, plan.sourceTable()));
        var targetTable = tables.describeTarget(retrier, plan.targetTable());
        if (targetTable == null) {
            throw DynamoException.failure("target table '" + plan.targetTable() + "' not found in " + tables.targetEnvironment().describe()
                    + " by segment " + segment + "'s task", null);
        }
        TableSchema targetSchema = tables.targetSchema(targetTable);
        CapacityLimiter reads = CapacityLimiter.of(plan.safeShare(plan.maxReadUnits()));
        CapacityLimiter writes = CapacityLimiter.of(plan.safeShare(plan.maxWriteUnits()));
        TableRef from = new TableRef(tables.sourceEnvironment(), tables.sourceClient(), sourceSchema, reads, CapacityLimiter.of(0));
        TableRef to = new TableRef(tables.targetEnvironment(), tables.targetClient(), targetSchema, CapacityLimiter.of(0), writes);
        SegmentAcks acks = startingAcks(segment);
        StopSignal stop = new StopSignal();
        ScanRequest all = ScanRequest.builder().tableName(plan.sourceTable()).limit(plan.pageSize())
                .consistentRead(plan.consistent() ? Boolean.TRUE : null).build();
        RawItems.Shape raw = new RawItems.Shape(to.keys().names(), new WriteUnits(targetSchema).sizedNames());
        ScanSegment reader = new ScanSegment(new dev.dynamo.pipeline.TableReads(from, retrier, counters), all, segment, acks,
                counters.scanned, Estimates.firstPageUnits(sourceSchema, all, plan.pageSize()), stop, raw);
        TaskContext task = TaskContext.get();
        boolean failOnce = task != null && task.attemptNumber() == 0
                && Integer.toString(segment).equals(System.getProperty(FAIL_FIRST_ATTEMPT_PROPERTY));
        String lease = plan.jobId() + "-" + segment + "-" + (task == null ? 0 : task.taskAttemptId());
        String deadLetterName = deadLetterName(plan.jobId(), segment, task == null ? 0 : task.taskAttemptId());
        Path deadLetterPath = temporaryDirectory().resolve(deadLetterName);
        long failed;
        try (DeadLetterFile deadLetters = new DeadLetterFile(deadLetterPath, to.keys().names());
                RateLease ignored = limited() ? RateLease.take(plan.driver(), lease, reads, writes) : null;
                // Positions only while nothing of the segment is dead-lettered: items are acknowledged after their dead
                // letter is appended, so a position taken while the count is 0 covers written items only, and a resume from
                // it loses no dead letter (the attempt's file is uploaded only at its end).
                PositionReport ignoredToo = PositionReport.start(plan.driver(), segment, () -> {
                    SegmentAcks.Checkpoint now = acks.checkpoint(segment);
                    return deadLetters.count() == 0 ? PositionReport.toJson(now) : null;
                })) {
            PagePipeline.run("spark-copy-" + segment, List.of(reader), 1, plan.writers(), JobDefaults.readAheadPages(plan.writers()), () -> {
                BatchWriter writer = new BatchWriter(to, BatchWriter.Kind.PUT, retrier, counters, deadLetters, acks, stop);
                return failOnce ? failingAfterFirstPage(writer, segment) : writer;
            }, stop);
            failed = deadLetters.count();
        } catch (RuntimeException | Error e) {
            deleteQuietly(deadLetterPath);
            throw e;
        }
        long read = counters.scanned.sum();
        long handled = counters.written.sum() + counters.failed.sum();
        if (!acks.checkpoint(segment).finished() || read != handled) {
            deleteQuietly(deadLetterPath);
            throw new IllegalStateException("segment " + segment + ": " + read + " items read, " + handled
                    + " written or dead-lettered, finished: " + acks.checkpoint(segment).finished());
        }
        LOG.info("segment {} of {} copied: {} items, {} failed", segment, plan.segments(), read, counters.failed.sum());
        accumulators.add(counters);
        ObjectNode result = JSON.createObjectNode().put("scanned", read).put("written", counters.written.sum())
                .put("failed", counters.failed.sum());
        try (ExportStore deadLetterStore = failed > 0 ? openDeadLetters(tables) : null) {
            if (deadLetterStore != null) {
                upload(deadLetterPath, deadLetterStore, deadLetterName);
                result.put("deadLetters", deadLetterStore.locationOf(deadLetterName));
            }
            if (!TaskReport.send(plan.driver(), segment, result)) {
                LOG.info("segment {} was recorded by another attempt; this one wrote the same items", segment);
                if (deadLetterStore != null) {
                    deadLetterStore.delete(deadLetterName); // the recorded attempt's file holds them
                }
            }
        } finally {
            deleteQuietly(deadLetterPath);
        }
    }

    /** The acknowledgements the segment starts from: its saved position when the job is resumed, else its start. */
    private SegmentAcks startingAcks(int segment) {
        String position = plan.positions() == null ? null : plan.positions().get(segment);
        if (position == null) {
            return new SegmentAcks(plan.segments());
        }
        SegmentAcks.Checkpoint start;
        try {
            start = PositionReport.fromJson(segment, JSON.readTree(position), "the checkpoint");
        } catch (IOException e) {
            throw new IllegalStateException("the driver sends positions as JSON", e);
        }
        List<SegmentAcks.Checkpoint> all = new ArrayList<>(plan.segments());
        for (int other = 0; other < plan.segments(); other++) {
            all.add(other == segment ? start : SegmentAcks.Checkpoint.start(other));
        }
        LOG.info("segment {} resumes after its first {} items ({} pages)", segment, start.completedItems(), start.completedPages());
        return SegmentAcks.resume(all);
    }

    private ExportStore openDeadLetters(TablePair tables) {
        S3Settings s3 = plan.s3() == null ? S3Settings.none() : plan.s3().toSettings();
        return ExportStore.open(plan.deadLetters(), tables.targetEnvironment(), s3);
    }

    /** Copies the attempt's dead letters into the store whole: a reader never sees half a file. */
    private static void upload(Path file, ExportStore store, String name) {
        try (StoredOutput out = store.create(name)) {
            Files.copy(file, out.stream());
            out.commit();
        } catch (IOException e) {
            throw DynamoException.failure("cannot copy the dead letters " + file + " to " + store.locationOf(name) + ": " + e.getMessage(), e);
        }
    }

    /** This attempt's private folder for its dead letters, on the executor's disk. */
    private static Path temporaryDirectory() {
        try {
            Path folder = Path.of(System.getProperty("java.io.tmpdir")).resolve("dynamo-dead-letters-" + ProcessHandle.current().pid());
            PrivateFiles.createDirectories(folder);
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a private folder for dead letters in " + System.getProperty("java.io.tmpdir"), e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", file, e.toString());
        }
    }

    private boolean limited() {
        return plan.maxReadUnits() > 0 || plan.maxWriteUnits() > 0;
    }

    /** The test hook's writer: writes one page, then fails the task as a lost executor would. */
    private static PagePipeline.PageConsumer failingAfterFirstPage(BatchWriter writer, int segment) {
        return page -> {
            writer.consume(page);
            throw new DynamoException(ExitCode.FAILURE, "test hook: the first attempt of segment " + segment
                    + " fails after its first page (" + FAIL_FIRST_ATTEMPT_PROPERTY + ")");
        };
    }
}
