package dev.dynamo.copy;

import static org.apiguardian.api.API.Status.STABLE;

import dev.dynamo.Counts;
import dev.dynamo.DynamoException;
import dev.dynamo.ExitCode;
import dev.dynamo.env.Environment;
import dev.dynamo.items.WritablePaths;
import dev.dynamo.pipeline.Backoff;
import dev.dynamo.pipeline.CapacityLimiter;
import dev.dynamo.pipeline.JobCounters;
import dev.dynamo.pipeline.JobDefaults;
import dev.dynamo.pipeline.JobPhase;
import dev.dynamo.pipeline.Retrier;
import dev.dynamo.pipeline.SegmentAcks;
import dev.dynamo.pipeline.StopSignal;
import dev.dynamo.pipeline.TablePair;
import dev.dynamo.pipeline.TableRef;
import dev.dynamo.table.TableSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;

/**
 * Copies a DynamoDB table, or the items a query selects, from one environment to another: the copy
 * engine as a plain Java API.
 *
 * <pre>{@code
 * EnvironmentResolver environments = EnvironmentResolver.create();
 * Environment prod = environments.resolve(EnvironmentSpec.of("prod"));                 // an AWS profile
 * Environment local = environments.resolve(EnvironmentSpec.of("http://localhost:8000"));
 * CopyPlan plan = CopyPlan.builder("Orders").mode(CopyMode.MERGE).createTable(true).build();
 * try (CopyJob job = CopyJob.prepare(prod, local, plan)) {
 *     CopyStats stats = job.run();
 *     System.out.println(stats.written() + " items copied");
 * }
 * }</pre>
 *
 * <p>{@link #prepare} only reads: it describes both tables, checks the plan (the source exists,
 * the target exists or may be created, they are not the same table, their keys match, the selection
 * fits both schemas) and looks whether the target has items. {@link #preview()} then says what
 * {@link #run} would change, so a caller can ask for consent, and {@link #estimate()} describes a
 * dry run. {@link #run} does it: create the table, back up and empty the target (replace mode),
 * copy, and for a selection delete the target's stale selected items. Running a plan that deletes
 * is the caller's consent: the command line asks first; a program decides for itself.
 *
 * <p>With a {@linkplain CopyPlan#checkpointFile() checkpoint file}, {@link #run} keeps a
 * {@link CopyCheckpoint} there (saved at each stage, every second while copying, and at the stop;
 * deleted when the copy finishes), and a plan with {@linkplain CopyPlan#resume() resume} continues
 * the copy it describes: {@link #prepare} refuses a checkpoint that is missing, unreadable or of
 * another copy, and a checkpoint that another run of the copy holds. {@link #stop} stops a running
 * copy gracefully, from any thread.
 *
 * <p>A job opens one {@link DynamoDbClient} per environment, sized to the plan's threads and
 * shared by every worker, and closes them in {@link #close}. The clients do not retry on their own:
 * the engine retries, with backoff, and counts every retry. Not thread-safe: one thread prepares
 * and runs a job; {@link #progress()} may be read and {@link #stop()} called from any thread while it runs.
 * [API: DescribeTable, DescribeTimeToLive, Scan, Query, BatchGetItem, BatchWriteItem, CreateBackup,
 * CreateTable, UpdateTimeToLive]
 */
@API(status = STABLE, since = "0.1")
public final class CopyJob implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CopyJob.class);

    private final Environment sourceEnvironment;
    private final Environment targetEnvironment;
    private final CopyPlan plan;
    private final TablePair tables;
    private final JobCounters counters;
    private final Retrier retrier;
    private TableDescription sourceTable;
    private TableRef source;
    private TimeToLiveDescription sourceTtl;
    private TableDescription targetTable;
    private TableRef target;
    private CopyPreview preview;
    private TableCopy tableCopy;
    private DiffCopy diffCopy;
    private boolean started;
    private final StopSignal stop = new StopSignal();
    /** The checkpoint a resume continues from, as read by prepare; null for a new copy. */
    private CopyCheckpoint resumeFrom;
    private CopyIdentity identity;
    private CheckpointSaver checkpoints;
    /** The checkpoint's lock, held from {@link #prepare} to {@link #close}; null without a checkpoint. */
    private CheckpointLock lock;
    /** The thread in {@link #run}, while it runs; guarded by {@code this}. */
    private Thread runner;

    private CopyJob(Environment source, Environment target, CopyPlan plan) {
        this.sourceEnvironment = source;
        this.targetEnvironment = target;
        this.plan = plan;
        // Write units are asked of DynamoDB only when --max-wcu needs them; otherwise they are estimated.
        this.counters = new JobCounters(plan.maxWriteUnitsPerSecond() > 0);
        this.retrier = new Retrier(Backoff.create(), plan.maxRetries(), counters);
        // Readers and writers both use a client at once: room for both.
        int workers = plan.threads() * 2;
        this.tables = TablePair.open(source, target, workers, plan.requestTimeout());
    }

    /**
     * Describes both tables and checks the plan; changes nothing. With a checkpoint file it takes the
     * checkpoint's {@linkplain CheckpointLock lock}, which {@link #close} releases.
     *
     * @throws DynamoException (usage) when the source is missing, the target is missing and may not be
     *                         created, both are the same table, their keys differ, the selection does
     *                         not fit the schemas, or another run of this copy holds the checkpoint;
     *                         (failure) when DynamoDB cannot be reached
     */
    public static CopyJob prepare(Environment source, Environment target, CopyPlan plan) {
        CopyJob job = new CopyJob(source, target, plan);
        return TablePair.prepare(job, job::check, job::close, "interrupted while preparing the copy");
    }

    /** What {@link #run} will do. */
    public CopyPreview preview() {
        return preview;
    }

    /** Where the job stands now, for a progress line; safe to call from any thread while the job runs. */
    public JobCounters.Snapshot progress() {
        return counters.snapshot();
    }

    /** The live counts (tests sample them while a copy runs). */
    JobCounters counters() {
        return counters;
    }

    /**
     * Where each segment of the source scan stands: the acknowledgements of the whole-table copy
     * phase, or null before it begins and for a selection.
     */
    SegmentAcks acknowledgements() {
        return tableCopy != null ? tableCopy.acks() : diffCopy != null ? diffCopy.writeAcks() : null;
    }

    private void check() throws InterruptedException {
        // Backup files and, by default, the dead-letter file go to the backup directory.
        WritablePaths.checkDirectory(plan.backupDirectory(), "--backup-dir");
        if (plan.deadLetterFile() != null) {
            WritablePaths.checkFile(plan.deadLetterFile(), "--dead-letter");
        }
        if (plan.checkpointFile() != null) {
            CheckpointChecks.checkWritable(plan.checkpointFile());
            lock = CheckpointChecks.lock(plan.checkpointFile());
        }
        List<String> notes = new ArrayList<>();
        if (plan.resume()) {
            resumeFrom = CopyCheckpoint.read(plan.checkpointFile());
            identity = CheckpointChecks.checkResume(resumeFrom, plan, sourceEnvironment, targetEnvironment);
        } else if (plan.checkpointFile() != null && Files.exists(plan.checkpointFile())) {
            notes.add("starting a new copy: the checkpoint " + plan.checkpointFile() + " of an earlier copy that did not finish "
                    + "will be replaced (to continue that copy instead, add --resume)");
        }
        sourceTable = tables.describeSource(retrier, plan.sourceTable());
        TableSchema sourceSchema = tables.sourceSchema(sourceTable);
        if (resumeFrom != null) {
            CheckpointChecks.checkResumeKeys(resumeFrom, plan, sourceSchema);
            if (resumeFrom.difference() != null) {
                DiffCopy.checkKeyFiles(resumeFrom.difference());
            }
        }
        source = new TableRef(sourceEnvironment, tables.sourceClient(), sourceSchema, CapacityLimiter.of(plan.maxReadUnitsPerSecond()),
                CapacityLimiter.of(0));
        targetTable = tables.describeTarget(retrier, plan.targetTable());
        TableSchema targetSchema = null;
        if (targetTable == null) {
            if (!plan.createTable()) {
                throw DynamoException.usage("target table '" + plan.targetTable() + "' not found in " + targetEnvironment.describe()
                        + "; add --create-table to create it from the source's definition, or name an existing table "
                        + "with --target-table");
            }
            TableCreator.request(sourceTable, plan.targetTable(), plan.billing()); // fails now if the billing mode cannot be built
            sourceTtl = TableCreator.describeTtl(tables.sourceClient(), sourceEnvironment, plan.sourceTable(), retrier);
        } else {
            targetSchema = tables.targetSchema(targetTable);
            tables.checkTables(sourceTable, targetTable, ": a copy onto itself would delete what it copies; name another target "
                    + "with --target or --target-table", ", so no item could be written; copy into a table with the same key "
                    + "(--target-table NAME, or --create-table with a new name)");
            target = targetRef(targetSchema);
            if (plan.billing() != null) {
                notes.add("--billing-mode applies only to a table the copy creates; " + describeTarget() + " keeps its own");
            }
        }
        if (plan.selection() != null) {
            tables.checkSelection(plan.selection(), sourceSchema, targetSchema, "copy the whole table");
        }
        boolean targetHasItems = target != null && CopyForecast.targetHasItems(target, plan.selection(), retrier, counters);
        int segments = identity != null ? identity.segments() : plan.selection() == null ? plan.read().segmentsOf(sourceSchema) : 1;
        identity = CopyIdentity.of(sourceEnvironment, targetEnvironment, plan, segments);
        boolean backupMade = resumeFrom != null && resumeFrom.stage() != CopyCheckpoint.Stage.START;
        preview = CopyPreview.builder().source(describeSource()).target(describeTarget()).sourceSchema(sourceSchema)
                .targetSchema(targetSchema).mode(plan.mode()).selection(plan.selection()).createsTable(targetTable == null)
                .targetHasItems(targetHasItems).backup(targetHasItems && !backupMade ? plan.backup() : BackupMode.NONE)
                .segments(segments).threads(plan.threads()).notes(notes).resumeFrom(resumeFrom).build();
    }

    /** Runs the copy without listening to it. */
    public CopyStats run() {
        return run(CopyListener.NONE);
    }

    /**
     * Runs the copy: create the target if needed, back it up and empty it (replace mode, target with
     * items), copy, and for a selection delete the stale selected items; or, resuming, continue from
     * the stage and positions of the checkpoint. Runs once.
     *
     * <p>With a checkpoint file, the checkpoint is written before anything else (so a file that cannot
     * be written stops the copy before it changes anything), at every stage and every
     * {@link JobDefaults#CHECKPOINT_INTERVAL_MILLIS} while copying, and at any stop; it is deleted
     * when the copy finishes.
     *
     * @return the statistics; items that could not be written are in {@link CopyStats#deadLetterFile()}
     *         and counted in {@link CopyStats#failed()} (with those of the runs it resumes): the caller decides
     *         what that means for it
     * @throws DynamoException on a failure that stops the copy (the first worker failure; the others
     *                         are cancelled), or when stopped or interrupted (exit code 130, interrupt status
     *                         restored); (usage) when the checkpoint cannot be written, before anything changed
     */
    public CopyStats run(CopyListener listener) {
        if (started) {
            throw new IllegalStateException("a CopyJob runs once");
        }
        started = true;
        counters.markStart();
        LocalDateTime now = LocalDateTime.now();
        // A run that resumes past the start carries on the one it resumes: its dead letters, its backup, its failures.
        CopyCheckpoint carried = resumeFrom != null && resumeFrom.stage() != CopyCheckpoint.Stage.START ? resumeFrom : null;
        Path deadLetterFile = plan.deadLetterFile() != null || carried == null || carried.deadLetterFile() == null
                ? DeadLetterFile.defaultPath(plan, now) : carried.deadLetterFile();
        Instant startedAt = Instant.now();
        CopyCheckpoint initial = CopyCheckpoint.initial(identity, carried, startedAt, deadLetterFile);
        if (carried != null) {
            counters.failed.add(carried.failedItems());
        }
        checkpoints = new CheckpointSaver(plan.checkpointFile(), initial, counters);
        checkpoints.begin();
        // copy Orders -> Orders: replace, 8 threads, pages of 1000, checkpoint /home/me/.dynamo/checkpoints/..., dead letters ...
        LOG.info("copy {} -> {}: {}, {} threads, pages of {}, checkpoint {}, dead letters (if any) {}", plan.sourceTable(),
                plan.targetTable(), plan.mode().toString().toLowerCase(Locale.ROOT), plan.threads(), plan.pageSize(),
                plan.checkpointFile(), deadLetterFile);
        if (resumeFrom != null) {
            listener.notice(CheckpointChecks.resuming(resumeFrom));
        }
        DeadLetterFile deadLetters = new DeadLetterFile(deadLetterFile, source.keys().names());
        boolean created = false;
        CopyRun run = null;
        synchronized (this) {
            runner = Thread.currentThread();
        }
        try {
            if (targetTable == null) {
                createTarget(listener);
                created = true;
            }
            run = new CopyRun(plan, preview, source, target, counters, retrier, deadLetters, listener, now, checkpoints, stop, carried);
            run.checkStop();
            // By difference where there is something to compare with: a target with items, or a resumed comparison. Into an
            // empty target every item is written anyway, by one read of the source.
            if (plan.byDifference() && (preview.targetHasItems() && carried == null || carried != null && carried.difference() != null)) {
                diffCopy = new DiffCopy(run);
                diffCopy.run();
            } else if (plan.selection() == null) {
                tableCopy = new TableCopy(run);
                tableCopy.run();
            } else {
                new SelectionCopy(run).run();
            }
            counters.startPhase(JobPhase.DONE, 0);
            checkpoints.finished();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            CopyRun.noteDeadLetters(deadLetters, listener);
            throw new DynamoException(ExitCode.INTERRUPTED, CopyRun.stopped("interrupted", counters, describeTarget(), run)
                    + checkpoints.stopNote(), e);
        } catch (DynamoException e) {
            CopyRun.noteDeadLetters(deadLetters, listener);
            if (e.exitCode() == ExitCode.INTERRUPTED) {
                throw new DynamoException(ExitCode.INTERRUPTED, CopyRun.stopped("interrupted", counters, describeTarget(), run)
                        + checkpoints.stopNote(), e);
            }
            boolean nothingChanged = run == null || (run.backup == null && counters.written.sum() + counters.deleted.sum() == 0);
            if (nothingChanged && e.exitCode() == ExitCode.USAGE && resumeFrom == null && !created) {
                // A usage error ("nothing was changed") leaves nothing behind, not even this run's new checkpoint.
                checkpoints.finished();
                throw e;
            }
            String note = checkpoints.stopNote();
            throw nothingChanged ? e
                    : new DynamoException(e.exitCode(), e.getMessage() + "; "
                            + CopyRun.stopped("the copy stopped", counters, describeTarget(), run) + note, e);
        } catch (RuntimeException | Error e) {
            CopyRun.noteDeadLetters(deadLetters, listener);
            checkpoints.stopped();
            throw e;
        } finally {
            synchronized (this) {
                runner = null;
            }
            deadLetters.close();
        }
        return CopyStats.of(describeSource(), describeTarget(), run, created, counters.snapshot(), deadLetters.file());
    }

    /**
     * Asks the running copy to stop gracefully: no new reads; each writer finishes the batch it is
     * writing and takes no new page; the checkpoint is saved with what was acknowledged; then
     * {@link #run} throws a {@link DynamoException} with exit code 130. A copy still running
     * {@link JobDefaults#STOP_GRACE_MILLIS} later is interrupted: batches still in flight are
     * abandoned, unacknowledged, and the checkpoint is saved all the same. Returns at once; safe to call
     * from any thread (a signal handler), any number of times, before or during {@link #run}.
     */
    public void stop() {
        stop.request(JobDefaults.STOP_GRACE_MILLIS, this::runner);
    }

    private synchronized Thread runner() {
        return runner;
    }

    /**
     * The checkpoint file a stopped or failed {@link #run} left to resume from; empty before the run,
     * after a copy that finished (its checkpoint is deleted), and without a checkpoint file.
     */
    public Optional<Path> resumableCheckpoint() {
        return checkpoints != null && checkpoints.resumable() ? Optional.of(checkpoints.file()) : Optional.empty();
    }

    private void createTarget(CopyListener listener) throws InterruptedException {
        counters.startPhase(JobPhase.CREATE_TABLE, 0);
        targetTable = TableCreator.create(tables.targetClient(), targetEnvironment,
                TableCreator.request(sourceTable, plan.targetTable(), plan.billing()), sourceTtl, retrier);
        target = targetRef(tables.targetSchema(targetTable));
        int indexes = target.schema().indexes().size();
        listener.notice("created " + describeTarget() + " from the source's definition (" + target.keys()
                + (indexes == 0 ? "" : ", " + Counts.of(indexes, "index", "indexes")) + ", " + target.schema().billingMode()
                + (sourceTtl != null && sourceTtl.attributeName() != null ? ", TTL on " + sourceTtl.attributeName() : "") + ")");
    }

    /**
     * What {@link #run} would read, back up, delete and write, and the capacity it would consume; changes nothing. A
     * copy by difference into a target with items reads and compares both sides, so its counts are exact; a selection's
     * keys are read, so its counts are exact; a whole table is otherwise estimated from DynamoDB's item count and size.
     */
    public CopyEstimate estimate() {
        return estimate(true);
    }

    /**
     * {@link #estimate()}; with {@code readBothSides} false, a copy by difference is estimated from DynamoDB's item counts
     * without reading either side: every item written and, in replace mode, every target item deleted, at the most.
     */
    public CopyEstimate estimate(boolean readBothSides) {
        return CopyForecast.estimate(new CopyRun(plan, preview, source, target, counters, retrier, null, CopyListener.NONE,
                LocalDateTime.now()), readBothSides);
    }

    private TableRef targetRef(TableSchema schema) {
        return new TableRef(targetEnvironment, tables.targetClient(), schema, CapacityLimiter.of(plan.maxReadUnitsPerSecond()),
                CapacityLimiter.of(plan.maxWriteUnitsPerSecond()));
    }

    private String describeSource() {
        return "table '" + plan.sourceTable() + "' in " + sourceEnvironment.describe();
    }

    private String describeTarget() {
        return "table '" + plan.targetTable() + "' in " + targetEnvironment.describe();
    }

    /** Closes the clients and releases the checkpoint's lock. */
    @Override
    public void close() {
        try {
            tables.close();
        } finally {
            if (lock != null) {
                lock.close();
                lock = null;
            }
        }
    }
}
