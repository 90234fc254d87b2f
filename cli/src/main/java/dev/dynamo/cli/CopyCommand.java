package dev.dynamo.cli;

import dev.dynamo.Counts;
import dev.dynamo.DynamoException;
import dev.dynamo.ExitCode;
import dev.dynamo.copy.BackupMode;
import dev.dynamo.copy.BillingChoice;
import dev.dynamo.copy.CopyCheckpoint;
import dev.dynamo.pipeline.JobDefaults;
import dev.dynamo.copy.CopyEstimate;
import dev.dynamo.copy.CopyJob;
import dev.dynamo.copy.CopyListener;
import dev.dynamo.copy.CopyMode;
import dev.dynamo.copy.CopyPlan;
import dev.dynamo.copy.CopyPreview;
import dev.dynamo.copy.CopyStats;
import dev.dynamo.env.Environment;
import dev.dynamo.output.CopyProgressReporter;
import dev.dynamo.output.CopyReportPrinter;
import dev.dynamo.output.StatusLine;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code dynamo copy}: a table, or the items a query selects, from one environment to another. */
@Command(name = "copy",
        description = {
            "Copy a table, or the items a query selects, to another environment.",
            "",
            "An environment is an account, profile, region or endpoint; source and target",
            "may differ in any of them.",
            "",
            "--mode replace (the default): the target ends equal to the source, by",
            "difference: both sides are read and compared by key and value; then the",
            "target is backed up, only the items missing or different are written, and",
            "only the target's items the source lacks are deleted, last. The target is",
            "never emptied; an equal one is not touched. With a query selection, only the",
            "selected items are compared (other items are untouched).",
            "--mode merge: write every source item, overwriting same keys; delete nothing",
            "(--skip-unchanged: only the items missing or different).",
            "",
            "Deleting needs consent: a y/N question on a terminal, or --yes.",
            "A target marked protected = true in ~/.dynamo/config.toml is never written",
            "(exit 2 before anything is read) without --allow-protected-target NAME.",
            "",
            "Every copy keeps a checkpoint (--checkpoint) of what it has written. Ctrl-C",
            "stops it cleanly and prints the command that resumes it (the same command",
            "with --resume); a second Ctrl-C quits at once. The checkpoint only ever",
            "records written items, so --resume also continues a copy that was killed.",
            "",
        },
        exitCodeList = {
            "0:success",
            "1:runtime failure, items left in the dead-letter file, answered no,",
            "  :or --verify found differences",
            "2:usage error (bad option, unknown table, same table, no consent);",
            " :nothing was written",
            "130:interrupted (Ctrl-C)",
            "143:stopped by SIGTERM (kill), gracefully as on Ctrl-C",
        },
        // Every line fits in 80 columns, so picocli never wraps an example in the middle.
        footer = {
            "  dynamo copy -t Orders --source prod --target http://localhost:8000",
            "      replace the local Orders with prod's (asks first, backs up first)",
            "  dynamo copy -t Orders --source prod --target dev --mode merge",
            "  dynamo copy -t Orders --source prod --target dev --yes --backup file",
            "  dynamo copy -t Orders --source prod --target dev --create-table \\",
            "      --target-table Orders-copy --billing-mode on-demand",
            "  dynamo copy -t Orders --pk customer#42 --sk 2024- --source prod --target dev",
            "      copy one customer's 2024 orders; the target's other items stay",
            "  dynamo copy -t Orders -i byStatus --pk open --source prod --target dev",
            "  dynamo copy -t Orders --source prod --target dev --max-rcu 500 --dry-run",
            "  dynamo copy -t Orders --source prod --target dev --summary json --no-progress",
            "  dynamo copy -t Orders --source prod --target dev --verify",
            "      then compare the target with the source, as dynamo verify does",
            "  dynamo copy -t Orders --source prod --target dev --yes --resume",
            "      continue the copy that Ctrl-C (or a crash) stopped",
            "",
            "--pk, -i, --sk..., --where select items exactly as in dynamo query (see",
            "dynamo query --help); whole items are copied even from a KEYS_ONLY index.",
            "",
            "Backups (--backup) are made only when the target has items: auto tries an",
            "AWS backup (CreateBackup) and falls back to a file where the endpoint has none",
            "(local engines); file saves the items to DIR/TABLE-yyyyMMdd-HHmmss.jsonl.gz,",
            "one {\"Item\":{...}} of DynamoDB JSON per line (the format of DynamoDB's",
            "export to S3). Items that cannot be written go to a dead-letter file of the",
            "same lines, and the copy exits 1.",
            "",
            "Checkpoints live in ~/.dynamo/checkpoints/SOURCE-to-TARGET-HASH.json: JSON",
            "with the copy's tables, environments, mode, selection, segments and page size,",
            "its stage, its backup, and each segment's last written key; no credentials.",
            "A finished copy deletes its checkpoint. --resume refuses a checkpoint of",
            "another copy, and keeps the segment count of the copy it resumes. A running",
            "copy locks its checkpoint (CHECKPOINT.lock): a second run of the same copy is",
            "refused with exit 2.",
            "",
            "[API: DescribeTable, DescribeTimeToLive, Scan, Query, BatchGetItem,",
            " BatchWriteItem, CreateBackup, CreateTable, UpdateTimeToLive]",
        })
final class CopyCommand extends SourceTargetCommand implements Callable<Integer> {
    enum SummaryFormat { text, json }

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "replace",
            description = "replace or merge (see above). Default: ${DEFAULT-VALUE}.")
    CopyMode mode;

    @Option(names = "--rewrite-all",
            description = "Replace mode: write every source item, not only those that differ (to fire the target's "
                    + "Streams or triggers); the target is still never emptied.")
    boolean rewriteAll;

    @Option(names = "--skip-unchanged",
            description = "Merge mode: compare both sides first and write only the items missing from the target or "
                    + "different (replace mode always does).")
    boolean skipUnchanged;

    @Option(names = "--backup", paramLabel = "KIND",
            description = "How to back up a target that has items: auto, aws, file or none. Default: auto in replace "
                    + "mode, none in merge mode.")
    BackupMode backup;

    @Option(names = "--backup-dir", paramLabel = "DIR",
            description = "Where backup and dead-letter files go. Default: ~/.dynamo/backups.")
    Path backupDirectory;

    @Option(names = {"-y", "--yes"}, description = "Consent to deleting target items without being asked.")
    boolean yes;

    @Option(names = "--create-table",
            description = "Create a missing target from the source's definition: keys, GSIs, LSIs, billing mode, TTL.")
    boolean createTable;

    @Option(names = "--billing-mode", paramLabel = "MODE", converter = BillingModeOption.class,
            completionCandidates = BillingModeOption.Names.class,
            description = "For --create-table: on-demand, provisioned (the source's capacity) or provisioned:READ,WRITE.")
    BillingChoice billing;

    @Mixin
    BulkOptions bulk;

    // Listed after every option with an order (see OrderedOptionsHelp), as in every command: last but -h and -V.
    @Mixin
    VerbosityOptions verbosity;

    @Option(names = "--max-wcu", order = 60, paramLabel = "UNITS", converter = CapacityRate.Converter.class,
            description = "Write at most UNITS write capacity units per second.")
    CapacityRate maxWriteUnits;

    @Option(names = "--request-timeout", order = 80, paramLabel = "SECONDS", converter = TimeoutOption.class,
            defaultValue = "" + JobDefaults.REQUEST_TIMEOUT_MILLIS + "ms",
            description = "Abandon and retry one DynamoDB call that takes longer (e.g. 10, 2.5, 500ms). Default: 60.")
    Duration requestTimeout;

    @Option(names = "--dead-letter", order = 81, paramLabel = "FILE",
            description = "Where items that cannot be written go. Default: DIR/TARGET-yyyyMMdd-HHmmss.failed.jsonl.")
    Path deadLetterFile;

    @Option(names = "--checkpoint", order = 82, paramLabel = "FILE",
            description = "Where the copy keeps its checkpoint (see below). Default: a file in ~/.dynamo/checkpoints.")
    Path checkpointFile;

    @Option(names = "--resume", order = 83,
            description = "Continue a stopped copy from its checkpoint instead of starting anew; give the options it was started with.")
    boolean resume;

    @Option(names = "--dry-run", order = 84,
            description = "Show what would be read, backed up, deleted and written, and the capacity; change nothing. "
                    + "A replace (or --skip-unchanged) into a target with items reads and compares both sides for exact counts.")
    boolean dryRun;

    @Option(names = "--estimate", order = 84,
            description = "With --dry-run: estimate from DynamoDB's item counts (updated about every six hours) instead of "
                    + "reading both sides: at most every item written and every target item deleted.")
    boolean estimateOnly;

    @Option(names = "--verify", order = 85,
            description = "After the copy, compare the target with the source (as dynamo verify does); exit 1 if they differ.")
    boolean verify;

    @Option(names = "--allow-protected-target", order = 86, paramLabel = "NAME",
            description = "Write to a target that ~/.dynamo/config.toml marks protected = true; NAME must repeat its name.")
    String allowProtectedTarget;

    @Option(names = "--summary", order = 100, paramLabel = "FORMAT", defaultValue = "text",
            description = "text: one line on stderr; json: one JSON object on stdout instead (for scripts; errors still go to "
                    + "stderr). Default: ${DEFAULT-VALUE}.")
    SummaryFormat summary;

    @Override
    public Integer call() {
        // Reads are paced by the source's defaults, writes by the target's.
        EnvironmentDefaults.apply(spec, root.context().resolver(), environments.sourceSpec(), EnvironmentDefaults.Key.THREADS, EnvironmentDefaults.Key.MAX_RCU);
        EnvironmentDefaults.apply(spec, root.context().resolver(), environments.targetSpec(), EnvironmentDefaults.Key.MAX_WCU);
        CopyPlan plan = toPlan();
        Environment source = environments.source(root.context().resolver());
        Environment target = environments.target(root.context().resolver());
        target.checkWritable(allowProtectedTarget);
        if (!dryRun) {
            plan = plan.toBuilder()
                    .checkpointFile(checkpointFile != null ? checkpointFile.toAbsolutePath().normalize()
                            : CopyCheckpoint.defaultFile(root.context().resolver().home(), source, target, plan))
                    .resume(resume)
                    .build();
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            return copy(source, target, plan, out, err);
        } finally {
            // Only now, with the job closed (its checkpoint's lock released and the lock file deleted), may a SIGTERM's
            // shutdown hook let the JVM end: counted down earlier, the JVM ended before the close in 5 runs of 6 and left
            // the lock file behind.
            stopped.countDown();
        }
    }

    private int copy(Environment source, Environment target, CopyPlan plan, PrintWriter out, PrintWriter err) {
        try (CopyJob job = CopyJob.prepare(source, target, plan)) {
            CopyPreview preview = job.preview();
            preview.notes().forEach(note -> notice(err, note));
            if (dryRun) {
                CopyEstimate estimate = job.estimate(!estimateOnly);
                if (summary == SummaryFormat.json) {
                    out.println(CopyReportPrinter.dryRunJson(estimate));
                } else {
                    CopyReportPrinter.dryRunLines(estimate).forEach(out::println);
                }
                out.flush();
                return ExitCode.OK.code();
            }
            if (preview.deletes() && !yes) {
                CopyConsent.ask(preview, root.context(), err);
            }
            CopyStats stats;
            try {
                stats = runUntilStopped(job, plan, err);
            } catch (DynamoException e) {
                String resumeHint = job.resumableCheckpoint().isPresent() ? "; resume with: " + resumeCommand() : "";
                if (e.exitCode() == ExitCode.FAILURE && !resumeHint.isEmpty()) {
                    throw new DynamoException(ExitCode.FAILURE, e.getMessage() + resumeHint, e);
                }
                if (e.exitCode() != ExitCode.INTERRUPTED) {
                    throw e;
                }
                // Printed here, before the shutdown hook lets the JVM halt (see runUntilStopped).
                err.println("dynamo: " + e.getMessage() + resumeHint);
                err.flush();
                return ExitCode.INTERRUPTED.code();
            }
            boolean verifying = verify && stats.failed() == 0;
            if (summary == SummaryFormat.json && !verifying) { // with --verify, the JSON waits for the verification
                out.println(CopyReportPrinter.summaryJson(stats));
                out.flush();
            }
            if (!verbosity.quiet && summary != SummaryFormat.json) { // --summary json: the JSON alone, for scripts
                err.println(CopyReportPrinter.summaryLine(stats));
                err.flush();
            }
            if (stats.failed() > 0) {
                // 1 item could not be written; it is in /x/dead.jsonl (DynamoDB JSON lines, with the error of each)
                throw DynamoException.failure(Counts.items(stats.failed()) + " could not be written; "
                        + (stats.failed() == 1 ? "it is" : "they are") + " in " + stats.deadLetterFile()
                        + " (DynamoDB JSON lines, with the error of each)", null);
            }
            return verifying ? CopyVerification.run(this, plan.verifyPlan(preview.sourceSchema()), source, target, stats)
                    : ExitCode.OK.code();
        }
    }

    /** After Ctrl-C, how long the JVM waits for the copy to stop and report before it exits anyway. */
    static final long SHUTDOWN_WAIT_SECONDS = 10;

    /** Counted down once the copy has stopped, said so and closed its job: the shutdown hook waits for it. */
    private final CountDownLatch stopped = new CountDownLatch(1);

    /**
     * Runs the copy. The first Ctrl-C (SIGINT) stops it gracefully: no new reads, the batches being
     * written finish, the checkpoint is saved, and the message that ends the copy says what the
     * target holds and how to resume. A second Ctrl-C quits at once; the checkpoint, which only
     * ever records acknowledged writes, is still right. SIGTERM (and Ctrl-C where it cannot be
     * handled) starts the JVM's shutdown, whose hook stops the copy the same graceful way and
     * waits for it.
     */
    private CopyStats runUntilStopped(CopyJob job, CopyPlan plan, PrintWriter err) {
        Thread onShutdown = new Thread(() -> {
            job.stop();
            try {
                stopped.await(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "dynamo-copy-shutdown");
        Runtime.getRuntime().addShutdownHook(onShutdown);
        try (CtrlC ctrlC = CtrlC.install(() -> {
            String message = "stopping: the batches being written finish and the checkpoint is saved (Ctrl-C again to quit at once)";
            StatusLine line = progressLine;
            if (line != null) {
                line.notice(message);
            } else {
                notice(err, message);
            }
            job.stop();
        }, () -> {
            // dynamo: stopped at once by a second Ctrl-C; the checkpoint /home/me/.dynamo/checkpoints/... holds ...
            err.println();
            err.println("dynamo: stopped at once by a second Ctrl-C; the checkpoint " + plan.checkpointFile()
                    + " holds every write acknowledged until its last save; resume with: " + resumeCommand());
            err.flush();
            // The only exit outside Main: a second Ctrl-C must not wait for anything, not even the shutdown hooks.
            Runtime.getRuntime().halt(ExitCode.INTERRUPTED.code());
        })) {
            return run(job, err);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(onShutdown);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it waits for the countdown in call()
            }
        }
    }

    /**
     * The command that resumes this copy: the arguments it was given, shell-quoted, with
     * {@code --resume}, e.g. {@code dynamo copy -t Orders --pk 'customer#42' --source prod --target dev --resume}.
     */
    String resumeCommand() {
        return TransferRun.resumeCommand(root.context(), root.spec.commandLine().getParseResult().originalArgs());
    }

    private CopyStats run(CopyJob job, PrintWriter err) {
        if (!bulk.showsProgress(verbosity, root.context())) {
            return job.run(message -> notice(err, message));
        }
        try (StatusLine line = CopyProgressReporter.start(err, job::progress)) {
            progressLine = line;
            CopyListener listener = line::notice;
            return job.run(listener);
        } finally {
            progressLine = null;
        }
    }

    /** The progress line while one is drawn, for the Ctrl-C handler's notice (it runs on a thread of its own). */
    private volatile StatusLine progressLine;

    private void notice(PrintWriter err, String message) {
        if (!verbosity.quiet) {
            err.println(message);
            err.flush();
        }
    }

    CopyPlan toPlan() {
        environments.checkTableNames();
        CopyPlan.Builder plan = bulk.copyPlan(environments.table);
        if (verify && dryRun) {
            throw DynamoException.usage("--verify compares the target with the source after a copy, and --dry-run copies "
                    + "nothing: drop one of them");
        }
        if (billing != null && !createTable) {
            throw DynamoException.usage("--billing-mode sets the billing of a table the copy creates: add --create-table");
        }
        if (rewriteAll && skipUnchanged) {
            throw DynamoException.usage("--rewrite-all writes every item and --skip-unchanged only those that differ: drop one "
                    + "of them");
        }
        if (skipUnchanged && mode != CopyMode.MERGE) {
            throw DynamoException.usage("--skip-unchanged is for --mode merge: a replace always writes only what differs "
                    + "(--rewrite-all to write every item)");
        }
        if (rewriteAll && mode != CopyMode.REPLACE) {
            throw DynamoException.usage("--rewrite-all is for --mode replace: a merge writes every item already");
        }
        if (estimateOnly && !dryRun) {
            throw DynamoException.usage("--estimate changes what --dry-run reads: add --dry-run");
        }
        if (resume && dryRun) {
            throw DynamoException.usage("--dry-run shows a whole copy; it does not combine with --resume");
        }
        return plan.targetTable(environments.targetTable)
                .mode(mode)
                .backup(backup)
                .backupDirectory(backupDirectory != null ? backupDirectory
                        : root.context().resolver().home().resolve(".dynamo").resolve("backups"))
                .createTable(createTable)
                .billing(billing)
                .maxWriteUnitsPerSecond(maxWriteUnits == null ? 0 : maxWriteUnits.unitsPerSecond())
                .deadLetterFile(deadLetterFile)
                .requestTimeout(requestTimeout)
                .rewriteAll(rewriteAll)
                .skipUnchanged(skipUnchanged)
                .program(root.context().program())
                .build();
    }
}
