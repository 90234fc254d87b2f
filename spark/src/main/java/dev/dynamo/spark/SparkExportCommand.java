package dev.dynamo.spark;

import dev.dynamo.DynamoException;
import dev.dynamo.ExitCode;
import dev.dynamo.items.ExportFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code dynamo-spark export}: the command line's export of a whole table, as a Spark job. */
@Command(name = "export", mixinStandardHelpOptions = true, resourceBundle = "dev.dynamo.spark.SparkOptions",
        header = "Export a table to a local folder or S3 as a Spark job.",
        description = {
            "The files are those of dynamo export, in the layout of DynamoDB's own Export",
            "to S3: DEST/AWSDynamoDB/ID/ holds _started, dynamo-table.json, data/*.json.gz",
            "(DynamoDB JSON) or data/*.ion.gz (Ion), manifest-files.json and, written last,",
            "manifest-summary.json. dynamo import, AWS's Import from S3, Athena and Glue",
            "read them.",
            "",
            "The table's parallel scan is divided into segments, one Spark task each, many",
            "more than task slots. Each task writes its segment's data files straight to",
            "DEST and reports them to the driver; the driver deletes the files of failed or",
            "repeated task attempts, checks that the files reported are there, and writes",
            "the manifests: each item is in the export exactly once. --max-rcu holds for",
            "the whole job.",
            "",
            "The checkpoint (a directory, or s3://) records the export's id and each",
            "finished segment's files; after a failed or killed driver, --resume continues",
            "the same export (same id and folder) and reads only the other segments. Two",
            "jobs cannot hold one checkpoint at once. A finished export removes it.",
            "",
            "A selection (--pk, --index, --where) is one Query, one task's work: export it",
            "with dynamo export.",
            "",
        },
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {
            "0:success: the export is complete (its manifest-summary.json is written)",
            "1:runtime failure (DynamoDB, S3, disk, a task failed after Spark's retries)",
            "2:usage error (bad option, unknown table, bucket not found)",
            "130:interrupted",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  spark-submit --class dev.dynamo.spark.DynamoSpark dynamo-spark.jar export \\",
            "      -t Orders -e prod --to s3://backups/orders --max-rcu 2000",
            "  ./dynamo-spark --master 'local[4]' export -t Orders \\",
            "      -e http://localhost:8000 --to ./orders --format ion",
            "",
            "[API: DescribeTable, DescribeTimeToLive, Scan; S3: PutObject,",
            " CreateMultipartUpload, UploadPart, CompleteMultipartUpload, ListObjectsV2,",
            " DeleteObject]",
        })
final class SparkExportCommand implements Callable<Integer> {
    /** {@code ddb-json} or {@code ion}, as the command line's export reads them. */
    static final class FormatConverter implements ITypeConverter<ExportFormat> {
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
    DynamoSpark.Root root;

    @Mixin
    SparkEnvironmentOptions table;

    @Mixin
    SparkScanOptions scan;

    @Mixin
    SparkJobOptions job;

    @Option(names = "--to", required = true, paramLabel = "DEST",
            description = "A local folder or s3://bucket/prefix; the export goes to DEST/AWSDynamoDB/ID/. A local folder must be "
                    + "one every executor reaches at that path (a local master, or a shared file system).")
    String destination;

    @Option(names = "--format", paramLabel = "FORMAT", converter = FormatConverter.class, defaultValue = "ddb-json",
            description = "ddb-json (DynamoDB JSON) or ion (Amazon Ion text). Default: ${DEFAULT-VALUE}.")
    ExportFormat format;

    @Option(names = "--file-size", paramLabel = "MIB", defaultValue = "128",
            description = "Start a new data file past MIB mebibytes of items (before gzip). Default: ${DEFAULT-VALUE}.")
    long fileSizeMib;

    @Option(names = "--checkpoint", paramLabel = "DIR|S3URL",
            description = "The job's checkpoint: a directory the driver can read, or s3://bucket/prefix. "
                    + "Default: a directory in ~/.dynamo/checkpoints.")
    String checkpoint;

    @Option(names = "--resume", description = "Continue the export of the checkpoint (same options): only its unfinished segments.")
    boolean resume;

    @Mixin
    SparkS3Options s3;

    // The command line's selection: refused with one line rather than as unknown options.
    @Option(names = {"--pk", "-pk"}, hidden = true)
    String partitionKey;

    @Option(names = {"-i", "--index"}, hidden = true)
    String index;

    @Option(names = "--where", hidden = true)
    List<String> where;

    @Override
    public Integer call() throws InterruptedException {
        check(partitionKey == null && index == null && where == null, "a selection (--pk, --index, --where) is one Query, which one "
                + "task would read: Spark adds nothing to it; export it with dynamo export");
        scan.check();
        job.check();
        check(scan.maxReadUnits >= 0, "--max-rcu must be positive");
        check(fileSizeMib >= 1, "--file-size must be at least 1 (MiB), not " + fileSizeMib);
        SparkExportPlan plan = SparkExportPlan.builder().environment(table.spec())
                .table(table.table).destination(destination).s3(s3.description()).format(format).maxFileBytes(fileSizeMib << 20)
                .segments(scan.segments).pageSize(job.pageSize).maxRetries(job.maxRetries).requestTimeoutMillis(job.requestTimeoutMillis())
                .consistent(scan.consistent).maxReadUnits(scan.maxReadUnits).checkpoint(checkpoint).resume(resume).build();
        SparkExportStats stats = new SparkExportJob(root.spark(), plan, root.resolver(), root.err(), job.progressMillis(root)).run();
        if (job.json()) {
            root.out().println(stats.json());
            root.out().flush();
        } else {
            root.err().println("dynamo: " + stats.text());
        }
        return ExitCode.OK.code();
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw DynamoException.usage(message);
        }
    }
}
