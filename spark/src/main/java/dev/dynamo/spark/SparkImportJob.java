package dev.dynamo.spark;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dynamo.DynamoException;
import dev.dynamo.copy.CopyCheckpoint;
import dev.dynamo.copy.CopyMode;
import dev.dynamo.env.DynamoClientFactory;
import dev.dynamo.env.Environment;
import dev.dynamo.env.EnvironmentResolver;
import dev.dynamo.pipeline.Backoff;
import dev.dynamo.pipeline.JobCounters;
import dev.dynamo.pipeline.Retrier;
import dev.dynamo.pipeline.TableDescriptions;
import dev.dynamo.transfer.ImportFiles;
import dev.dynamo.transfer.ImportPlan;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.spark.api.java.JavaSparkContext;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * An import on Spark, run by the driver: resolves the sources and checks the table as {@code dynamo import} does
 * (manifests, sources in time order, the table's key, --create-table), then runs two kinds of Spark job whose tasks are
 * the export's data files, one task each:
 * <ol>
 * <li>the check ({@link DataFileCheckTask}): every data file read whole, its MD5 and record count against its
 * manifest, before anything is written; a damaged file stops the import with nothing written;</li>
 * <li>the writes ({@link DataFileImportTask}), one job per source, in order (incremental exports are applied one after
 * the other); each task writes its file and reports its counts, which the driver records in the checkpoint.</li>
 * </ol>
 * The table is created (--create-table) between the two. A resumed import checks and writes only the files the
 * checkpoint does not hold. The summary's totals are the checkpoint's, checked against the manifests: each recorded
 * file's records written, deleted or dead-lettered.
 */
final class SparkImportJob {
    private final SparkStarter starter;
    private final SparkImportPlan plan;
    private final EnvironmentResolver resolver;
    private final PrintWriter out;
    private final PrintWriter err;
    private final long progressMillis;

    /** @param starter the Spark context, starting; the job checks the sources and the table first, then waits for it */
    SparkImportJob(SparkStarter starter, SparkImportPlan plan, EnvironmentResolver resolver, PrintWriter out, PrintWriter err,
            long progressMillis) {
        this.starter = starter;
        this.plan = plan;
        this.resolver = resolver;
        this.out = out;
        this.err = err;
        this.progressMillis = progressMillis;
    }

    /** Runs the import; with --dry-run only says what it would import (on stdout) and returns null. */
    SparkImportStats run() throws InterruptedException {
        Environment environment = resolver.resolve(plan.environment());
        environment.checkWritable(plan.allowProtectedTarget());
        ImportPlan sources = ImportPlan.builder(plan.table(), plan.sources(), resolver.home().resolve(".dynamo").resolve("backups"))
                .mode(plan.mode()).createTable(plan.createTable()).s3(plan.s3().toSettings()).build();
        Retrier retrier = new Retrier(Backoff.create(), plan.maxRetries(), new JobCounters(false));
        String tableText = "table '" + plan.table() + "' in " + environment.describe();
        try (ImportFiles files = ImportFiles.resolve(sources, environment);
                DynamoDbClient client = DynamoClientFactory.create(environment, 2, 0, Duration.ofMillis(plan.requestTimeoutMillis()))) {
            TableDescription table = TableDescriptions.describe(retrier, client, environment, plan.table());
            files.checkTable(table);
            if (plan.dryRun()) {
                dryRun(files, tableText, table == null);
                return null;
            }
            if (table != null && plan.mode() == CopyMode.REPLACE && !plan.resume() && hasItems(client, retrier)) {
                throw DynamoException.usage("--mode replace on Spark (deleting the items the import lacks) is not built yet, and "
                        + tableText + " has items; import with --mode merge (puts every item, deletes nothing but an incremental "
                        + "export's deletes), or replace with the dynamo command line; nothing was written");
            }
            Map<String, String> identity = identity(environment);
            List<ImportFiles.DataFile> all = files.files();
            SortedSet<Integer> finished = new TreeSet<>();
            SparkCheckpoint checkpoint = plan.checkpoint() != null
                    ? new SparkCheckpoint(SparkCheckpoint.isS3(plan.checkpoint()) ? plan.checkpoint()
                            : Path.of(plan.checkpoint()).toAbsolutePath().normalize().toString(), environment, plan.s3().toSettings(), resolver)
                    : new SparkCheckpoint(JobPlaces.defaultCheckpoint(resolver.home(), "import-"
                            + CopyCheckpoint.shortened(plan.table()), identity));
            // The lock first, then the store: closed in the other order, the lock while the store is open.
            try (SparkCheckpoint closing = checkpoint; SparkCheckpoint.Lock lock = checkpoint.lock()) {
                if (plan.resume()) {
                    int recorded = checkpoint.resume("import", identity);
                    if (recorded != all.size()) {
                        throw DynamoException.usage("the checkpoint in " + checkpoint.describe() + " is of an import of " + recorded
                                + " data files, the sources now list " + all.size() + "; run without --resume to start the import anew");
                    }
                    finished.addAll(checkpoint.finished());
                }
                return new Run(files, all, finished, checkpoint, environment, client, retrier, table, tableText).run();
            }
        }
    }

    /** One run's Spark jobs: the check, then the writes, source after source. */
    private final class Run {
        private final ImportFiles files;
        private final List<ImportFiles.DataFile> all;
        private final SortedSet<Integer> finished;
        private final SparkCheckpoint checkpoint;
        private final Environment environment;
        private final DynamoDbClient client;
        private final Retrier retrier;
        private final TableDescription table;
        private final String tableText;

        Run(ImportFiles files, List<ImportFiles.DataFile> all, SortedSet<Integer> finished, SparkCheckpoint checkpoint,
                Environment environment, DynamoDbClient client, Retrier retrier, TableDescription table, String tableText) {
            this.files = files;
            this.all = all;
            this.finished = finished;
            this.checkpoint = checkpoint;
            this.environment = environment;
            this.client = client;
            this.retrier = retrier;
            this.table = table;
            this.tableText = tableText;
        }

        SparkImportStats run() throws InterruptedException {
            JavaSparkContext spark = starter.await();
            long startNanos = System.nanoTime();
            List<ImportFiles.DataFile> remaining = all.stream().filter(file -> !finished.contains(file.number())).toList();
            if (plan.resume()) {
                err.printf(Locale.ROOT, "dynamo: resuming the import into %s: %,d of %,d data files finished, %,d to import "
                        + "(checkpoint %s)%n", tableText, finished.size(), all.size(), remaining.size(), checkpoint.describe());
            }
            String jobId = "import-" + UUID.randomUUID().toString().substring(0, 8);
            Path deadLetters = (plan.deadLetterDirectory() != null ? plan.deadLetterDirectory()
                    : resolver.home().resolve(".dynamo").resolve("dead-letters")).toAbsolutePath().normalize();
            ImportAccumulators counts = new ImportAccumulators(spark);
            boolean created = false;
            try (DriverService driver = DriverService.start(JobPlaces.driverHost(spark), 0, plan.maxWriteUnits(), checkpoint::finish)) {
                ImportTaskPlan tasks = ImportTaskPlan.builder().jobId(jobId).environment(EnvironmentDescription.of(environment))
                        .table(plan.table()).s3(plan.s3()).files(all.size())
                        .keyTypes(table == null ? null : new LinkedHashMap<>(ImportFiles.keyTypes(table))).pageSize(plan.pageSize())
                        .writers(plan.writers()).maxRetries(plan.maxRetries()).requestTimeoutMillis(plan.requestTimeoutMillis())
                        .maxWriteUnits(plan.maxWriteUnits()).slots(Math.max(1, spark.defaultParallelism())).driver(driver.address())
                        .deadLetterDirectory(deadLetters.toString()).build();
                check(spark, jobId, remaining, tasks);
                if (!plan.resume()) {
                    checkpoint.begin("import", identity(environment), all.size());
                }
                if (table == null) {
                    files.createTable(client, retrier);
                    created = true;
                    err.println("dynamo: created " + tableText + " from the definition in " + files.definingSource());
                }
                write(spark, jobId, remaining, tasks, counts);
            }
            SparkImportStats.Totals totals = totals();
            SparkImportStats stats = SparkImportStats.builder().table(tableText).sources(files.describeSources()).files(all.size())
                    .filesSkipped(finished.size()).tableCreated(created).records(counts.read.value()).written(totals.written())
                    .deleted(totals.deleted()).failed(totals.failed()).retried(counts.retried.value()).throttled(counts.throttled.value())
                    .writeUnits(counts.writeUnits.value()).writeUnitsMeasured(plan.maxWriteUnits() > 0)
                    .elapsed(Duration.ofNanos(System.nanoTime() - startNanos)).deadLetterDirectory(deadLetters).resumed(plan.resume())
                    .build();
            checkpoint.delete(); // every data file recorded: its records are written or dead-lettered
            return stats;
        }

        /** The check before the writes: every data file not recorded yet, read whole on the executors. */
        private void check(JavaSparkContext spark, String jobId, List<ImportFiles.DataFile> remaining, ImportTaskPlan tasks) {
            if (remaining.isEmpty()) {
                return;
            }
            spark.setJobGroup(jobId + "-check", "dynamo import: checking " + remaining.size() + " data files", true);
            try {
                spark.parallelize(remaining, remaining.size()).foreachPartition(new DataFileCheckTask(tasks));
            } catch (DynamoException e) {
                throw e;
            } catch (Exception e) { // Spark's SparkException, which Scala throws undeclared
                throw new JobFailure(null, "the check of the data files", "the check of the data files", "; nothing was written").of(e);
            } finally {
                spark.clearJobGroup();
            }
        }

        /** The writes: one Spark job per source, in order, its data files one task each. */
        private void write(JavaSparkContext spark, String jobId, List<ImportFiles.DataFile> remaining, ImportTaskPlan tasks,
                ImportAccumulators counts) {
            try (ProgressLine progress = ProgressLine.importing(err, counts, all.size(), finished.size(), progressMillis)) {
                for (int source = 0; source < files.sourceCount(); source++) {
                    int of = source;
                    List<ImportFiles.DataFile> these = remaining.stream().filter(file -> file.source() == of).toList();
                    if (these.isEmpty()) {
                        continue;
                    }
                    spark.setJobGroup(jobId, "dynamo import into " + plan.table() + ": source " + (source + 1) + " of "
                            + files.sourceCount(), true);
                    try {
                        spark.parallelize(these, these.size()).foreachPartition(new DataFileImportTask(tasks, counts));
                    } finally {
                        spark.clearJobGroup();
                    }
                }
            } catch (DynamoException e) {
                throw e;
            } catch (Exception e) {
                throw JobFailure.resumable("data-file", "the import", "data files", checkpoint).of(e);
            }
        }

        /**
         * The whole import's counts from the checkpoint, every file's result checked first: recorded, and its records
         * (as many as its manifest lists) all written, deleted or dead-lettered.
         */
        private SparkImportStats.Totals totals() {
            SortedMap<Integer, JsonNode> results = checkpoint.results();
            long written = 0;
            long deleted = 0;
            long failed = 0;
            for (ImportFiles.DataFile file : all) {
                JsonNode result = results.get(file.number());
                if (result == null) {
                    throw DynamoException.failure("every task ended, but " + file.location() + " is not recorded in the checkpoint "
                            + checkpoint.describe() + "; add --resume to import it", null);
                }
                long records = result.path("records").asLong(-1);
                long handled = result.path("written").asLong() + result.path("deleted").asLong() + result.path("failed").asLong();
                if (records < 0 || handled != records || file.itemCount() >= 0 && records != file.itemCount()) {
                    throw DynamoException.failure(file.location() + " is recorded with " + result + ", which does not add up to the "
                            + file.itemCount() + " records its manifest lists; run the import again without --resume", null);
                }
                written += result.path("written").asLong();
                deleted += result.path("deleted").asLong();
                failed += result.path("failed").asLong();
            }
            return new SparkImportStats.Totals(written, deleted, failed);
        }
    }

    private void dryRun(ImportFiles files, String tableText, boolean createsTable) {
        long records = files.expectedRecords();
        // Import into table 'Orders' in 'dev' (us-east-1), merge mode, on Spark: 1,000 records from:
        out.println(String.format(Locale.ROOT, "Import into %s%s, %s mode, on Spark: %s records from:", tableText,
                createsTable ? " (created first)" : "", plan.mode().name().toLowerCase(Locale.ROOT),
                records < 0 ? "an unknown number of" : String.format(Locale.ROOT, "%,d", records)));
        files.describeSources().forEach(source -> out.println("  " + source));
        out.println("Nothing was written (the data files are checked against their manifests when the import runs).");
        out.flush();
    }

    private boolean hasItems(DynamoDbClient client, Retrier retrier) throws InterruptedException {
        ScanRequest one = ScanRequest.builder().tableName(plan.table()).limit(1).build();
        return !retrier.call(() -> client.scan(one)).items().isEmpty();
    }

    private Map<String, String> identity(Environment environment) {
        Map<String, String> identity = new LinkedHashMap<>();
        identity.put("environment", environment.location());
        identity.put("table", plan.table());
        identity.put("sources", String.join("\n", plan.sources()));
        identity.put("mode", plan.mode().name().toLowerCase(Locale.ROOT));
        return identity;
    }
}
