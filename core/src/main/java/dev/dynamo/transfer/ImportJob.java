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
import dev.dynamo.copy.TableCreator;
import dev.dynamo.env.DynamoClientFactory;
import dev.dynamo.env.Environment;
import dev.dynamo.items.ExportManifest;
import dev.dynamo.items.ItemFileWriter;
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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;

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
    /** An export's own folder: {@code PREFIX/AWSDynamoDB/ID}, with or without a slash at the end. */
    private static final java.util.regex.Pattern EXPORT_FOLDER = java.util.regex.Pattern.compile("(.*?)/?AWSDynamoDB/([^/]+)/?");

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
        for (String location : plan.sources()) {
            String file = ImportSource.singleFileName(location).orElse(null);
            java.util.regex.Matcher exportFolder = EXPORT_FOLDER.matcher(location);
            if (file == null && exportFolder.matches()) {
                // An export's own folder: its data files may lie beside it (incremental exports share AWSDynamoDB/data/).
                String root = exportFolder.group(1);
                ExportStore store = ExportStore.open(root.isEmpty() ? "." : root, environment, plan.s3());
                stores.add(store);
                sources.add(ImportSource.export(store, exportFolder.group(2)));
                continue;
            }
            String root = file == null ? location : location.substring(0, location.length() - file.length());
            ExportStore store = ExportStore.open(root.isEmpty() ? "." : root, environment, plan.s3());
            stores.add(store);
            sources.add(ImportSource.resolve(store, file));
        }
        String previousTime = null;
        for (ImportSource source : sources) {
            if (source.incremental() && plan.mode() == CopyMode.REPLACE) {
                throw DynamoException.usage("an incremental export holds changes, not a table: apply it with --mode merge ("
                        + "its deletes are applied too), not replace");
            }
            String time = source.summary() == null ? null : source.summary().exportTime();
            if (time != null && previousTime != null && time.compareTo(previousTime) < 0) {
                throw DynamoException.usage("the exports are not in time order: " + source.description() + " is from " + time
                        + ", before the one named before it (" + previousTime + "); give --from oldest first");
            }
            previousTime = time != null ? time : previousTime;
        }
        table = TableDescriptions.describe(retrier, client, environment, plan.table());
        ImportSource defining = sources.stream().filter(s -> s.definition() != null).findFirst().orElse(null);
        if (table == null && !plan.createTable()) {
            throw DynamoException.usage("table '" + plan.table() + "' not found in " + environment.describe() + "; add "
                    + "--create-table to create it from the export's definition, or create it first");
        }
        if (table == null && defining == null) {
            throw DynamoException.usage("table '" + plan.table() + "' not found in " + environment.describe() + ", and "
                    + "--create-table needs the table's definition, which only exports written by dynamo carry "
                    + "(dynamo-table.json); create the table first");
        }
        if (table == null) {
            TableCreator.request(defining.definition().table(), plan.table(), plan.billing()); // fails now on a bad billing mode
        } else {
            if (defining != null && !sameKeys(table.keySchema(), defining.definition().table().keySchema())) {
                throw DynamoException.usage("table '" + plan.table() + "' in " + environment.describe() + " has the key "
                        + keys(table.keySchema()) + ", the exported table had " + keys(defining.definition().table().keySchema())
                        + ", so no item could be written; import into a table with the same key");
            }
            target = targetRef(table);
        }
    }

    private static boolean sameKeys(List<KeySchemaElement> a, List<KeySchemaElement> b) {
        return keys(a).equals(keys(b));
    }

    private static String keys(List<KeySchemaElement> keys) {
        List<String> names = new ArrayList<>();
        keys.forEach(key -> names.add(key.attributeName() + " (" + key.keyTypeAsString() + ")"));
        return String.join(", ", names);
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
        long total = 0;
        for (ImportSource source : sources) {
            for (ExportManifest.DataFile file : source.files()) {
                if (file.itemCount() < 0) {
                    return -1;
                }
                total += file.itemCount();
            }
        }
        return total;
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

    /** True once a checkpoint was written that a resume can continue from. */
    public boolean resumable() {
        return plan.checkpointFile() != null && java.nio.file.Files.exists(plan.checkpointFile());
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
            {
                if (resumed == null && plan.mode() == CopyMode.REPLACE && plan.backup() == BackupMode.FILE && !created) {
                    backup = backUp(listener, now);
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
                    ExtraItems extras = new ExtraItems(target, sources, retrier, counters, deadLetters, stop, plan.threads(), workParent);
                    try {
                        extras.delete();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new DynamoException(ExitCode.INTERRUPTED, "interrupted while deleting the table's extra items", e);
                    }
                    if (extras.notMatching() > 0) {
                        listener.notice(String.format(Locale.ROOT, "%,d items of the import are missing from %s or differ there "
                                + "after the writes (dead-lettered, or written by someone else meanwhile)", extras.notMatching(),
                                describeTable()));
                    }
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
            }
        } finally {
            runner = null;
        }
    }

    /** Reads every data file whole, several at once, before anything is written. */
    private void checkFiles() {
        LongAdder checked = new LongAdder();
        long expected = Math.max(0, expectedRecords());
        counters.startPhase(JobPhase.CHECK_FILES, expected, checked::sum);
        java.util.Map<String, String> keyTypes = keyTypes(table);
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(plan.threads(), 8)), runnable -> {
            Thread thread = new Thread(runnable, "dynamo-import-check");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<Long>> checks = new ArrayList<>();
            for (ImportSource source : sources) {
                for (ExportManifest.DataFile file : source.files()) {
                    checks.add(pool.submit(() -> source.check(file, checked, keyTypes)));
                }
            }
            for (Future<Long> check : checks) {
                try {
                    check.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException runtime) {
                        throw runtime;
                    }
                    throw new IllegalStateException(e.getCause());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DynamoException(ExitCode.INTERRUPTED, "interrupted while checking the data files; nothing was written", e);
        } finally {
            pool.shutdownNow();
        }
        LOG.info("checked {} data files: {} records", sources.stream().mapToInt(s -> s.files().size()).sum(), checked.sum());
    }

    /** The table's key attributes and their types (S, N, B); null for a table the import creates from the export's definition. */
    private static java.util.Map<String, String> keyTypes(TableDescription description) {
        if (description == null) {
            return null;
        }
        java.util.Map<String, String> types = new java.util.LinkedHashMap<>();
        for (KeySchemaElement key : description.keySchema()) {
            description.attributeDefinitions().stream().filter(d -> d.attributeName().equals(key.attributeName())).findFirst()
                    .ifPresent(d -> types.put(key.attributeName(), d.attributeTypeAsString()));
        }
        return types;
    }

    private void createTable(CopyListener listener) {
        ImportSource defining = sources.stream().filter(s -> s.definition() != null).findFirst().orElseThrow();
        counters.startPhase(JobPhase.CREATE_TABLE, 0);
        String ttl = defining.definition().timeToLiveAttribute();
        TimeToLiveDescription ttlDescription = ttl == null ? null
                : TimeToLiveDescription.builder().attributeName(ttl).timeToLiveStatus("ENABLED").build();
        try {
            table = TableCreator.create(client, environment, TableCreator.request(defining.definition().table(), plan.table(),
                    plan.billing()), ttlDescription, retrier);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DynamoException(ExitCode.INTERRUPTED, "interrupted while creating the table", e);
        }
        target = targetRef(table);
        listener.notice("created " + target.describe() + " from the definition in " + defining.description());
    }

    /** Backs up a table that has items, to a new file; returns it, or null for an empty table. */
    private Path backUp(CopyListener listener, LocalDateTime now) {
        counters.startPhase(JobPhase.BACKUP, target.schema().itemCount());
        Path file = TableBackup.newFile(plan.backupDirectory(), plan.table(), now);
        try (ItemFileWriter writer = ItemFileWriter.create(file, target.keys().names())) {
            boolean any = ExtraItems.scanAll(target, retrier, counters, stop, plan.threads(), page -> {
                page.forEach(writer::write);
                counters.backedUp.add(page.size());
            });
            checkStopped();
            if (!any) {
                writer.close();
                java.nio.file.Files.deleteIfExists(file.resolveSibling(file.getFileName() + ItemFileWriter.PARTIAL_SUFFIX));
                return null;
            }
            Path done = writer.commit();
            listener.notice(String.format(Locale.ROOT, "backed up %s to %s (%,d items)", target.describe(), done, writer.count()));
            return done;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
                    () -> new Writers(fileAcks), stop);
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

    /** Puts go to one writer, a page of deletes to the other; both acknowledge to the file's acks. */
    private final class Writers implements PagePipeline.PageConsumer {
        private final BatchWriter puts;
        private final BatchWriter deletes;

        Writers(SegmentAcks fileAcks) {
            this.puts = new BatchWriter(target, BatchWriter.Kind.PUT, retrier, counters, deadLetterFile(), fileAcks, stop);
            this.deletes = new BatchWriter(target, BatchWriter.Kind.DELETE, retrier, counters, deadLetterFile(), fileAcks, stop);
        }

        @Override
        public void consume(dev.dynamo.pipeline.Page page) throws InterruptedException {
            (page.items() instanceof ImportFile.DeleteKeys ? deletes : puts).consume(page);
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
