package dev.dynamo.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dynamo.DynamoException;
import dev.dynamo.ExitCode;
import dev.dynamo.copy.DeadLetterFile;
import dev.dynamo.env.DynamoClientFactory;
import dev.dynamo.env.Environment;
import dev.dynamo.pipeline.Backoff;
import dev.dynamo.pipeline.CapacityLimiter;
import dev.dynamo.pipeline.JobCounters;
import dev.dynamo.pipeline.PagePipeline;
import dev.dynamo.pipeline.Retrier;
import dev.dynamo.pipeline.StopSignal;
import dev.dynamo.pipeline.TableDescriptions;
import dev.dynamo.pipeline.TableRef;
import dev.dynamo.store.ExportStore;
import dev.dynamo.table.TableCatalog;
import dev.dynamo.transfer.ImportFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.VoidFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * One Spark task of an import: writes one data file (its partition holds one, as the driver divides the work) with the
 * core engine's import writers ({@link ImportFiles.DataFile#write}: batches of 25, retries with backoff, the write
 * limiter at the task's share of --max-wcu, dead letters), reading the file with a store client of its own and writing
 * with a DynamoDB client of its own, both closed at its end.
 *
 * <p>Idempotent: an attempt only puts the file's items (and deletes an incremental export's keys), so a retried attempt
 * after a failure part way writes the same again and the table ends the same. Items that cannot be written go to the
 * file's dead-letter file ({@code DIR/JOB-file-000012.failed.jsonl}), which an attempt starts anew. The task fails
 * (and Spark retries it) unless every record was written, deleted or dead-lettered and the file held the records its
 * manifest lists; then it reports its counts to the driver ({@link TaskReport}), which records the file in the
 * checkpoint before the task ends.
 */
final class DataFileImportTask implements VoidFunction<Iterator<ImportFiles.DataFile>> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DataFileImportTask.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * A test hook: the data file (its number) whose first attempt fails after its first page is written ({@code -D} on
     * the JVM that runs the task, which for a local master is the driver's).
     */
    static final String FAIL_FIRST_ATTEMPT_PROPERTY = "dynamo.spark.test.failFirstAttemptOfFile";
    /** A test hook: the data file whose every attempt fails after its first page, so that the job fails. */
    static final String FAIL_EVERY_ATTEMPT_PROPERTY = "dynamo.spark.test.failEveryAttemptOfFile";

    private final ImportTaskPlan plan;
    private final ImportAccumulators accumulators;

    DataFileImportTask(ImportTaskPlan plan, ImportAccumulators accumulators) {
        this.plan = plan;
        this.accumulators = accumulators;
    }

    /** The dead-letter file of one data file. */
    static Path deadLetterFile(Path directory, String jobId, int file) {
        return directory.resolve(String.format(Locale.ROOT, "%s-file-%06d.failed.jsonl", jobId, file));
    }

    @Override
    public void call(Iterator<ImportFiles.DataFile> files) throws Exception {
        if (!files.hasNext()) {
            return;
        }
        Environment environment = plan.environment().resolve();
        try (DynamoDbClient client = DynamoClientFactory.create(environment, plan.writers() + 1, 0,
                Duration.ofMillis(plan.requestTimeoutMillis()))) {
            while (files.hasNext()) {
                ImportFiles.DataFile file = files.next();
                try (ExportStore store = ExportStore.open(file.store(), environment, plan.s3().toSettings())) {
                    write(environment, client, store, file);
                }
            }
        }
    }

    private void write(Environment environment, DynamoDbClient client, ExportStore store, ImportFiles.DataFile file)
            throws InterruptedException {
        JobCounters counters = new JobCounters(plan.maxWriteUnits() > 0);
        counters.markStart();
        Retrier retrier = new Retrier(Backoff.create(), plan.maxRetries(), counters);
        TableDescription table = TableDescriptions.describe(retrier, client, environment, plan.table());
        if (table == null) {
            throw DynamoException.failure("table '" + plan.table() + "' not found in " + environment.describe() + " by the task of "
                    + file.location(), null);
        }
        CapacityLimiter writes = CapacityLimiter.of(plan.safeShare(plan.maxWriteUnits()));
        TableRef target = new TableRef(environment, client, TableCatalog.toSchema(table, environment.describe()), CapacityLimiter.of(0),
                writes);
        Path deadLetterPath = deadLetterFile(Path.of(plan.deadLetterDirectory()), plan.jobId(), file.number());
        try {
            Files.deleteIfExists(deadLetterPath); // an earlier attempt's: this attempt writes every record again
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove an earlier attempt's dead-letter file " + deadLetterPath, e);
        }
        TaskContext task = TaskContext.get();
        String number = Integer.toString(file.number());
        boolean fail = number.equals(System.getProperty(FAIL_EVERY_ATTEMPT_PROPERTY))
                || task != null && task.attemptNumber() == 0 && number.equals(System.getProperty(FAIL_FIRST_ATTEMPT_PROPERTY));
        String lease = plan.jobId() + "-" + file.number() + "-" + (task == null ? 0 : task.taskAttemptId());
        long records;
        try (DeadLetterFile deadLetters = new DeadLetterFile(deadLetterPath, target.keys().names());
                RateLease ignored = plan.maxWriteUnits() > 0 ? RateLease.take(plan.driver(), lease, CapacityLimiter.of(0), writes) : null) {
            records = file.write(store, target, retrier, counters, deadLetters, plan.writers(), plan.pageSize(), new StopSignal(),
                    fail ? failingAfterFirstPage(file) : UnaryOperator.identity());
        }
        LOG.info("data file {} imported: {} records, {} failed", file.location(), records, counters.failed.sum());
        accumulators.add(records, counters);
        ObjectNode result = JSON.createObjectNode().put("records", records).put("written", counters.written.sum())
                .put("deleted", counters.deleted.sum()).put("failed", counters.failed.sum());
        if (!TaskReport.send(plan.driver(), file.number(), result)) {
            LOG.info("data file {} was recorded by another attempt; this one wrote the same items", file.location());
        }
    }

    /** The test hooks' writer: writes one page, then fails the task as a lost executor would. */
    private static UnaryOperator<PagePipeline.PageConsumer> failingAfterFirstPage(ImportFiles.DataFile file) {
        return writer -> page -> {
            writer.consume(page);
            throw new DynamoException(ExitCode.FAILURE, "test hook: an attempt of " + file.location() + " fails after its first page");
        };
    }
}
