package dev.dynamo.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dynamo.DynamoException;
import dev.dynamo.ExitCode;
import dev.dynamo.env.DynamoClientFactory;
import dev.dynamo.env.Environment;
import dev.dynamo.pipeline.Backoff;
import dev.dynamo.pipeline.CapacityLimiter;
import dev.dynamo.pipeline.JobCounters;
import dev.dynamo.pipeline.Retrier;
import dev.dynamo.pipeline.StopSignal;
import dev.dynamo.pipeline.TableDescriptions;
import dev.dynamo.pipeline.TableRef;
import dev.dynamo.store.ExportStore;
import dev.dynamo.table.TableCatalog;
import dev.dynamo.transfer.ExportFolder;
import dev.dynamo.transfer.ExportPlan;
import java.time.Duration;
import java.util.Iterator;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.VoidFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * One Spark task of an export: exports the scan segments of its partition (one, as the driver divides the work) with
 * core's {@link ExportFolder#exportSegment}, straight into the export's folder through a store of its own, then reports
 * its committed data files to the driver ({@link TaskReport}), which records them in the checkpoint before the task
 * ends.
 *
 * <p>Every attempt names its data files with the driver run's token and its attempt number
 * ({@code data/s00003-RUN-a1-00000.json.gz}), so that two attempts of one segment never write the same object. The
 * first attempt to report stands; a later one (Spark retried a task whose report had arrived, or ran a speculative
 * copy) deletes its own files. The files of an attempt that failed before reporting are named by no recorded result:
 * the driver deletes them before it writes the manifest. So the manifest lists each item exactly once.
 */
final class SegmentExportTask implements VoidFunction<Iterator<Integer>> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SegmentExportTask.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * A test hook: the segment whose first attempt fails after committing its data files, before it reports them
     * ({@code -D} on the JVM that runs the task, which for a local master is the driver's).
     */
    static final String FAIL_BEFORE_REPORT_PROPERTY = "dynamo.spark.test.exportFailFirstAttemptBeforeReport";
    /** A test hook: the segment every attempt of which fails after committing its data files (the job fails). */
    static final String FAIL_EVERY_ATTEMPT_PROPERTY = "dynamo.spark.test.exportFailEveryAttemptBeforeReport";
    /** A test hook: the segment whose first attempt fails just after its report was recorded. */
    static final String FAIL_AFTER_REPORT_PROPERTY = "dynamo.spark.test.exportFailFirstAttemptAfterReport";

    private final ExportTaskPlan plan;
    private final CopyAccumulators accumulators;

    SegmentExportTask(ExportTaskPlan plan, CopyAccumulators accumulators) {
        this.plan = plan;
        this.accumulators = accumulators;
    }

    @Override
    public void call(Iterator<Integer> segments) throws Exception {
        if (!segments.hasNext()) {
            return;
        }
        Environment environment = plan.environment().resolve();
        try (DynamoDbClient client = DynamoClientFactory.create(environment, 2, 0, Duration.ofMillis(plan.requestTimeoutMillis()));
                ExportStore store = ExportStore.open(plan.destination(), environment, plan.s3().toSettings())) {
            ExportFolder folder = new ExportFolder(store, plan.destination(), plan.exportId());
            while (segments.hasNext()) {
                export(environment, client, folder, segments.next());
            }
        }
    }

    private void export(Environment environment, DynamoDbClient client, ExportFolder folder, int segment) throws InterruptedException {
        JobCounters counters = new JobCounters(false);
        counters.markStart();
        Retrier retrier = new Retrier(Backoff.create(), plan.maxRetries(), counters);
        TableDescription description = TableDescriptions.describe(retrier, client, environment, plan.table());
        if (description == null) {
            throw DynamoException.failure("table '" + plan.table() + "' not found in " + environment.describe() + " by segment "
                    + segment + "'s task", null);
        }
        CapacityLimiter reads = CapacityLimiter.of(plan.safeReadShare());
        TableRef table = new TableRef(environment, client, TableCatalog.toSchema(description, environment.describe()), reads,
                CapacityLimiter.of(0));
        ExportPlan exportPlan = ExportPlan.builder(plan.table(), plan.destination()).format(plan.format())
                .maxFileBytes(plan.maxFileBytes()).segments(plan.segments()).pageSize(plan.pageSize()).consistent(plan.consistent())
                .maxRetries(plan.maxRetries()).build();
        TaskContext task = TaskContext.get();
        int attempt = task == null ? 0 : task.attemptNumber();
        String tag = plan.runId() + "-a" + attempt;
        ExportFolder.SegmentResult result;
        try (RateLease ignored = plan.maxReadUnits() > 0
                ? RateLease.take(plan.driver(), plan.runId() + "-" + segment + "-" + attempt, reads, CapacityLimiter.of(0)) : null) {
            result = folder.exportSegment(exportPlan, table, retrier, counters, segment, tag, new StopSignal());
        }
        if (attempt == 0 && isHooked(FAIL_BEFORE_REPORT_PROPERTY, segment) || isHooked(FAIL_EVERY_ATTEMPT_PROPERTY, segment)) {
            throw new DynamoException(ExitCode.FAILURE, "test hook: attempt " + attempt + " of segment " + segment
                    + " fails after writing its data files");
        }
        accumulators.add(counters);
        if (TaskReport.send(plan.driver(), segment, report(result))) {
            LOG.info("segment {} of {} exported: {} items in {} data files", segment, plan.segments(), result.items(),
                    result.files().size());
        } else {
            // Another attempt's files are in the manifest: this attempt's would be each item a second time.
            for (ExportFolder.StoredFile file : result.files()) {
                folder.deleteDataFile(file.file().name());
            }
            LOG.info("segment {} was recorded by another attempt; this attempt deleted its {} data files", segment,
                    result.files().size());
        }
        if (attempt == 0 && isHooked(FAIL_AFTER_REPORT_PROPERTY, segment)) {
            throw new DynamoException(ExitCode.FAILURE, "test hook: the first attempt of segment " + segment
                    + " fails after its report (" + FAIL_AFTER_REPORT_PROPERTY + ")");
        }
    }

    private static boolean isHooked(String property, int segment) {
        return Integer.toString(segment).equals(System.getProperty(property));
    }

    /**
     * What the driver records for a segment:
     * <pre>
     * {"items":120,"files":[{"name":"data/s00003-1a2b3c4d-a0-00000.json.gz","itemCount":120,"md5Checksum":"...",
     *   "etag":"...","dataFileS3Key":"prefix/AWSDynamoDB/ID/data/...","bytes":5120}]}
     * </pre>
     */
    static ObjectNode report(ExportFolder.SegmentResult result) {
        ObjectNode report = JSON.createObjectNode().put("items", result.items());
        ArrayNode files = report.putArray("files");
        for (ExportFolder.StoredFile stored : result.files()) {
            files.addObject().put("name", stored.file().name()).put("itemCount", stored.file().itemCount())
                    .put("md5Checksum", stored.file().md5()).put("etag", stored.file().etag())
                    .put("dataFileS3Key", stored.file().key()).put("bytes", stored.bytes());
        }
        return report;
    }
}
