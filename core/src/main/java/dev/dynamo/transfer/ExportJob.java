package dev.dynamo.transfer;

import static org.apiguardian.api.API.Status.INTERNAL;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dynamo.DynamoException;
import dev.dynamo.ExitCode;
import dev.dynamo.copy.CheckpointLock;
import dev.dynamo.copy.TableCreator;
import dev.dynamo.env.DynamoClientFactory;
import dev.dynamo.env.Environment;
import dev.dynamo.items.ExportManifest;
import dev.dynamo.pipeline.Backoff;
import dev.dynamo.pipeline.CapacityLimiter;
import dev.dynamo.pipeline.Estimates;
import dev.dynamo.pipeline.JobCounters;
import dev.dynamo.pipeline.JobDefaults;
import dev.dynamo.pipeline.JobPhase;
import dev.dynamo.pipeline.PagePipeline;
import dev.dynamo.pipeline.Retrier;
import dev.dynamo.pipeline.SegmentAcks;
import dev.dynamo.pipeline.SelectionQuery;
import dev.dynamo.pipeline.StopSignal;
import dev.dynamo.pipeline.TableDescriptions;
import dev.dynamo.pipeline.TablePair;
import dev.dynamo.pipeline.TableReads;
import dev.dynamo.pipeline.TableRef;
import dev.dynamo.query.QueryRunner;
import dev.dynamo.store.ExportStore;
import dev.dynamo.table.IndexSchema;
import dev.dynamo.table.TableCatalog;
import dev.dynamo.table.TableSchema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;

/**
 * Exports a table, or the items a query selects, to a local folder or S3 in the layout of DynamoDB's export to S3
 * ({@link ExportManifest}): {@code _started} and dynamo-table.json first, then the data files, written by a parallel
 * segmented scan (each segment its own files, {@link ExportSegment}), then manifest-files.json and, last,
 * manifest-summary.json: a folder without a summary is visibly incomplete.
 *
 * <p>With a checkpoint file the export records each committed data file and where its segment stands; a plan with
 * {@linkplain ExportPlan#resume() resume} continues the same export (same id and folder), keeping every committed data
 * file and reading the rest again. {@link #stop} stops it gracefully from any thread. Not thread-safe otherwise.
 * [API: DescribeTable, DescribeTimeToLive, Scan, Query, BatchGetItem]
 */
@API(status = INTERNAL, since = "0.1")
public final class ExportJob implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExportJob.class);

    private final Environment environment;
    private final ExportPlan plan;
    private final JobCounters counters = new JobCounters(false);
    private final Retrier retrier;
    private final StopSignal stop = new StopSignal();
    private final DynamoDbClient client;
    private TableDescription description;
    private TableRef table;
    private ExportStore store;
    private CheckpointLock lock;
    private ObjectNode resumed;
    private int segments;
    private volatile Thread runner;

    private ExportJob(Environment environment, ExportPlan plan) {
        this.environment = environment;
        this.plan = plan;
        this.retrier = new Retrier(Backoff.create(), plan.maxRetries(), counters);
        this.client = DynamoClientFactory.create(environment, plan.threads(), 0, plan.requestTimeout());
    }

    /**
     * Describes the table, checks the plan and the destination, and with a checkpoint takes its lock; writes nothing.
     *
     * @throws DynamoException (usage) for a missing table or index, a selection that does not fit, a checkpoint of another
     *                         export or held by another run, a destination that cannot be opened
     */
    public static ExportJob prepare(Environment environment, ExportPlan plan) {
        ExportJob job = new ExportJob(environment, plan);
        return TablePair.prepare(job, job::check, job::close, "interrupted while preparing the export");
    }

    private void check() throws InterruptedException {
        description = TableDescriptions.describe(retrier, client, environment, plan.sourceTable());
        if (description == null) {
            throw DynamoException.usage("table '" + plan.sourceTable() + "' not found in " + environment.describe()
                    + "; list the tables there with: dynamo tables -e " + environment.name());
        }
        TableSchema schema = TableCatalog.toSchema(description, environment.describe());
        table = new TableRef(environment, client, schema, CapacityLimiter.of(plan.maxReadUnitsPerSecond()), CapacityLimiter.of(0));
        if (plan.selection() != null) {
            new QueryRunner(client, environment, schema).request(plan.selection(), false); // checks index, key types, conditions
        }
        if (plan.checkpointFile() != null) {
            lock = TransferCheckpoint.lock(plan.checkpointFile(), "export");
            if (plan.resume()) {
                resumed = TransferCheckpoint.read(plan.checkpointFile(), "export", "export");
                TransferCheckpoint.checkSame(resumed, identity(), plan.checkpointFile(), "export");
            }
        }
        segments = resumed != null ? resumed.path("positions").size()
                : plan.selection() != null ? 1 : plan.read().segmentsOf(schema);
        store = ExportStore.open(plan.destination(), environment, plan.s3());
        if (resumed != null && store.stat(ExportManifest.folder(resumed.get("exportId").asText()) + ExportManifest.STARTED).isEmpty()) {
            throw DynamoException.usage("the export to resume is not at " + store.locationOf(ExportManifest.folder(
                    resumed.get("exportId").asText())) + " (its _started is gone); run without --resume to start anew");
        }
    }

    /** What makes two exports the same one: a resume must match it. */
    private ObjectNode identity() {
        ObjectNode identity = TransferCheckpoint.JSON.createObjectNode();
        identity.put("table", plan.sourceTable());
        identity.put("environment", environment.location());
        identity.put("destination", plan.destination());
        identity.put("format", plan.format().awsName());
        identity.put("selection", plan.selection() == null ? null : plan.selection().toString());
        return identity;
    }

    /** The default checkpoint of an export: {@code HOME/.dynamo/checkpoints/export-TABLE-HASH.json}. */
    public static Path defaultCheckpoint(Path home, Environment environment, ExportPlan plan) {
        String key = String.join("\n", environment.location(), plan.sourceTable(), plan.destination(), plan.format().awsName(),
                String.valueOf(plan.selection()));
        return home.resolve(".dynamo").resolve("checkpoints").resolve("export-" + plan.sourceTable() + "-" + hash(key) + ".json");
    }

    static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 5);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /** The table, as {@code table 'Orders' in 'prod' (eu-west-1)}. */
    public String describeTable() {
        return table.describe();
    }

    /** The table's schema, as described. */
    public TableSchema schema() {
        return table.schema();
    }

    /** The destination, as a user would write it. */
    public String destination() {
        return store.describe();
    }

    /** The scan segments the export reads (1 for a selection). */
    public int segments() {
        return segments;
    }

    /** The read units a whole-table export will consume, at most, estimated from DynamoDB's table size. */
    public double estimatedReadUnits() {
        return Estimates.scanUnits(table.schema().sizeBytes(), plan.consistent());
    }

    public JobCounters.Snapshot progress() {
        return counters.snapshot();
    }

    /** Stops a running export gracefully: no new pages; committed files stay; the checkpoint is saved. */
    public void stop() {
        stop.request(JobDefaults.STOP_GRACE_MILLIS, () -> runner);
    }

    /**
     * Runs the export (once).
     *
     * @throws DynamoException (exit code 130) when stopped part way, with what stays and the checkpoint; (failure) when
     *                         DynamoDB or the destination fails
     */
    public ExportStats run() {
        runner = Thread.currentThread();
        counters.markStart();
        long started = System.nanoTime();
        try {
            ExportRun run = begin();
            counters.startPhase(JobPhase.EXPORT, Math.max(table.schema().itemCount() - run.acks.completedItems(), 0),
                    counters.written::sum);
            List<PagePipeline.PageProducer> producers = new ArrayList<>();
            for (int segment = 0; segment < segments; segment++) {
                if (!run.acks.checkpoint(segment).finished()) {
                    producers.add(new ExportSegment(run, segment, reader(run, segment)));
                }
            }
            LOG.info("export {} to {}: {} segments ({} to read), {} threads, {}", plan.sourceTable(), run.location(), segments,
                    producers.size(), plan.threads(), plan.format().awsName());
            try {
                PagePipeline.run("export", producers, plan.threads(), 1, 1, () -> page -> {
                    throw new IllegalStateException("an export segment writes its own pages");
                }, stop);
            } catch (DynamoException e) {
                if (e.exitCode() == ExitCode.INTERRUPTED) {
                    run.save();
                    throw new DynamoException(ExitCode.INTERRUPTED, String.format(Locale.ROOT, "stopped: %,d items are in the "
                            + "finished data files of %s, which has no manifest yet", counters.written.sum(), run.location())
                            + (plan.checkpointFile() == null ? "" : "; the checkpoint is " + plan.checkpointFile()), e);
                }
                throw e;
            }
            if (stop.requested() && !run.allFinished()) {
                run.save();
                throw new DynamoException(ExitCode.INTERRUPTED, "stopped: the export at " + run.location() + " has no manifest yet");
            }
            return finish(run, started);
        } finally {
            runner = null;
        }
    }

    private ExportRun begin() {
        List<String> keyNames = table.keys().names();
        if (resumed != null) {
            List<SegmentAcks.Checkpoint> positions = TransferCheckpoint.positions(resumed.get("positions"), plan.checkpointFile());
            ExportRun run = new ExportRun(plan, store, resumed.get("exportId").asText(), resumed.path("keyPrefix").asText(""),
                    resumed.path("startTime").asText(), identity(), SegmentAcks.resume(positions), positions,
                    ExportRun.files(resumed, segments), counters, keyNames);
            checkCommitted(run);
            run.resumedBytes(resumed.path("storedBytes").asLong(0));
            return run;
        }
        Instant now = ExportFolder.now();
        String exportId = ExportFolder.newExportId(now);
        List<SegmentAcks.Checkpoint> start = new ArrayList<>();
        List<List<dev.dynamo.items.ExportManifest.DataFile>> files = new ArrayList<>();
        for (int segment = 0; segment < segments; segment++) {
            start.add(SegmentAcks.Checkpoint.start(segment));
            files.add(new ArrayList<>());
        }
        ExportRun run = new ExportRun(plan, store, exportId, keyPrefix(plan.destination()), now.toString(), identity(),
                new SegmentAcks(segments), start, files, counters, keyNames);
        TimeToLiveDescription ttl = ttl();
        new ExportFolder(store, plan.destination(), exportId).start(description,
                ttl != null && "ENABLED".equals(ttl.timeToLiveStatusAsString()) ? ttl.attributeName() : null);
        run.save();
        return run;
    }

    /** The committed files a resumed export lists must still be there, whole: a resume never trusts what it cannot see. */
    private void checkCommitted(ExportRun run) {
        java.util.Set<String> present = new java.util.HashSet<>();
        store.list(run.folder + "data/").forEach(object -> present.add(object.name()));
        for (ExportManifest.DataFile file : run.allFiles()) {
            if (!present.contains(run.folder + file.name())) {
                throw DynamoException.usage("the data file " + store.locationOf(run.folder + file.name()) + " of the export to "
                        + "resume is gone; run without --resume to start anew");
            }
        }
    }

    private TimeToLiveDescription ttl() {
        try {
            return TableCreator.describeTtl(client, environment, plan.sourceTable(), retrier);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DynamoException(ExitCode.INTERRUPTED, "interrupted", e);
        } catch (DynamoException e) {
            LOG.info("no TTL in the table definition: {}", e.getMessage());
            return null;
        }
    }

    private PagePipeline.PageProducer reader(ExportRun run, int segment) {
        TableSchema schema = table.schema();
        TableReads reads = new TableReads(table, retrier, counters);
        if (plan.selection() == null) {
            return ExportFolder.scan(plan, table, retrier, counters, run.acks, segment, stop);
        }
        IndexSchema index = plan.selection().index() == null ? null : schema.index(plan.selection().index());
        QueryRequest request = new QueryRunner(client, environment, schema).request(plan.selection(), false).toBuilder()
                .limit(plan.pageSize()).build();
        return new SelectionQuery(reads, request, index != null && !index.projection().isAll(), plan.consistent(),
                Estimates.itemUnits(schema, plan.consistent()), counters.scanned, null, run.acks, stop);
    }

    private ExportStats finish(ExportRun run, long started) {
        if (!run.allFinished()) {
            throw new IllegalStateException("export accounting mismatch: not every segment finished");
        }
        List<ExportManifest.DataFile> files = run.allFiles();
        long items = files.stream().mapToLong(ExportManifest.DataFile::itemCount).sum();
        long read = run.acks.completedItems();
        // Every item read is in exactly one committed data file; a resume relies on it: check it.
        if (items != read) {
            throw new IllegalStateException("export accounting mismatch: " + read + " items read, " + items + " in data files");
        }
        long bytes = run.storedBytes();
        new ExportFolder(store, plan.destination(), run.exportId).finish(files, description, run.startTime(), plan.format());
        if (plan.checkpointFile() != null) {
            TransferCheckpoint.delete(plan.checkpointFile());
        }
        counters.startPhase(JobPhase.DONE, 0);
        JobCounters.Snapshot now = counters.snapshot();
        return new ExportStats(table.describe(), run.location(), run.exportId, plan.format(), items, files.size(), bytes,
                now.readUnits(), (System.nanoTime() - started) / 1_000_000, resumed != null);
    }

    static String bucketOf(String s3) {
        String rest = s3.substring("s3://".length());
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }

    /** The prefix of an S3 destination without slashes at its ends ("" for none, and for a local folder). */
    static String keyPrefix(String destination) {
        if (!destination.startsWith("s3://")) {
            return "";
        }
        String rest = destination.substring("s3://".length());
        int slash = rest.indexOf('/');
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        while (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        return prefix;
    }

    @Override
    public void close() {
        try {
            client.close();
        } finally {
            try {
                if (store != null) {
                    store.close();
                }
            } finally {
                if (lock != null) {
                    lock.close();
                }
            }
        }
    }
}
