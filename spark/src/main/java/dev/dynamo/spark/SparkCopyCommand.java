package dev.dynamo.spark;

import dev.dynamo.DynamoException;
import dev.dynamo.ExitCode;
import dev.dynamo.copy.CopyMode;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code dynamo-spark copy}: the command line's copy, as a Spark job. */
@Command(name = "copy", mixinStandardHelpOptions = true, resourceBundle = "dev.dynamo.spark.SparkOptions",
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
    @ParentCommand
    DynamoSpark.Root root;

    @Mixin
    SparkSourceTargetOptions tables;

    @Mixin
    SparkScanOptions scan;

    @Mixin
    SparkWriteOptions writes;

    @Mixin
    SparkJobOptions job;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "replace", converter = ModeConverter.class,
            description = "replace or merge (see above). Default: ${DEFAULT-VALUE}.")
    CopyMode mode;

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

    @Option(names = {"-y", "--yes"}, description = "Consent to deleting target items (a replace by difference).")
    boolean yes;

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
        scan.check();
        writes.check();
        job.check();
        check(scan.maxReadUnits >= 0 && writes.maxWriteUnits >= 0, "--max-rcu and --max-wcu must be positive");
        SparkCopyPlan plan = SparkCopyPlan.builder()
                .source(tables.sourceSpec()).target(tables.targetSpec())
                .sourceTable(tables.table).targetTable(tables.targetTableName()).mode(mode).createTable(writes.createTable)
                .segments(scan.segments).pageSize(job.pageSize).writers(writes.writers).maxRetries(job.maxRetries)
                .requestTimeoutMillis(job.requestTimeoutMillis()).consistent(scan.consistent).maxReadUnits(scan.maxReadUnits)
                .maxWriteUnits(writes.maxWriteUnits).checkpoint(checkpoint).resume(resume).deadLetters(deadLetters)
                .s3(s3.description())
                .allowProtectedTarget(writes.allowProtectedTarget).yes(yes).build();
        SparkCopyStats stats = new SparkCopyJob(root.spark(), plan, root.resolver(), root.err(), job.progressMillis(root)).run();
        if (job.json()) {
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
