package dev.dynamo.transfer;

import static org.apiguardian.api.API.Status.INTERNAL;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dynamo.DynamoException;
import dev.dynamo.ExitCode;
import dev.dynamo.copy.BackupMode;
import dev.dynamo.copy.BatchWriter;
import dev.dynamo.copy.CheckpointLock;
import dev.dynamo.copy.CopyListener;
import dev.dynamo.copy.CopyMode;
import dev.dynamo.copy.DeadLetterFile;
import dev.dynamo.copy.TableBackup;
import dev.dynamo.env.DynamoClientFactory;
import dev.dynamo.env.Environment;
import dev.dynamo.pipeline.Backoff;
import dev.dynamo.pipeline.CapacityLimiter;
import dev.dynamo.pipeline.JobCounters;
import dev.dynamo.pipeline.JobDefaults;
import dev.dynamo.pipeline.JobPhase;
import dev.dynamo.pipeline.PagePipeline;
import dev.dynamo.pipeline.Retrier;
import dev.dynamo.pipeline.SegmentAcks;
import dev.dynamo.pipeline.StopSignal;
import dev.dynamo.pipeline.TableDescriptions;
import dev.dynamo.pipeline.TablePair;
import dev.dynamo.pipeline.TableRef;
import dev.dynamo.store.ExportStore;
import dev.dynamo.table.TableCatalog;
import dev.dynamo.table.TableSchema;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * Imports exports and data files into a table: DynamoDB's own exports (full and incremental, DynamoDB JSON and Ion),
 * dynamo's, and the backup files {@code copy} writes.
 *
 * <p>Nothing is written before every data file is read whole and found right: its MD5 and item count as its manifest
 * says, every line a record ({@link ImportSource#check}). Then, in order: the table is created (with
 * {@linkplain ImportPlan#createTable() create-table}, from dynamo-table.json), backed up (replace mode, a table with
 * items), each source's data files are written by the copy engine's writers ({@link ImportFile}, {@link BatchWriter}:
 * batches, retries, dead letters, the write limit), one source after the other (incremental exports in time order), and
 * in replace mode the table's items the import lacks are deleted, last.
 *
 * <p>With a checkpoint the import records each data file's position (records acknowledged) every second; a resume
 * continues from there. {@link #stop} stops it gracefully from any thread.
 * [API: DescribeTable, CreateTable, UpdateTimeToLive, Scan, BatchWriteItem]
 */
@API(status = INTERNAL, since = "0.1")
public final class ImportJob implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ImportJob.class);
    private static final long SAVE_EVERY_MILLIS = 1000;

    private final Environment environment;
    private final ImportPlan plan;
    private final JobCounters counters;
    private final Retrier retrier;
    private final StopSignal stop = new StopSignal();
    private final DynamoDbClient client;
    private final List<ExportStore> stores = new ArrayList<>();
    private final List<ImportSource> sources = new ArrayList<>();
    private TableDescription table;
    private TableRef target;
    private CheckpointLock lock;
    private ObjectNode resumed;
    private volatile Thread runner;
    /** What the checkpoint holds besides the positions; guarded by {@code this}. */
    private final ObjectNode state = TransferCheckpoint.JSON.createObjectNode();
    private SegmentAcks acks;

    private ImportJob(Environment environment, ImportPlan plan) {
        this.environment = environment;
        this.plan = plan;
        this.counters = new JobCounters(plan.maxWriteUnitsPerSecond() > 0);
        this.retrier = new Retrier(Backoff.create(), plan.maxRetries(), counters);
        this.client = DynamoClientFactory.create(environment, plan.threads() * 2, 0, plan.requestTimeout());
    }

    /**
     * Resolves the sources (reads their manifests), describes the table and checks the plan; writes nothing.
     *
     * @throws DynamoException (usage) for a source that is not an export or data file, an unfinished export, several
     *                         exports under one prefix, incremental exports out of order or in replace mode, a missing
     *                         table without --create-table, keys that differ, a checkpoint of another import
     */
    public static ImportJob prepare(Environment environment, ImportPlan plan) {
        ImportJob job = new ImportJob(environment, plan);
        return TablePair.prepare(job, job::check, job::close, "interrupted while preparing the import");
    }

    private void check() throws InterruptedException {
        if (plan.checkpointFile() != null) {
            lock = TransferCheckpoint.lock(plan.checkpointFile(), "import");
            if (plan.resume()) {
                resumed = TransferCheckpoint.read(plan.checkpointFile(), "import", "import");
                TransferCheckpoint.checkSame(resumed, identity(), plan.checkpointFile(), "import");
            }
        }
        sources.addAll(ImportSources.resolve(plan, environment, stores));
        ImportSources.checkOrder(sources, plan.mode());
        table = TableDescriptions.describe(retrier, client, environment, plan.table());
        ImportTable.check(plan, environment, table, sources);
        if (table != null) {
            target = targetRef(table);
        }
    }

    private TableRef targetRef(TableDescription description) {
        TableSchema schema = TableCatalog.toSchema(description, environment.describe());
        return new TableRef(environment, client, schema, CapacityLimiter.of(plan.maxReadUnitsPerSecond()),
                CapacityLimiter.of(plan.maxWriteUnitsPerSecond()));
    }

    private ObjectNode identity() {
        ObjectNode identity = TransferCheckpoint.JSON.createObjectNode();
        identity.put("table", plan.table());
        identity.put("environment", environment.location());
        ArrayNode list = identity.putArray("sources");
        plan.sources().forEach(list::add);
        identity.put("mode", plan.mode().name());
        return identity;
    }

    /** The default checkpoint of an import: {@code HOME/.dynamo/checkpoints/import-TABLE-HASH.json}. */
    public static Path defaultCheckpoint(Path home, Environment environment, ImportPlan plan) {
        String key = String.join("\n", environment.location(), plan.table(), String.join("\n", plan.sources()), plan.mode().name());
        return home.resolve(".dynamo").resolve("checkpoints").resolve("import-" + plan.table() + "-" + ExportJob.hash(key) + ".json");
    }

    /** What will be imported, one line per source. */
    public List<String> describeSources() {
        return sources.stream().map(ImportSource::description).toList();
    }

    /** Records in every data file, by the manifests (a single file without one counts as unknown: -1). */
    public long expectedRecords() {
        return ImportSources.expectedRecords(sources);
    }

    public String describeTable() {
        return "table '" + plan.table() + "' in " + environment.describe();
    }

    /** The table must be created first. */
    public boolean createsTable() {
        return table == null;
    }

    /** The run will delete items: replace mode, or an incremental export (its deletes). */
    public boolean deletes() {
        return plan.mode() == CopyMode.REPLACE || sources.stream().anyMatch(ImportSource::incremental);
    }

    public JobCounters.Snapshot progress() {
        return counters.snapshot();
    }

    public void stop() {
        stop.request(JobDefaults.STOP_GRACE_MILLIS, () -> runner);
    }

    /**
     * Checks every data file, then imports. Runs once.
     *
     * @throws DynamoException (failure, exit 1) for a damaged data file, before anything is written; (130) when stopped
     */
    public ImportStats run(CopyListener listener) {
        runner = Thread.currentThread();
        counters.markStart();
        long started = System.nanoTime();
        LocalDateTime now = LocalDateTime.now();
        try {
            checkFiles();
            String stage = resumed == null ? "write" : resumed.path("stage").asText("write");
            int firstSource = resumed == null ? 0 : resumed.path("source").asInt(0);
            Path deadLetterPath = plan.deadLetterFile() != null ? plan.deadLetterFile().toAbsolutePath().normalize()
                    : resumed != null && resumed.hasNonNull("deadLetters") ? Path.of(resumed.get("deadLetters").asText())
                    : TableBackup.newFile(plan.backupDirectory(), plan.table(), now).resolveSibling(
                            plan.table() + "-" + now.format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss",
                                    Locale.ROOT)) + ".failed.jsonl");
            boolean created = false;
            Path backup = resumed != null && resumed.hasNonNull("backup") ? Path.of(resumed.get("backup").asText()) : null;
            if (resumed != null) {
                counters.failed.add(resumed.path("failed").asLong());
                counters.written.add(resumed.path("written").asLong());
                counters.deleted.add(resumed.path("deleted").asLong());
                listener.notice("resuming the import: " + stage + " stage, source " + (firstSource + 1) + " of " + sources.size());
            }
            synchronized (this) {
                state.put("stage", stage);
                state.put("source", firstSource);
                state.put("deadLetters", deadLetterPath.toString());
                state.put("backup", backup == null ? null : backup.toString());
            }
            if (table == null) {
                createTable(listener);
                created = true;
            }
            DeadLetterFile deadLetters = deadLetterFile();
            if (resumed == null && plan.mode() == CopyMode.REPLACE && plan.backup() == BackupMode.FILE && !created) {
                backup = TableFileBackup.backUp(target, plan.backupDirectory(), plan.threads(), retrier, counters, stop,
                        listener, now);
                synchronized (this) {
                    state.put("backup", backup == null ? null : backup.toString());
                }
            }
            if (stage.equals("write")) {
                for (int i = firstSource; i < sources.size(); i++) {
                    write(i, resumed != null && i == firstSource ? resumed.get("positions") : null);
                }
                stage = "delete";
            }
            if (plan.mode() == CopyMode.REPLACE) {
                synchronized (this) {
                    state.put("stage", "delete");
                    acks = null;
                }
                save();
                Path workParent = plan.checkpointFile() != null ? plan.checkpointFile().toAbsolutePath().getParent()
                        : Path.of(System.getProperty("java.io.tmpdir"));
                new ExtraItems(target, sources, retrier, counters, deadLetters, stop, plan.threads(), workParent)
                        .delete(listener);
                checkStopped();
            }
            if (plan.checkpointFile() != null) {
                TransferCheckpoint.delete(plan.checkpointFile());
            }
            counters.startPhase(JobPhase.DONE, 0);
            JobCounters.Snapshot done = counters.snapshot();
            int files = sources.stream().mapToInt(s -> s.files().size()).sum();
            return new ImportStats(describeTable(), describeSources(), files, done.written(), done.deleted(), done.failed(),
                    deadLetters.file(), backup, created, done.writeUnits(), (System.nanoTime() - started) / 1_000_000,
                    resumed != null);
        } finally {
            runner = null;
        }
    }

    /** Reads every data file whole, several at once, before anything is written. */
    private void checkFiles() {
        LongAdder checked = new LongAdder();
        counters.startPhase(JobPhase.CHECK_FILES, Math.max(0, expectedRecords()), checked::sum);
        ImportSources.checkFiles(sources, plan.threads(), ImportSources.keyTypes(table), checked);
        LOG.info("checked {} data files: {} records", sources.stream().mapToInt(s -> s.files().size()).sum(), checked.sum());
    }

    private void createTable(CopyListener listener) {
        counters.startPhase(JobPhase.CREATE_TABLE, 0);
        table = ImportTable.create(client, environment, plan, sources, retrier);
        target = targetRef(table);
        listener.notice("created " + target.describe() + " from the definition in " + ImportTable.defining(sources).description());
    }

    private void write(int sourceIndex, JsonNode positions) {
        ImportSource source = sources.get(sourceIndex);
        if (source.files().isEmpty()) {
            // An export of an empty table (or of a selection that matched nothing) has no data files: nothing to write.
            synchronized (this) {
                state.put("source", sourceIndex + 1);
            }
            save();
            return;
        }
        acks = positions == null ? new SegmentAcks(source.files().size())
                : SegmentAcks.resume(TransferCheckpoint.positions(positions, plan.checkpointFile()));
        if (acks.segmentCount() != source.files().size()) {
            throw TransferCheckpoint.damaged(plan.checkpointFile(), "it has " + acks.segmentCount() + " data files, the source "
                    + source.files().size());
        }
        synchronized (this) {
            state.put("source", sourceIndex);
        }
        long expected = source.itemCount() < 0 ? 0 : source.itemCount() - acks.completedItems();
        LongAdder read = new LongAdder();
        long writtenBefore = counters.written.sum() + counters.deleted.sum() + counters.failed.sum();
        counters.startPhase(JobPhase.IMPORT, Math.max(0, expected),
                () -> counters.written.sum() + counters.deleted.sum() + counters.failed.sum() - writtenBefore);
        List<ImportFile> producers = new ArrayList<>();
        for (int i = 0; i < source.files().size(); i++) {
            if (!acks.checkpoint(i).finished()) {
                producers.add(new ImportFile(source, i, acks, Math.min(plan.pageSize(), 1000), read, stop));
            }
        }
        save();
        ScheduledExecutorService saver = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "dynamo-import-checkpoint");
            thread.setDaemon(true);
            return thread;
        });
        saver.scheduleWithFixedDelay(this::saveQuietly, SAVE_EVERY_MILLIS, SAVE_EVERY_MILLIS, TimeUnit.MILLISECONDS);
        SegmentAcks fileAcks = acks;
        try {
            PagePipeline.run("import", producers, plan.threads(), plan.threads(), JobDefaults.readAheadPages(plan.threads()),
                    () -> ImportFile.writers(
                            new BatchWriter(target, BatchWriter.Kind.PUT, retrier, counters, deadLetterFile(), fileAcks, stop),
                            new BatchWriter(target, BatchWriter.Kind.DELETE, retrier, counters, deadLetterFile(), fileAcks, stop)),
                    stop);
        } catch (DynamoException e) {
            if (e.exitCode() == ExitCode.INTERRUPTED) {
                saver.shutdownNow();
                save();
                throw new DynamoException(ExitCode.INTERRUPTED, String.format(Locale.ROOT, "stopped: %,d items written and %,d "
                        + "deleted; %s holds part of the import", counters.written.sum(), counters.deleted.sum(), describeTable())
                        + (plan.checkpointFile() == null ? "" : "; the checkpoint is " + plan.checkpointFile()), e);
            }
            throw e;
        } finally {
            saver.shutdownNow();
        }
        checkStopped();
        long handled = counters.written.sum() + counters.deleted.sum() + counters.failed.sum() - writtenBefore;
        if (!acks.allFinished() || handled != read.sum()) {
            throw new IllegalStateException("import accounting mismatch: " + read.sum() + " records read, " + handled
                    + " written, deleted or dead-lettered, every file acknowledged: " + acks.allFinished());
        }
        synchronized (this) {
            state.put("source", sourceIndex + 1);
            acks = null;
        }
        save();
    }

    private void checkStopped() {
        if (stop.requested()) {
            save();
            throw new DynamoException(ExitCode.INTERRUPTED, "stopped between two steps of the import"
                    + (plan.checkpointFile() == null ? "" : "; the checkpoint is " + plan.checkpointFile()));
        }
    }

    private DeadLetterFile deadLetterFile;

    private synchronized DeadLetterFile deadLetterFile() {
        if (deadLetterFile == null) {
            deadLetterFile = new DeadLetterFile(Path.of(state.get("deadLetters").asText()), target.keys().names());
        }
        return deadLetterFile;
    }

    private void saveQuietly() {
        try {
            save();
        } catch (RuntimeException e) {
            LOG.warn("cannot save the checkpoint: {}", e.getMessage());
        }
    }

    private synchronized void save() {
        if (plan.checkpointFile() == null) {
            return;
        }
        ObjectNode root = TransferCheckpoint.begin("import");
        root.setAll(identity());
        root.setAll(state);
        root.put("written", counters.written.sum());
        root.put("deleted", counters.deleted.sum());
        root.put("failed", counters.failed.sum());
        if (acks != null) {
            root.set("positions", TransferCheckpoint.positions(acks.checkpoints()));
        }
        TransferCheckpoint.save(plan.checkpointFile(), root);
    }

    @Override
    public void close() {
        try {
            client.close();
        } finally {
            for (ExportStore store : stores) {
                store.close();
            }
            if (deadLetterFile != null) {
                deadLetterFile.close();
            }
            if (lock != null) {
                lock.close();
            }
        }
    }
}
