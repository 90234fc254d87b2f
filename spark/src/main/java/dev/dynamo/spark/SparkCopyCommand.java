package dev.dynamo.spark;

import dev.dynamo.DynamoException;
import dev.dynamo.ExitCode;
import dev.dynamo.copy.CopyMode;
import dev.dynamo.env.EnvironmentSpec;
import dev.dynamo.pipeline.JobDefaults;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code dynamo-spark copy}: the command line's copy, as a Spark job. */
@Command(name = "copy", mixinStandardHelpOptions = true,
        header = "Copy a table to another environment as a Spark job.",
        description = {
            "The source's parallel scan is divided into segments, one Spark task each, many",
            "more than task slots, so that a slot that finishes early takes the next one.",
            "",
            "--mode merge: write every source item, overwriting same keys; delete nothing.",
            "--mode replace (the default, as in dynamo copy): into an empty or new target,",
            "the same as merge. Into a target with items, by difference, never emptying",
            "it: both tables' segments are tasks that turn each item into its key and a",
            "digest, Spark's shuffle matches the keys, and each partition then puts only",
            "the items missing from the target or different (read again from the source",
            "by key) and deletes only the keys the source lacks. A target already equal",
            "is not touched. A rerun, or --resume, compares again and does only what",
            "still differs. Deleting needs consent: --yes (exit 2 without it). No backup",
            "is made on Spark: back the target up first if you may need it.",
            "",
            "--max-rcu and --max-wcu hold for the whole job: the driver splits them among",
            "the tasks running. Items that cannot be written go to one dead-letter file",
            "per segment (in a directory, or on S3), and the job exits 1.",
            "",
            "The checkpoint (a directory, or s3://bucket/prefix) records each finished",
            "segment as its task reports it, and, every few seconds, how far each running",
            "segment is written; after a failed or killed driver, --resume copies only the",
            "unfinished segments, each from where it stood (a few seconds' items may be",
            "written again: the same puts). --resume refuses a checkpoint of another copy",
            "(source, target, tables, mode) and keeps the segment count of the copy it",
            "resumes. A second job on a checkpoint in use is refused (exit 2); a killed",
            "driver's lock on S3 expires a minute after its last heartbeat. A finished",
            "copy removes its checkpoint.",
            "",
        },
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {
            "0:success",
            "1:runtime failure, or items left in dead-letter files",
            "2:usage error (bad option, unknown table, same table, no consent);",
            " :nothing was written",
            "130:interrupted",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  spark-submit --class dev.dynamo.spark.DynamoSpark dynamo-spark.jar copy \\",
            "      -t Orders --source prod --target dev --mode merge --max-wcu 2000",
            "  ./dynamo-spark --master 'local[4]' copy -t Orders --source prod \\",
            "      --target http://localhost:8000 --create-table",
            "",
            "  ./dynamo-spark copy -t Orders --source prod --target dev \\",
            "      --checkpoint s3://jobs/orders-copy --dead-letter s3://jobs/orders-failed",
            "",
            "[API: DescribeTable, DescribeTimeToLive, Scan, BatchGetItem, BatchWriteItem,",
            " CreateTable, UpdateTimeToLive; S3 (s3:// checkpoint, dead letters):",
            " PutObject, GetObject, HeadObject, ListObjectsV2, DeleteObject]",
        })
final class SparkCopyCommand implements Callable<Integer> {
    enum SummaryFormat { text, json }

    @ParentCommand
    DynamoSpark.Root root;

    @Option(names = {"-t", "--table"}, required = true, paramLabel = "TABLE", description = "The table to copy.")
    String table;

    @Option(names = {"--source", "--src", "-src"}, required = true, paramLabel = "ENV",
            description = "Where to read: an environment named in the environments file, an AWS profile or an endpoint URL.")
    String source;

    @Option(names = {"--target", "--dst", "-tgt"}, required = true, paramLabel = "ENV", description = "Where to write.")
    String target;

    @Option(names = "--source-profile", paramLabel = "NAME", description = "AWS profile for the source.")
    String sourceProfile;

    @Option(names = "--source-region", paramLabel = "REGION", description = "Region of the source.")
    String sourceRegion;

    @Option(names = "--source-endpoint-url", paramLabel = "URL", description = "Endpoint of the source.")
    String sourceEndpointUrl;

    @Option(names = "--target-profile", paramLabel = "NAME", description = "AWS profile for the target.")
    String targetProfile;

    @Option(names = "--target-region", paramLabel = "REGION", description = "Region of the target.")
    String targetRegion;

    @Option(names = "--target-endpoint-url", paramLabel = "URL", description = "Endpoint of the target.")
    String targetEndpointUrl;

    @Option(names = "--target-table", paramLabel = "NAME", description = "The table written. Default: the source's name.")
    String targetTable;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "replace", converter = ModeConverter.class,
            description = "replace or merge (see above). Default: ${DEFAULT-VALUE}.")
    CopyMode mode;

    @Option(names = "--create-table", description = "Create a missing target from the source's definition: keys, indexes, billing mode, TTL.")
    boolean createTable;

    @Option(names = "--consistent", description = "Strongly consistent reads.")
    boolean consistent;

    @Option(names = "--segments", paramLabel = "N",
            description = "Scan segments, one Spark task each. Default: 4 per task slot, or one per 128 MiB of table if more.")
    int segments;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "4", description = "Writer threads in each task. Default: ${DEFAULT-VALUE}.")
    int writers;

    @Option(names = "--page-size", paramLabel = "N", defaultValue = "" + JobDefaults.PAGE_SIZE_ITEMS,
            description = "Items per Scan page. Default: ${DEFAULT-VALUE}.")
    int pageSize;

    @Option(names = "--max-rcu", paramLabel = "UNITS", description = "Read at most UNITS read capacity units per second, the whole job.")
    double maxReadUnits;

    @Option(names = "--max-wcu", paramLabel = "UNITS", description = "Write at most UNITS write capacity units per second, the whole job.")
    double maxWriteUnits;

    @Option(names = "--max-retries", paramLabel = "N", defaultValue = "" + JobDefaults.MAX_RETRIES,
            description = "Retries of one call before its items go to the dead-letter file. Default: ${DEFAULT-VALUE}.")
    int maxRetries;

    @Option(names = "--request-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "Abandon and retry one DynamoDB call that takes longer. Default: ${DEFAULT-VALUE}.")
    double requestTimeoutSeconds;

    @Option(names = "--dead-letter", paramLabel = "DIR|S3URL",
            description = "Where items that cannot be written go, one file per segment: s3://bucket/prefix, or a "
                    + "directory on each executor. Default: ~/.dynamo/dead-letters.")
    String deadLetters;

    @Option(names = "--checkpoint", paramLabel = "DIR|S3URL",
            description = "Where the job's checkpoint is: s3://bucket/prefix, or a directory the driver can read "
                    + "(default: one in ~/.dynamo/checkpoints).")
    String checkpoint;

    @Option(names = "--resume", description = "Continue the job of the checkpoint: only its unfinished segments are copied.")
    boolean resume;

    @Mixin
    SparkS3Options s3 = new SparkS3Options();

    @Option(names = "--allow-protected-target", paramLabel = "NAME",
            description = "Write to a target that ~/.dynamo/config.toml marks protected = true; NAME must repeat its name.")
    String allowProtectedTarget;

    @Option(names = {"-y", "--yes"}, description = "Consent to deleting target items (a replace by difference).")
    boolean yes;

    @Option(names = "--no-progress", description = "No progress lines on stderr.")
    boolean noProgress;

    @Option(names = "--summary", paramLabel = "FORMAT", defaultValue = "text",
            description = "text: one line on stderr; json: one JSON object on stdout. Default: ${DEFAULT-VALUE}.")
    SummaryFormat summary;

    /** picocli's enum converter, in lower case: {@code merge}, {@code replace}. */
    static final class ModeConverter implements picocli.CommandLine.ITypeConverter<CopyMode> {
        @Override
        public CopyMode convert(String value) {
            try {
                return CopyMode.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not a mode: replace or merge");
            }
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        check(segments >= 0, "--segments must be 1 or more");
        check(writers >= 1 && writers <= 64, "--threads must be 1 to 64");
        check(pageSize >= 1 && pageSize <= 10_000, "--page-size must be 1 to 10000");
        check(maxReadUnits >= 0 && maxWriteUnits >= 0, "--max-rcu and --max-wcu must be positive");
        check(maxRetries >= 0, "--max-retries must be 0 or more");
        check(requestTimeoutSeconds > 0, "--request-timeout must be positive");
        SparkCopyPlan plan = SparkCopyPlan.builder()
                .source(new EnvironmentSpec(source, sourceProfile, sourceRegion, sourceEndpointUrl))
                .target(new EnvironmentSpec(target, targetProfile, targetRegion, targetEndpointUrl))
                .sourceTable(table).targetTable(targetTable != null ? targetTable : table).mode(mode).createTable(createTable)
                .segments(segments).pageSize(pageSize).writers(writers).maxRetries(maxRetries)
                .requestTimeoutMillis((long) (requestTimeoutSeconds * 1000)).consistent(consistent).maxReadUnits(maxReadUnits)
                .maxWriteUnits(maxWriteUnits).checkpoint(checkpoint).resume(resume).deadLetters(deadLetters)
                .s3(s3.description())
                .allowProtectedTarget(allowProtectedTarget).yes(yes).build();
        SparkCopyStats stats = new SparkCopyJob(root.spark(), plan, root.resolver(), root.err(), noProgress ? 0 : root.progressMillis()).run();
        if (summary == SummaryFormat.json) {
            root.out().println(SparkCopySummary.json(stats));
            root.out().flush();
        } else {
            root.err().println("dynamo: " + SparkCopySummary.text(stats));
        }
        if (stats.failed() > 0) {
            throw new DynamoException(ExitCode.FAILURE, String.format(Locale.ROOT, "%,d items could not be written; they are in %s "
                    + "(one file per %s)", stats.failed(), stats.deadLetterDirectory(),
                    stats.compared() ? "partition of the replace by difference" : "segment"));
        }
        return ExitCode.OK.code();
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw DynamoException.usage(message);
        }
    }
}
