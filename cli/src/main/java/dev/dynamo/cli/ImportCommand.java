package dev.dynamo.cli;

import dev.dynamo.Counts;
import dev.dynamo.DynamoException;
import dev.dynamo.ExitCode;
import dev.dynamo.copy.BackupMode;
import dev.dynamo.copy.BillingChoice;
import dev.dynamo.copy.CopyMode;
import dev.dynamo.env.Environment;
import dev.dynamo.output.TransferReportPrinter;
import dev.dynamo.pipeline.JobDefaults;
import dev.dynamo.transfer.ImportJob;
import dev.dynamo.transfer.ImportPlan;
import dev.dynamo.transfer.ImportStats;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code dynamo import}: exports (DynamoDB's own or dynamo's), data files and copy's backups into a table. */
@Command(name = "import",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        usageHelpAutoWidth = true,
        sortOptions = false,
        description = {
            "Import an export, a data file or a backup into an existing (or new) table.",
            "",
            "SRC is an export's folder (…/AWSDynamoDB/ID), a prefix holding one export, a",
            "data file (.json, .json.gz, .ion, .ion.gz) or a backup file copy wrote, local",
            "or on s3://. Exports written by DynamoDB's Export to S3 (DynamoDB JSON or Ion,",
            "full or incremental) and by dynamo export are read the same way.",
            "",
            "Before anything is written, every data file is read whole: its MD5 and item",
            "count must match the manifest and every line must be a record; a damaged",
            "file stops the import with nothing written.",
            "",
            "--mode merge (the default): put every item, overwriting same keys; delete",
            "nothing, except what an incremental export deletes.",
            "--mode replace: the table ends holding exactly the import's items: it is",
            "backed up first (--backup), then every item is put, then its other items",
            "are deleted, last. Deleting needs consent (a y/N question, or --yes).",
            "",
            "Incremental exports (several --from, oldest first) are applied in turn:",
            "a record with a NewImage is put, one without is a delete.",
            "",
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:runtime failure, a damaged data file (nothing written), items left in",
            "  :the dead-letter file, or answered no",
            "2:usage error (bad option, no export at SRC, unfinished export, unknown",
            " :table, keys that differ, no consent); nothing was written",
            "130:interrupted (Ctrl-C); 143: stopped by SIGTERM, as on Ctrl-C",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  dynamo import -t Orders -e dev --from s3://backups/orders",
            "  dynamo import -t Orders -e dev --from ./orders/AWSDynamoDB/01764...-1a2b3c4d",
            "  dynamo import -t Orders-copy -e dev --from ./orders --create-table",
            "  dynamo import -t Orders -e dev --from s3://b/full --from s3://b/incr1 \\",
            "      --from s3://b/incr2      a full export, then two incremental ones",
            "  dynamo import -t Orders -e dev --mode replace --yes \\",
            "      --from ~/.dynamo/backups/Orders-20261201-101500.jsonl.gz",
            "      restore the backup a replace copy made",
            "",
            "[API: DescribeTable, CreateTable, UpdateTimeToLive, Scan, BatchWriteItem;",
            " S3: ListObjectsV2, GetObject]",
        })
final class ImportCommand implements Callable<Integer> {
    enum SummaryFormat { text, json }

    @ParentCommand
    DynamoCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = {"-t", "--table"}, required = true, paramLabel = "TABLE", preprocessor = AttachedTableName.class,
            description = "The table to write.")
    String table;

    @Option(names = "--from", required = true, paramLabel = "SRC",
            description = "What to import (see above); repeat for several, applied in the order given.")
    List<String> sources;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "merge",
            description = "merge or replace (see above). Default: ${DEFAULT-VALUE}.")
    CopyMode mode;

    @Option(names = {"-y", "--yes"}, description = "Consent to deleting the table's items without being asked.")
    boolean yes;

    @Option(names = "--allow-protected-target", paramLabel = "NAME",
            description = "Write to an environment that ~/.dynamo/config.toml marks protected = true; NAME must repeat its "
                    + "name.")
    String allowProtectedTarget;

    @Option(names = "--create-table",
            description = "Create a missing table from the definition dynamo's export keeps (dynamo-table.json).")
    boolean createTable;

    @Option(names = "--billing-mode", paramLabel = "MODE", converter = BillingModeOption.class,
            completionCandidates = BillingModeOption.Names.class,
            description = "For --create-table: on-demand, provisioned (the exported table's capacity) or provisioned:READ,WRITE.")
    BillingChoice billing;

    @Option(names = "--backup", paramLabel = "KIND", defaultValue = "file",
            description = "Replace mode: file (back up a table that has items first) or none. Default: ${DEFAULT-VALUE}.")
    String backup;

    @Option(names = "--backup-dir", paramLabel = "DIR",
            description = "Where backup and dead-letter files go. Default: ~/.dynamo/backups.")
    Path backupDirectory;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "" + JobDefaults.THREADS,
            description = "Data files read at once, and writer threads. Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(names = "--page-size", paramLabel = "N", defaultValue = "" + JobDefaults.PAGE_SIZE_ITEMS,
            description = "Records handed to a writer at once. Default: ${DEFAULT-VALUE}.")
    int pageSize;

    @Option(names = "--max-wcu", paramLabel = "UNITS", converter = CapacityRate.Converter.class,
            description = "Write at most UNITS write capacity units per second.")
    CapacityRate maxWriteUnits;

    @Option(names = "--max-rcu", paramLabel = "UNITS", converter = CapacityRate.Converter.class,
            description = "Replace mode: read the table's keys at most this fast.")
    CapacityRate maxReadUnits;

    @Option(names = "--max-retries", paramLabel = "N", defaultValue = "" + JobDefaults.MAX_RETRIES,
            description = "Retries of a throttled or failed request before its items are dead-lettered. Default: ${DEFAULT-VALUE}.")
    int maxRetries;

    @Option(names = "--request-timeout", paramLabel = "SECONDS", converter = TimeoutOption.class,
            defaultValue = "" + JobDefaults.REQUEST_TIMEOUT_MILLIS + "ms",
            description = "Abandon and retry one DynamoDB call that takes longer (e.g. 10, 2.5, 500ms). Default: 60.")
    Duration requestTimeout;

    @Option(names = "--dead-letter", paramLabel = "FILE",
            description = "Where items that cannot be written go. Default: DIR/TABLE-yyyyMMdd-HHmmss.failed.jsonl.")
    Path deadLetterFile;

    @Option(names = "--checkpoint", paramLabel = "FILE",
            description = "Where the import keeps its checkpoint. Default: a file in ~/.dynamo/checkpoints.")
    Path checkpointFile;

    @Option(names = "--resume", description = "Continue a stopped import (same options) instead of starting anew.")
    boolean resume;

    @Option(names = "--dry-run", description = "Read the manifests and show what would be imported; write nothing.")
    boolean dryRun;

    @Mixin
    S3Options s3;

    @Option(names = "--no-progress", description = "No live progress line (there is none when stderr is not a terminal).")
    boolean noProgress;

    @Option(names = "--summary", paramLabel = "FORMAT", defaultValue = "text",
            description = "text: one line on stderr; json: one JSON object on stdout instead. Default: ${DEFAULT-VALUE}.")
    SummaryFormat summary;

    @Mixin
    VerbosityOptions verbosity;

    @Override
    public Integer call() {
        EnvironmentDefaults.apply(spec, root.context().resolver(), connection.toSpec(), EnvironmentDefaults.Key.THREADS, EnvironmentDefaults.Key.MAX_RCU,
                EnvironmentDefaults.Key.MAX_WCU);
        ImportPlan plan = toPlan();
        Environment environment = root.context().resolver().resolve(connection.toSpec());
        environment.checkWritable(allowProtectedTarget);
        if (!dryRun) {
            plan = toBuilder().checkpointFile(checkpointFile != null ? checkpointFile.toAbsolutePath().normalize()
                    : ImportJob.defaultCheckpoint(root.context().resolver().home(), environment, plan)).build();
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        TransferRun runner = new TransferRun();
        try (ImportJob job = ImportJob.prepare(environment, plan)) {
            if (dryRun) {
                long records = job.expectedRecords();
                out.println(String.format(Locale.ROOT, "Import into %s%s, %s mode: %s records from:", job.describeTable(),
                        job.createsTable() ? " (created first)" : "", mode.name().toLowerCase(Locale.ROOT),
                        records < 0 ? "an unknown number of" : String.format(Locale.ROOT, "%,d", records)));
                job.describeSources().forEach(source -> out.println("  " + source));
                if (mode == CopyMode.REPLACE) {
                    out.println("then the table's items the import lacks would be deleted (after a backup: --backup " + backup + ")");
                }
                out.println("Nothing was written (the data files are checked against their manifests when the import runs).");
                out.flush();
                return ExitCode.OK.code();
            }
            if (job.deletes() && plan.mode() == CopyMode.REPLACE && !yes) {
                CopyConsent.askForImport("delete the items of " + job.describeTable() + " that the import lacks", root.context(), err);
            }
            ImportStats stats = runner.run("import", err, !noProgress && !verbosity.quiet && root.context().terminal().stderr(),
                    verbosity.quiet, job::progress, job::stop, notice -> job.run(notice::accept),
                    TransferRun.resumeCommand(root.context(), root.spec.commandLine().getParseResult().originalArgs()));
            if (summary == SummaryFormat.json) {
                out.println(TransferReportPrinter.importJson(stats));
                out.flush();
            } else if (!verbosity.quiet) {
                err.println(TransferReportPrinter.importLine(stats));
                err.flush();
            }
            if (stats.failed() > 0) {
                // 1 item could not be written; it is in /x/dead.jsonl (DynamoDB JSON lines, with the error of each)
                throw DynamoException.failure(Counts.items(stats.failed()) + " could not be written; "
                        + (stats.failed() == 1 ? "it is" : "they are") + " in " + stats.deadLetterFile()
                        + " (DynamoDB JSON lines, with the error of each)", null);
            }
            return ExitCode.OK.code();
        } finally {
            runner.closed();
        }
    }

    private ImportPlan toPlan() {
        if (threads < 1 || threads > BulkOptions.MAX_THREADS) {
            throw DynamoException.usage("--threads must be 1 to " + BulkOptions.MAX_THREADS + ", not " + threads);
        }
        if (pageSize < 1) {
            throw DynamoException.usage("--page-size must be a positive number of records, not " + pageSize);
        }
        if (maxRetries < 0) {
            throw DynamoException.usage("--max-retries must be 0 or more, not " + maxRetries);
        }
        if (billing != null && !createTable) {
            throw DynamoException.usage("--billing-mode sets the billing of a table the import creates: add --create-table");
        }
        if (resume && dryRun) {
            throw DynamoException.usage("--dry-run shows a whole import; it does not combine with --resume");
        }
        if (!backup.equals("file") && !backup.equals("none")) {
            throw DynamoException.usage("--backup must be file or none for an import, not '" + backup + "'");
        }
        // Without its checkpoint file a plan cannot resume: the default file is named after this plan.
        return toBuilder().resume(false).build();
    }

    private ImportPlan.Builder toBuilder() {
        return ImportPlan.builder(table, sources, backupDirectory != null ? backupDirectory
                        : root.context().resolver().home().resolve(".dynamo").resolve("backups"))
                .mode(mode).createTable(createTable).billing(billing).backup(backup.equals("none") ? BackupMode.NONE : BackupMode.FILE)
                .deadLetterFile(deadLetterFile).threads(threads).pageSize(pageSize)
                .maxWriteUnitsPerSecond(maxWriteUnits == null ? 0 : maxWriteUnits.unitsPerSecond())
                .maxReadUnitsPerSecond(maxReadUnits == null ? 0 : maxReadUnits.unitsPerSecond()).maxRetries(maxRetries)
                .s3(s3.toSettings()).resume(resume).requestTimeout(requestTimeout);
    }
}
