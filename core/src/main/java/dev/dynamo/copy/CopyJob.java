package dev.dynamo.copy;

import dev.dynamo.DynamoException;
import dev.dynamo.ExitCode;
import dev.dynamo.env.Environment;
import dev.dynamo.env.ServiceErrors;
import dev.dynamo.items.ItemSize;
import dev.dynamo.items.WritablePaths;
import dev.dynamo.pipeline.Backoff;
import dev.dynamo.pipeline.CapacityLimiter;
import dev.dynamo.pipeline.Estimates;
import dev.dynamo.pipeline.ItemBatches;
import dev.dynamo.pipeline.JobCounters;
import dev.dynamo.pipeline.JobDefaults;
import dev.dynamo.pipeline.JobPhase;
import dev.dynamo.pipeline.Retrier;
import dev.dynamo.pipeline.SegmentAcks;
import dev.dynamo.pipeline.StopSignal;
import dev.dynamo.pipeline.TablePair;
import dev.dynamo.pipeline.TableReads;
import dev.dynamo.pipeline.TableRef;
import dev.dynamo.query.QuerySpec;
import dev.dynamo.table.KeyAttribute;
import dev.dynamo.table.TableSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
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
 * and runs a job; {@link #counters()} may be read and {@link #stop()} called from any thread while it runs.
 * [API: DescribeTable, DescribeTimeToLive, Scan, Query, BatchGetItem, BatchWriteItem, CreateBackup,
 * CreateTable, UpdateTimeToLive]
 */
public final class CopyJob implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CopyJob.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);
    /** Probing whether a table has items gives up (and assumes it has) after this many empty pages. */
    private static final int MAX_PROBE_PAGES = 100;
    static final String DEAD_LETTER_SUFFIX = ".failed.jsonl";

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

    /** The live counts, for a progress line; safe to read from any thread while the job runs. */
    public JobCounters counters() {
        return counters;
    }

    /**
     * Where each segment of the source scan stands: the acknowledgements of the whole-table copy
     * phase, or null before it begins and for a selection.
     */
    public SegmentAcks acknowledgements() {
        return tableCopy == null ? null : tableCopy.acks();
    }

    private void check() throws InterruptedException {
        // Backup files and, by default, the dead-letter file go to the backup directory.
        WritablePaths.checkDirectory(plan.backupDirectory(), "--backup-dir");
        if (plan.deadLetterFile() != null) {
            WritablePaths.checkFile(plan.deadLetterFile(), "--dead-letter");
        }
        if (plan.checkpointFile() != null) {
            checkWritable(plan.checkpointFile());
            lockCheckpoint(plan.checkpointFile());
        }
        List<String> notes = new ArrayList<>();
        if (plan.resume()) {
            resumeFrom = CopyCheckpoint.read(plan.checkpointFile());
            checkResume();
        } else if (plan.checkpointFile() != null && Files.exists(plan.checkpointFile())) {
            notes.add("starting a new copy: the checkpoint " + plan.checkpointFile() + " of an earlier copy that did not finish "
                    + "will be replaced (to continue that copy instead, add --resume)");
        }
        sourceTable = tables.describeSource(retrier, plan.sourceTable());
        TableSchema sourceSchema = tables.sourceSchema(sourceTable);
        if (resumeFrom != null) {
            checkResumeKeys(sourceSchema);
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
            sourceTtl = describeTtl();
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
        boolean targetHasItems = target != null && probeTarget();
        int segments = identity != null ? identity.segments() : plan.selection() == null ? plan.read().segmentsOf(sourceSchema) : 1;
        identity = CopyIdentity.of(sourceEnvironment, targetEnvironment, plan, segments);
        boolean backupMade = resumeFrom != null && resumeFrom.stage() != CopyCheckpoint.Stage.START;
        preview = new CopyPreview(describeSource(), describeTarget(), sourceSchema, targetSchema, plan.mode(), plan.selection(),
                targetTable == null, targetHasItems, targetHasItems && !backupMade ? plan.backup() : BackupMode.NONE,
                segments, plan.threads(), notes, resumeFrom);
    }

    /**
     * Refuses a checkpoint of another copy, naming every difference, and one whose content does not
     * fit the copy it claims to be (a hand-edited file). A resume keeps the checkpoint's segment count
     * unless {@code --segments} names another, which is refused.
     */
    private void checkResume() {
        CopyIdentity saved = resumeFrom.identity();
        int segments = plan.selection() != null ? 1 : plan.segments() > 0 ? plan.segments() : saved.segments();
        CopyIdentity now = CopyIdentity.of(sourceEnvironment, targetEnvironment, plan, segments);
        List<String> differences = saved.differences(now);
        if (!differences.isEmpty()) {
            throw DynamoException.usage("the checkpoint " + plan.checkpointFile() + " is of another copy (" + String.join("; ", differences)
                    + "): resume it with the options it was started with, or drop --resume to start this copy anew");
        }
        CopyCheckpoint.Stage stage = resumeFrom.stage();
        String problem = null;
        if (stage == CopyCheckpoint.Stage.COPY && resumeFrom.segments().size() != saved.segments()) {
            problem = "it is at the copy stage but has " + resumeFrom.segments().size() + " segment positions for "
                    + saved.segments() + " segments";
        } else if (stage == CopyCheckpoint.Stage.EMPTY && saved.mode() != CopyMode.REPLACE) {
            problem = "a merge never empties its target";
        } else if (stage == CopyCheckpoint.Stage.DELETE_STALE && (saved.selection() == null || saved.mode() != CopyMode.REPLACE)) {
            problem = "only a query-selected copy in replace mode deletes stale items";
        }
        if (problem != null) {
            throw DynamoException.usage("cannot resume from the checkpoint " + plan.checkpointFile() + ": " + problem
                    + "; run the copy without --resume to start it over");
        }
        identity = now;
    }

    /**
     * Every position the checkpoint resumes from must be a key of the source as it is now: its key
     * attributes, each of its key type (and, for a selection through an index, the index's too). A
     * position that does not fit (a checkpoint edited, or the table recreated with another key) would
     * make every Scan fail, and each run print the same resume command again: a usage error instead.
     */
    private void checkResumeKeys(TableSchema sourceSchema) {
        List<KeyAttribute> required = new ArrayList<>(sourceSchema.keys().attributes());
        if (plan.selection() != null && plan.selection().index() != null) {
            sourceSchema.findIndex(plan.selection().index()).ifPresent(index -> index.keys().attributes().stream()
                    .filter(attribute -> !required.contains(attribute)).forEach(required::add));
        }
        for (SegmentAcks.Checkpoint position : resumeFrom.segments()) {
            Map<String, AttributeValue> key = position.resumeKey();
            if (key == null || key.isEmpty()) {
                continue;
            }
            boolean fits = key.size() == required.size() && required.stream().allMatch(attribute -> key.containsKey(attribute.name())
                    && attribute.type().matches(key.get(attribute.name())));
            if (!fits) {
                throw DynamoException.usage("cannot resume from the checkpoint " + plan.checkpointFile() + ": its position "
                        + key.keySet() + " is not a key of table '" + plan.sourceTable() + "' (" + required.stream()
                        .map(Object::toString).collect(Collectors.joining(", "))
                        + "); run the copy without --resume to start it over");
            }
        }
    }

    /**
     * Fails now, before anything is written, when the checkpoint clearly cannot be written: its
     * directory (or the nearest existing parent, which the copy would create it in) is not a writable
     * directory, or the file is not a writable file. The first save still reports anything this misses.
     */
    private void checkWritable(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        String problem = null;
        if (Files.isSymbolicLink(absolute)) {
            problem = "it is a symbolic link, which dynamo does not write through";
        } else if (Files.isDirectory(absolute)) {
            problem = "it is a directory";
        } else if (Files.exists(absolute) && !Files.isWritable(absolute)) {
            problem = "it is not writable";
        } else if (Files.exists(absolute) && !CopyCheckpoint.looksLikeCheckpoint(absolute)) {
            // A new copy replaces an earlier checkpoint, and a finished one deletes it: never a file of the user's.
            problem = "it holds something other than a dynamo checkpoint, which the copy would replace and then delete";
        } else {
            Path parent = absolute.getParent();
            while (parent != null && !Files.exists(parent)) {
                parent = parent.getParent();
            }
            if (parent == null || !Files.isDirectory(parent)) {
                problem = (parent == null ? "no parent directory" : parent + " is not a directory");
            } else if (!Files.isWritable(parent)) {
                problem = "the directory " + parent + " is not writable";
            }
        }
        if (problem != null) {
            throw DynamoException.usage("cannot write the checkpoint " + absolute + ": " + problem
                    + "; choose another file with --checkpoint FILE; nothing was changed");
        }
    }

    /**
     * Holds the checkpoint's lock until {@link #close}: two runs of one copy at once (an overlapping
     * cron job, a second terminal) would empty the target under each other's writes and overwrite each
     * other's checkpoint, so the second is refused before it reads or writes anything.
     */
    private void lockCheckpoint(Path checkpoint) {
        try {
            lock = CheckpointLock.tryAcquire(checkpoint);
        } catch (IOException e) {
            throw DynamoException.usage("cannot write the checkpoint's lock file " + CheckpointLock.fileOf(checkpoint) + " ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + "); choose another file with --checkpoint FILE; "
                    + "nothing was changed");
        }
        if (lock == null) {
            String holder = CheckpointLock.holder(checkpoint);
            // dynamo: another run of this copy is under way (pid 4242, since 2026-11-24T22:00:05Z) with the checkpoint ...
            throw DynamoException.usage("another run of this copy is under way" + (holder == null ? "" : " (" + holder + ")")
                    + " with the checkpoint " + checkpoint + ": two at once would undo each other's writes; wait for it to end, "
                    + "or stop it (Ctrl-C or kill, which save its checkpoint) and continue it with --resume; nothing was changed");
        }
    }

    /** True when the target (for a selection: the target's selection) has at least one item. */
    private boolean probeTarget() throws InterruptedException {
        TableReads reads = new TableReads(target, retrier, counters);
        if (plan.selection() == null) {
            ScanRequest request = CopyRun.keysOnlyScan(target.schema(), 1);
            for (int page = 0; page < MAX_PROBE_PAGES; page++) {
                ScanResponse response = reads.scan(request, 0.5);
                if (!response.items().isEmpty()) {
                    return true;
                }
                if (!response.hasLastEvaluatedKey() || response.lastEvaluatedKey().isEmpty()) {
                    return false;
                }
                request = request.toBuilder().exclusiveStartKey(response.lastEvaluatedKey()).build();
            }
            return true;
        }
        QueryRequest request = SelectionCopy.targetQuery(target, plan.selection(), true).toBuilder().limit(1).build();
        for (int page = 0; page < MAX_PROBE_PAGES; page++) {
            QueryResponse response = reads.query(request, 0.5);
            if (!response.items().isEmpty()) {
                return true;
            }
            if (!response.hasLastEvaluatedKey() || response.lastEvaluatedKey().isEmpty()) {
                return false;
            }
            request = request.toBuilder().exclusiveStartKey(response.lastEvaluatedKey()).build();
        }
        return true;
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
                ? deadLetterPath(now) : carried.deadLetterFile();
        Instant startedAt = Instant.now();
        CopyCheckpoint initial = carried != null
                ? new CopyCheckpoint(identity, carried.stage(), carried.startedAt(), startedAt, carried.backup(), deadLetterFile,
                        carried.failedItems(), carried.segments())
                : new CopyCheckpoint(identity, CopyCheckpoint.Stage.START, startedAt, startedAt, null, deadLetterFile, 0, List.of());
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
            listener.notice(resuming(resumeFrom));
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
            if (plan.selection() == null) {
                tableCopy = new TableCopy(run);
                tableCopy.run();
            } else {
                new SelectionCopy(run).run();
            }
            counters.startPhase(JobPhase.DONE, 0);
            checkpoints.finished();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            noteDeadLetters(deadLetters, listener);
            throw new DynamoException(ExitCode.INTERRUPTED, stopped("interrupted", run) + checkpointNote(), e);
        } catch (DynamoException e) {
            noteDeadLetters(deadLetters, listener);
            if (e.exitCode() == ExitCode.INTERRUPTED) {
                throw new DynamoException(ExitCode.INTERRUPTED, stopped("interrupted", run) + checkpointNote(), e);
            }
            boolean nothingChanged = run == null || (run.backup == null && counters.written.sum() + counters.deleted.sum() == 0);
            if (nothingChanged && e.exitCode() == ExitCode.USAGE && resumeFrom == null && !created) {
                // A usage error ("nothing was changed") leaves nothing behind, not even this run's new checkpoint.
                checkpoints.finished();
                throw e;
            }
            String note = checkpointNote();
            throw nothingChanged ? e
                    : new DynamoException(e.exitCode(), e.getMessage() + "; " + stopped("the copy stopped", run) + note, e);
        } catch (RuntimeException | Error e) {
            noteDeadLetters(deadLetters, listener);
            checkpoints.stopped();
            throw e;
        } finally {
            synchronized (this) {
                runner = null;
            }
            deadLetters.close();
        }
        JobCounters.Snapshot done = counters.snapshot();
        return new CopyStats(describeSource(), describeTarget(), plan.mode(), plan.selection() != null, created, run.backup,
                done.scanned(), done.written(), done.deleted(), done.retried(), done.throttled(), done.failed(), done.bytesWritten(),
                done.readUnits(), done.writeUnits(), done.writeUnitsMeasured(), Duration.ofNanos(done.elapsedNanos()),
                done.failed() > 0 ? deadLetters.file() : null);
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
        stop.request();
        Thread grace = new Thread(() -> {
            try {
                Thread.sleep(JobDefaults.STOP_GRACE_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            synchronized (this) {
                if (runner != null) {
                    runner.interrupt();
                }
            }
        }, "dynamo-copy-stop");
        grace.setDaemon(true);
        grace.start();
    }

    /**
     * The checkpoint file a stopped or failed {@link #run} left to resume from; empty before the run,
     * after a copy that finished (its checkpoint is deleted), and without a checkpoint file.
     */
    public Optional<Path> resumableCheckpoint() {
        return checkpoints != null && checkpoints.resumable() ? Optional.of(checkpoints.file()) : Optional.empty();
    }

    /** Saves the checkpoint at a stop and says where it is, for the end of the stop message. */
    private String checkpointNote() {
        if (checkpoints == null || checkpoints.file() == null) {
            return "";
        }
        String problem = checkpoints.stopped();
        if (problem != null) {
            return "; the checkpoint could not be saved (" + problem + ")";
        }
        return checkpoints.resumable() ? "; the checkpoint is " + checkpoints.file() : "";
    }

    /**
     * The notice of a resumed run, e.g. {@code resuming the copy saved in /home/me/.dynamo/checkpoints/Orders-to-Orders-1a2b3c4d5e.json
     * at 2025-06-01T10:03:12Z: 61,234 items were copied; 3 of 8 segments are finished, the others continue where they stopped}.
     */
    private static String resuming(CopyCheckpoint checkpoint) {
        String saved = "resuming the copy saved at " + checkpoint.savedAt() + ": ";
        return saved + switch (checkpoint.stage()) {
            case START -> "it stopped before deleting or copying anything, so it starts over";
            case EMPTY -> (checkpoint.backup() == null ? "the target was not backed up (--backup none)"
                    : "the target's backup is already made (" + checkpoint.backup().describe() + ")")
                    + "; the target is emptied again, then copied";
            case COPY -> String.format(Locale.ROOT, "%,d items were copied", checkpoint.copiedItems())
                    + (checkpoint.identity().selection() != null ? "; the query continues after its last copied page"
                    : "; " + checkpoint.finishedSegments() + " of " + checkpoint.identity().segments()
                    + " segments are finished, the others continue where they stopped");
            case DELETE_STALE -> "every selected item was written; the target's stale selected items are found and deleted again";
        };
    }

    /**
     * What a stopped copy leaves behind, for the message that ends it, e.g. {@code interrupted: 12,345 items
     * written and 300 deleted; table 'Orders' in 'dev' (us-east-1) is left part way, neither as it was nor a full
     * copy; its backup is file ...}.
     */
    private String stopped(String what, CopyRun run) {
        JobCounters.Snapshot now = counters.snapshot();
        StringBuilder text = new StringBuilder(what).append(String.format(Locale.ROOT, ": %,d items written and %,d deleted",
                now.written(), now.deleted()));
        if (now.written() + now.deleted() > 0) {
            text.append("; ").append(describeTarget()).append(" is left part way, neither as it was nor a full copy");
        }
        if (run != null && run.backup != null) {
            text.append("; its backup is ").append(run.backup.describe());
        }
        return text.toString();
    }

    private Path deadLetterPath(LocalDateTime now) {
        Path file = plan.deadLetterFile() != null ? plan.deadLetterFile()
                : plan.backupDirectory().resolve(CopyCheckpoint.shortened(plan.targetTable()) + "-" + STAMP.format(now)
                        + DEAD_LETTER_SUFFIX);
        return file.toAbsolutePath().normalize();
    }

    private static void noteDeadLetters(DeadLetterFile deadLetters, CopyListener listener) {
        if (deadLetters.count() > 0) {
            listener.notice(String.format("%,d items could not be written; they are in %s", deadLetters.count(), deadLetters.file()));
        }
    }

    private void createTarget(CopyListener listener) throws InterruptedException {
        counters.startPhase(JobPhase.CREATE_TABLE, 0);
        targetTable = TableCreator.create(tables.targetClient(), targetEnvironment,
                TableCreator.request(sourceTable, plan.targetTable(), plan.billing()), sourceTtl, retrier);
        target = targetRef(tables.targetSchema(targetTable));
        int indexes = target.schema().indexes().size();
        listener.notice("created " + describeTarget() + " from the source's definition (" + target.keys()
                + (indexes == 0 ? "" : indexes == 1 ? ", 1 index" : ", " + indexes + " indexes") + ", " + target.schema().billingMode()
                + (sourceTtl != null && sourceTtl.attributeName() != null ? ", TTL on " + sourceTtl.attributeName() : "") + ")");
    }

    /**
     * What {@link #run} would read, back up, delete and write, and the capacity it would consume;
     * changes nothing. A selection's keys are read, so its counts are exact; a whole table is
     * estimated from DynamoDB's item count and size.
     */
    public CopyEstimate estimate() {
        TableSchema sourceSchema = source.schema();
        int targetIndexes = (target != null ? target.schema() : sourceSchema).indexes().size();
        if (plan.selection() == null) {
            long items = sourceSchema.itemCount();
            long targetItems = preview.targetHasItems() ? target.schema().itemCount() : 0;
            long deleteItems = preview.deletes() ? targetItems : 0;
            return new CopyEstimate(preview, false, items, sourceSchema.sizeBytes(),
                    Estimates.scanUnits(sourceSchema.sizeBytes(), plan.consistent()),
                    preview.backup() != BackupMode.NONE ? targetItems : 0,
                    deleteItems, deleteItems == 0 ? 0 : Estimates.writeUnits(deleteItems, target.schema()),
                    items, Estimates.writeUnits(items, sourceSchema), targetIndexes, 0);
        }
        try {
            CopyRun run = new CopyRun(plan, preview, source, target, counters, retrier, null, CopyListener.NONE, LocalDateTime.now());
            Set<String> sourceKeys = new HashSet<>();
            long[] sourceBytes = {0};
            SelectionCopy.sourceQuery(run, plan.selection(), items -> {
                for (Map<String, AttributeValue> item : items) {
                    sourceKeys.add(ItemBatches.keyText(source.keys(), item));
                    sourceBytes[0] += ItemSize.of(item);
                }
            }).forEachPage(items -> { });
            Map<String, Map<String, AttributeValue>> targetKeys = new HashMap<>();
            if (preview.targetHasItems()) {
                SelectionCopy.readTarget(run, plan.selection(), targetKeys, null);
            }
            long stale = plan.mode() == CopyMode.REPLACE ? targetKeys.keySet().stream().filter(k -> !sourceKeys.contains(k)).count() : 0;
            double writeUnits = sourceKeys.isEmpty() ? 0 : sourceKeys.size() * (double) ItemSize.writeUnits(sourceBytes[0] / sourceKeys.size());
            double readUnits = counters.readUnits.sum();
            return new CopyEstimate(preview, true, sourceKeys.size(), sourceBytes[0], readUnits,
                    preview.backup() != BackupMode.NONE ? targetKeys.size() : 0,
                    stale, stale, sourceKeys.size(), writeUnits, targetIndexes, readUnits);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DynamoException(ExitCode.INTERRUPTED, "interrupted during the dry run", e);
        }
    }

    private TableRef targetRef(TableSchema schema) {
        return new TableRef(targetEnvironment, tables.targetClient(), schema, CapacityLimiter.of(plan.maxReadUnitsPerSecond()),
                CapacityLimiter.of(plan.maxWriteUnitsPerSecond()));
    }

    private TimeToLiveDescription describeTtl() throws InterruptedException {
        String action = "reading the TTL setting of table '" + plan.sourceTable() + "'";
        try {
            return retrier.call(() -> tables.sourceClient().describeTimeToLive(b -> b.tableName(plan.sourceTable())).timeToLiveDescription());
        } catch (Retrier.RetriesExhaustedException e) {
            throw ServiceErrors.translate(sourceEnvironment, action, e.last());
        } catch (SdkException e) {
            throw ServiceErrors.translate(sourceEnvironment, action, e);
        }
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
