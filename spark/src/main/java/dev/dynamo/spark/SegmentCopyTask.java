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
import dev.dynamo.table.TableSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * the same items again and the target ends the same. Items that cannot be written go to the segment's dead-letter
 * file ({@code DIR/JOB-segment-000012.failed.jsonl}), which an attempt starts anew; a segment whose pages are not all
 * written or dead-lettered fails the task (and Spark retries it). A finished segment reports its counts to the driver
 * ({@link TaskReport}), which records it in the checkpoint before the task ends.
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

    /** The dead-letter file of one segment. */
    static Path deadLetterFile(Path directory, String jobId, int segment) {
        return directory.resolve(String.format(Locale.ROOT, "%s-segment-%06d.failed.jsonl", jobId, segment));
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
        Path deadLetterPath = deadLetterFile(Path.of(plan.deadLetterDirectory()), plan.jobId(), segment);
        try {
            Files.deleteIfExists(deadLetterPath); // an earlier attempt's: this attempt writes every item again
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove an earlier attempt's dead-letter file " + deadLetterPath, e);
        }
        SegmentAcks acks = new SegmentAcks(plan.segments());
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
        try (DeadLetterFile deadLetters = new DeadLetterFile(deadLetterPath, to.keys().names());
                RateLease ignored = limited() ? RateLease.take(plan.driver(), lease, reads, writes) : null) {
            PagePipeline.run("spark-copy-" + segment, List.of(reader), 1, plan.writers(), JobDefaults.readAheadPages(plan.writers()), () -> {
                BatchWriter writer = new BatchWriter(to, BatchWriter.Kind.PUT, retrier, counters, deadLetters, acks, stop);
                return failOnce ? failingAfterFirstPage(writer, segment) : writer;
            }, stop);
        }
        long read = counters.scanned.sum();
        long handled = counters.written.sum() + counters.failed.sum();
        if (!acks.checkpoint(segment).finished() || read != handled) {
            throw new IllegalStateException("segment " + segment + ": " + read + " items read, " + handled
                    + " written or dead-lettered, finished: " + acks.checkpoint(segment).finished());
        }
        LOG.info("segment {} of {} copied: {} items, {} failed", segment, plan.segments(), read, counters.failed.sum());
        accumulators.add(counters);
        ObjectNode result = JSON.createObjectNode().put("scanned", read).put("written", counters.written.sum())
                .put("failed", counters.failed.sum());
        if (!TaskReport.send(plan.driver(), segment, result)) {
            LOG.info("segment {} was recorded by another attempt; this one wrote the same items", segment);
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
