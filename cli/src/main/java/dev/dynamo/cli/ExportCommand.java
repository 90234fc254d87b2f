package dev.dynamo.cli;

import dev.dynamo.Counts;
import dev.dynamo.DynamoException;
import dev.dynamo.ExitCode;
import dev.dynamo.env.Environment;
import dev.dynamo.items.ExportFormat;
import dev.dynamo.output.CopyReportPrinter;
import dev.dynamo.output.TransferReportPrinter;
import dev.dynamo.pipeline.JobDefaults;
import dev.dynamo.transfer.ExportJob;
import dev.dynamo.transfer.ExportPlan;
import dev.dynamo.transfer.ExportStats;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code dynamo export}: a table, or the items a query selects, to a folder or S3 in the layout of DynamoDB's export to S3. */
@Command(name = "export",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        usageHelpAutoWidth = true,
        sortOptions = false,
        resourceBundle = "dev.dynamo.cli.SharedOptions",
        description = {
            "Export a table, or the items a query selects, to a local folder or S3.",
            "",
            "The files have the layout of DynamoDB's own Export to S3, so AWS's Import from",
            "S3, Athena, Glue and dynamo import read them: DEST/AWSDynamoDB/ID/ holds",
            "_started, data/*.json.gz (DynamoDB JSON) or data/*.ion.gz (Ion), one item a",
            "line, manifest-files.json (each file's item count and MD5), dynamo-table.json",
            "(the table's keys and indexes, for import --create-table) and, written last,",
            "manifest-summary.json: a folder without it is an export that did not finish.",
            "",
            "A parallel scan writes one data file per segment (more past --file-size).",
            "Ctrl-C stops it cleanly; --resume keeps every finished data file and reads",
            "the rest again.",
            "",
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success: the export is complete (its manifest-summary.json is written)",
            "1:runtime failure (DynamoDB, S3, disk)",
            "2:usage error (bad option, unknown table or index, bucket not found)",
            "130:interrupted (Ctrl-C); 143: stopped by SIGTERM, as on Ctrl-C",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  dynamo export -t Orders -e prod --to s3://backups/orders",
            "  dynamo export -t Orders -e prod --to ./orders --format ion",
            "  dynamo export -t Orders -e prod --pk customer#42 --to ./one-customer",
            "  dynamo export -t Orders -e prod --to s3://b/p --s3-profile archive",
            "  dynamo export -t Orders -e prod --to ./orders --resume",
            "",
            "--pk, -i, --sk..., --where select items exactly as in dynamo query (see",
            "dynamo query --help); whole items are exported even from a KEYS_ONLY index.",
            "",
            "[API: DescribeTable, DescribeTimeToLive, Scan, Query, BatchGetItem;",
            " S3: PutObject, CreateMultipartUpload, UploadPart, CompleteMultipartUpload]",
        })
final class ExportCommand implements Callable<Integer> {
    enum SummaryFormat { text, json }

    /** {@code ddb-json} or {@code ion}. */
    static final class FormatConverter implements ITypeConverter<ExportFormat> {
        /** The names completion proposes, as the help spells them. */
        static final class Names extends java.util.ArrayList<String> {
            Names() {
                super(java.util.List.of("ddb-json", "ion"));
            }
        }

        @Override
        public ExportFormat convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "ddb-json", "dynamodb_json", "dynamodb-json", "json" -> ExportFormat.DYNAMODB_JSON;
                case "ion" -> ExportFormat.ION;
                default -> throw DynamoException.usage("--format must be ddb-json or ion, not '" + value + "'");
            };
        }
    }

    @ParentCommand
    DynamoCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = {"-t", "--table"}, required = true, paramLabel = "TABLE", preprocessor = AttachedTableName.class,
            description = "The table to export.")
    String table;

    @Option(names = "--to", required = true, paramLabel = "DEST",
            description = "A local folder or s3://bucket/prefix; the export goes to DEST/AWSDynamoDB/ID/.")
    String destination;

    @Option(names = "--format", paramLabel = "FORMAT", converter = FormatConverter.class, defaultValue = "ddb-json",
            completionCandidates = FormatConverter.Names.class,
            description = "ddb-json (DynamoDB JSON) or ion (Amazon Ion text). Default: ${DEFAULT-VALUE}.")
    ExportFormat format;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    BulkOptions bulk;

    @Mixin
    VerbosityOptions verbosity;

    @Option(names = "--file-size", order = 60, paramLabel = "MIB", defaultValue = "128",
            description = "Start a new data file past MIB mebibytes of items (before gzip). Default: ${DEFAULT-VALUE}.")
    long fileSizeMib;

    @Option(names = "--request-timeout", order = 80, paramLabel = "SECONDS", converter = TimeoutOption.class,
            defaultValue = "" + JobDefaults.REQUEST_TIMEOUT_MILLIS + "ms",
            description = "Abandon and retry one DynamoDB call that takes longer (e.g. 10, 2.5, 500ms). Default: 60.")
    Duration requestTimeout;

    @Option(names = "--checkpoint", order = 82, paramLabel = "FILE",
            description = "Where the export keeps its checkpoint. Default: a file in ~/.dynamo/checkpoints.")
    Path checkpointFile;

    @Option(names = "--resume", order = 83, description = "Continue a stopped export (same options) instead of starting anew.")
    boolean resume;

    @Option(names = "--dry-run", order = 84, description = "Show what would be read and written; read no items, write nothing.")
    boolean dryRun;

    @Mixin
    S3Options s3;

    @Option(names = "--summary", order = 100, paramLabel = "FORMAT", defaultValue = "text",
            description = "text: one line on stderr; json: one JSON object on stdout instead. Default: ${DEFAULT-VALUE}.")
    SummaryFormat summary;

    @Override
    public Integer call() {
        EnvironmentDefaults.apply(spec, root.context().resolver(), connection.toSpec(), EnvironmentDefaults.Key.THREADS, EnvironmentDefaults.Key.MAX_RCU);
        if (fileSizeMib < 1) {
            throw DynamoException.usage("--file-size must be at least 1 (MiB), not " + fileSizeMib);
        }
        if (resume && dryRun) {
            throw DynamoException.usage("--dry-run shows a whole export; it does not combine with --resume");
        }
        Environment environment = root.context().resolver().resolve(connection.toSpec());
        ExportPlan.Builder builder = bulk.exportPlan(table, destination).format(format).s3(s3.toSettings())
                .maxFileBytes(fileSizeMib << 20).requestTimeout(requestTimeout);
        // Without its checkpoint file a plan cannot resume: the default file is named after the plan built first.
        ExportPlan plan = builder.build();
        if (!dryRun) {
            plan = builder.checkpointFile(checkpointFile != null ? checkpointFile.toAbsolutePath().normalize()
                    : ExportJob.defaultCheckpoint(root.context().resolver().home(), environment, plan)).resume(resume).build();
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        TransferRun runner = new TransferRun();
        try (ExportJob job = ExportJob.prepare(environment, plan)) {
            if (dryRun) {
                out.println(String.format(Locale.ROOT, "Export %s to %s/AWSDynamoDB/ID/ as %s: about %s (%s), %s, "
                        + "about %,.0f read units; nothing was read or written.", job.describeTable(), job.destination(),
                        format.awsName(), Counts.items(job.schema().itemCount()), CopyReportPrinter.bytes(job.schema().sizeBytes()),
                        plan.selection() == null ? job.segments() + " scan segments" : "one query",
                        job.estimatedReadUnits()));
                out.flush();
                return ExitCode.OK.code();
            }
            ExportStats stats = runner.run("export", err, bulk.showsProgress(verbosity, root.context()), verbosity.quiet,
                    job::progress, job::stop, notice -> job.run(),
                    TransferRun.resumeCommand(root.context(), root.spec.commandLine().getParseResult().originalArgs()));
            if (summary == SummaryFormat.json) {
                out.println(TransferReportPrinter.exportJson(stats));
                out.flush();
            } else if (!verbosity.quiet) {
                err.println(TransferReportPrinter.exportLine(stats));
                err.flush();
            }
            return ExitCode.OK.code();
        } finally {
            runner.closed();
        }
    }
}
