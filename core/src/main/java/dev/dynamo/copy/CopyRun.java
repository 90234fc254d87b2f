package dev.dynamo.copy;

import dev.dynamo.Counts;
import dev.dynamo.DynamoException;
import dev.dynamo.ExitCode;
import dev.dynamo.items.ItemFileWriter;
import dev.dynamo.items.RawItems;
import dev.dynamo.pipeline.Estimates;
import dev.dynamo.pipeline.JobCounters;
import dev.dynamo.pipeline.JobDefaults;
import dev.dynamo.pipeline.JobPhase;
import dev.dynamo.pipeline.PagePipeline;
import dev.dynamo.pipeline.Retrier;
import dev.dynamo.pipeline.ScanSegment;
import dev.dynamo.pipeline.SegmentAcks;
import dev.dynamo.pipeline.StopSignal;
import dev.dynamo.pipeline.TableReads;
import dev.dynamo.pipeline.TableRef;
import dev.dynamo.query.QuerySpec;
import dev.dynamo.table.TableSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * What the steps of one run of a {@link CopyJob} share: the plan, both tables, the counters, the
 * retrier, the dead-letter file, the listener, the checkpoint and the stop signal; and the steps
 * every kind of copy uses (backups, parallel scans). Used by the job's thread only; the workers it
 * starts share the thread-safe parts.
 */
final class CopyRun {
    final CopyPlan plan;
    final CopyPreview preview;
    final TableRef source;
    final TableRef target;
    final JobCounters counters;
    final Retrier retrier;
    /** Where items that cannot be written go; null in a dry run, which writes nothing. */
    final DeadLetterFile deadLetters;
    final CopyListener listener;
    final LocalDateTime startedAt;
    /** Saves the checkpoint at each stage and while copying. */
    final CheckpointSaver checkpoints;
    /** Raised to stop the run gracefully; every pipeline and writer polls it. */
    final StopSignal stop;
    /** The checkpoint this run continues from, or null for a run from the start (a new copy, or a resume that starts over). */
    final CopyCheckpoint resumeFrom;
    /** The backup made of the target, once it is made (or the one the resumed run made). */
    BackupResult backup;
    /** What a copy by difference found when it compared both sides; null for a copy that does not compare. */
    CopyCheckpoint.Difference difference;

    /** A run that keeps no checkpoint and cannot be stopped (a dry run's reads). */
    CopyRun(CopyPlan plan, CopyPreview preview, TableRef source, TableRef target, JobCounters counters, Retrier retrier,
            DeadLetterFile deadLetters, CopyListener listener, LocalDateTime startedAt) {
        this(plan, preview, source, target, counters, retrier, deadLetters, listener, startedAt,
                new CheckpointSaver(null, null, counters), new StopSignal(), null);
    }

    CopyRun(CopyPlan plan, CopyPreview preview, TableRef source, TableRef target, JobCounters counters, Retrier retrier,
            DeadLetterFile deadLetters, CopyListener listener, LocalDateTime startedAt, CheckpointSaver checkpoints,
            StopSignal stop, CopyCheckpoint resumeFrom) {
        this.checkpoints = checkpoints;
        this.stop = stop;
        this.resumeFrom = resumeFrom;
        this.plan = plan;
        this.preview = preview;
        this.source = source;
        this.target = target;
        this.counters = counters;
        this.retrier = retrier;
        this.deadLetters = deadLetters;
        this.listener = listener;
        this.startedAt = startedAt;
    }

    int segments(TableSchema table) {
        return plan.read().segmentsOf(table);
    }

    int readAhead() {
        return JobDefaults.readAheadPages(plan.threads());
    }

    /** Writers that put whole items into the target (acknowledging pages to {@code acks}, if given). */
    Supplier<PagePipeline.PageConsumer> putWriters(SegmentAcks acks) {
        return () -> new BatchWriter(target, BatchWriter.Kind.PUT, retrier, counters, deadLetters, acks, stop);
    }

    /** Writers that delete keys from the target (acknowledging pages to {@code acks}). */
    Supplier<PagePipeline.PageConsumer> deleteWriters(SegmentAcks acks) {
        return () -> new BatchWriter(target, BatchWriter.Kind.DELETE, retrier, counters, deadLetters, acks, stop);
    }

    /** The query selecting what to copy, or null for the whole table. */
    QuerySpec selection() {
        return plan.selection();
    }

    /**
     * Runs a pipeline that the stop signal can wind down.
     *
     * @throws DynamoException (exit code 130) when stopped part way
     */
    void pipeline(String name, List<? extends PagePipeline.PageProducer> producers, int producerThreads, int consumerThreads,
            Supplier<? extends PagePipeline.PageConsumer> consumers) {
        PagePipeline.run(name, producers, producerThreads, consumerThreads, readAhead(), consumers, stop);
    }

    /** Between steps: throws if a stop was requested, so the next step does not begin. */
    void checkStop() {
        if (stop.requested()) {
            throw new DynamoException(ExitCode.INTERRUPTED, "stopped between two steps of the copy");
        }
    }

    /**
     * A parallel scan of {@code table}: one producer per segment not yet finished (each from where
     * {@code acks} says it stands), at most {@code plan.threads()} reading at once, feeding
     * {@code consumerThreads} consumers through the bounded queue.
     */
    void scan(String name, TableRef table, ScanRequest request, SegmentAcks acks, LongAdder itemsRead,
            int consumerThreads, Supplier<PagePipeline.PageConsumer> consumers) {
        scan(name, table, request, acks, itemsRead, consumerThreads, consumers, null);
    }

    /**
     * {@link #scan(String, TableRef, ScanRequest, SegmentAcks, LongAdder, int, Supplier)} with pages
     * kept as the JSON DynamoDB sent ({@link RawItems}, parsed with {@code raw}), when {@code raw} is not null.
     */
    void scan(String name, TableRef table, ScanRequest request, SegmentAcks acks, LongAdder itemsRead,
            int consumerThreads, Supplier<PagePipeline.PageConsumer> consumers, RawItems.Shape raw) {
        TableReads reads = new TableReads(table, retrier, counters);
        double firstPageUnits = Estimates.firstPageUnits(table.schema(), request, plan.pageSize());
        List<ScanSegment> producers = new ArrayList<>(acks.segmentCount());
        for (int segment = 0; segment < acks.segmentCount(); segment++) {
            if (!acks.checkpoint(segment).finished()) {
                producers.add(new ScanSegment(reads, request, segment, acks, itemsRead, firstPageUnits, stop, raw));
            }
        }
        pipeline(name, producers, Math.min(acks.segmentCount(), plan.threads()), consumerThreads, consumers);
    }

    /** A Scan of only the table's key attributes, strongly consistent: what emptying a table reads. */
    static ScanRequest keysOnlyScan(TableSchema table, int pageSize) {
        Map<String, String> names = new HashMap<>();
        List<String> placeholders = new ArrayList<>();
        List<String> keys = table.keys().names();
        for (int i = 0; i < keys.size(); i++) {
            names.put("#k" + i, keys.get(i));
            placeholders.add("#k" + i);
        }
        return ScanRequest.builder().tableName(table.name()).limit(pageSize).consistentRead(true)
                .projectionExpression(String.join(", ", placeholders)).expressionAttributeNames(names).build();
    }

    /**
     * Makes the AWS backup the plan asks for (aws, or auto where the endpoint supports it). Call it
     * only when the target has items.
     *
     * @return true when the caller must back up to a file instead (file, or auto where CreateBackup is unsupported)
     * @throws DynamoException (usage) for {@code aws} where CreateBackup is not available; nothing has changed then
     */
    boolean backUpWithAwsOrNeedFile() throws InterruptedException {
        String what = target.describe();
        switch (plan.backup()) {
            case NONE -> {
                if (preview.deletes()) {
                    listener.notice("no backup of " + what + " before deleting its items (--backup none)");
                }
                return false;
            }
            case FILE -> {
                return true;
            }
            case AWS -> {
                counters.startPhase(JobPhase.BACKUP, 0);
                try {
                    backup = TableBackup.aws(target, retrier, startedAt);
                } catch (TableBackup.UnsupportedException e) {
                    throw DynamoException.usage("cannot back up " + what + " with CreateBackup (" + e.getMessage()
                            + "); nothing was changed; use --backup file (or auto) to save the items to a file instead");
                }
                listener.notice("backed up " + what + " to " + backup.describe());
                return false;
            }
            default -> {
                counters.startPhase(JobPhase.BACKUP, 0);
                try {
                    backup = TableBackup.aws(target, retrier, startedAt);
                    listener.notice("backed up " + what + " to " + backup.describe());
                    return false;
                } catch (TableBackup.UnsupportedException e) {
                    listener.notice("CreateBackup is not available for " + what + " (" + e.getMessage()
                            + "): backing up to a file instead");
                    return true;
                }
            }
        }
    }

    /**
     * Backs up the target to a new file: the whole table (a strongly consistent parallel scan, every page saved), or, for a
     * query-selected copy, the target's selected items.
     */
    void backUpTargetToFile() throws InterruptedException {
        if (plan.selection() != null) {
            counters.startPhase(JobPhase.READ_TARGET, 0);
            backUpToFile("the selected items of " + target.describe(),
                    writer -> SelectionCopy.readTarget(this, plan.selection(), new HashMap<>(), writer));
            return;
        }
        counters.startPhase(JobPhase.BACKUP, target.schema().itemCount());
        backUpToFile(target.describe(), writer -> {
            SegmentAcks backupAcks = new SegmentAcks(segments(target.schema()));
            // Strongly consistent: the backup holds every item written before it began.
            ScanRequest all = ScanRequest.builder().tableName(target.name()).limit(plan.pageSize()).consistentRead(true).build();
            scan("backup", target, all, backupAcks, null, 1, () -> new FileSink(writer, counters, backupAcks));
            if (!backupAcks.allFinished()) {
                throw new IllegalStateException("backup accounting mismatch: not every page of the backup scan was saved");
            }
        });
    }

    /** Something that fills a backup file. */
    @FunctionalInterface
    interface BackupFiller {
        void fill(ItemFileWriter writer) throws InterruptedException;
    }

    /**
     * Backs up to a new file in the backup directory: {@code filler} writes the items, then the file
     * gets its final name. A failure leaves only a {@code .partial} file and stops the copy before
     * anything is deleted.
     */
    void backUpToFile(String what, BackupFiller filler) throws InterruptedException {
        Path file = TableBackup.newFile(plan.backupDirectory(), target.name(), startedAt);
        try (ItemFileWriter writer = ItemFileWriter.create(file, target.keys().names())) {
            filler.fill(writer);
            long items = writer.count();
            backup = BackupResult.file(writer.commit(), items);
        } catch (UncheckedIOException e) {
            throw TableBackup.fileFailure(file, e);
        } catch (IOException e) {
            throw TableBackup.fileFailure(file, new UncheckedIOException(e));
        }
        // backed up table 'Orders' in 'dev' (us-east-1) to file /home/me/.dynamo/backups/Orders-20261201-101500.jsonl.gz
        // (1,234 items); restore it with: dynamo import -t Orders -e dev --from /home/me/... --mode replace --yes
        listener.notice("backed up " + what + " to " + backup.describe() + "; restore it with: " + restoreCommand(plan.program(), target, backup.file()));
    }

    /**
     * The command that puts a backup file back: an import in replace mode, into the table it was made of, run as
     * {@code program} ({@code dynamo}, {@code ./dynamo}).
     */
    static String restoreCommand(String program, TableRef table, Path file) {
        StringBuilder command = new StringBuilder(shellWord(program)).append(" import -t ").append(shellWord(table.name()))
                .append(" -e ").append(shellWord(table.environment().name()));
        String profile = table.environment().profile();
        if (profile != null && !profile.equals(table.environment().name())) {
            command.append(" --profile ").append(shellWord(profile));
        }
        if (table.environment().endpoint() == null) {
            command.append(" --region ").append(table.environment().region().id());
        }
        return command.append(" --from ").append(shellWord(file.toString())).append(" --mode replace --yes").toString();
    }

    /** A word as a POSIX shell reads it back: unquoted when plain, else in single quotes. */
    private static String shellWord(String word) {
        return word.matches("[A-Za-z0-9_./:=@%+,-]+") ? word : "'" + word.replace("'", "'\\''") + "'";
    }

    /**
     * What a stopped copy leaves behind, for the message that ends it, e.g. {@code interrupted: 12,345 items
     * written and 300 deleted; table 'Orders' in 'dev' (us-east-1) is left part way, neither as it was nor a full
     * copy; its backup is file ...}.
     *
     * @param target the target, as {@code table 'Orders' in 'dev' (us-east-1)}
     * @param run    the run, or null when it stopped before the run began
     */
    static String stopped(String what, JobCounters counters, String target, CopyRun run) {
        JobCounters.Snapshot now = counters.snapshot();
        StringBuilder text = new StringBuilder(what).append(String.format(Locale.ROOT, ": %,d items written and %,d deleted",
                now.written(), now.deleted()));
        if (now.written() + now.deleted() > 0) {
            text.append("; ").append(target).append(" is left part way, neither as it was nor a full copy");
        }
        if (run != null && run.backup != null) {
            text.append("; its backup is ").append(run.backup.describe());
        }
        return text.toString();
    }

    /** Tells the listener where the items that could not be written are, if there are any. */
    static void noteDeadLetters(DeadLetterFile deadLetters, CopyListener listener) {
        if (deadLetters.count() > 0) {
            listener.notice(Counts.items(deadLetters.count()) + (deadLetters.count() == 1 ? " could not be written; it is in " : " could not be written; they are in ") + deadLetters.file());
        }
    }
}
