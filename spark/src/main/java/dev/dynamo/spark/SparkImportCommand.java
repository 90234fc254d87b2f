package dev.dynamo.spark;

import dev.dynamo.Counts;
import dev.dynamo.DynamoException;
import dev.dynamo.ExitCode;
import dev.dynamo.copy.CopyMode;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code dynamo-spark import}: the command line's import, as a Spark job whose tasks are the export's data files. */
@Command(name = "import", mixinStandardHelpOptions = true, resourceBundle = "dev.dynamo.spark.SparkOptions",
        header = "Import an export or data files into a table as a Spark job.",
        description = {
            "SRC is an export's folder (.../AWSDynamoDB/ID), a prefix holding one export or",
            "a data file, local or on s3://, as for dynamo import: DynamoDB's Export to S3",
            "(DynamoDB JSON or Ion, full or incremental) and dynamo export's.",
            "",
            "Each data file is one Spark task. Before anything is written, every file is",
            "read whole by a task (its MD5 and item count must match the manifest, every",
            "line must be a record); a damaged file stops the import with nothing written.",
            "Then each task writes its file, and the driver checks and records its counts.",
            "Several --from are applied in the order given, one after the other.",
            "",
            "--mode merge (the default): put every item, overwriting same keys; delete",
            "nothing, except what an incremental export deletes.",
            "--mode replace: only into an empty or new table for now, where it is the",
            "same as merge; into a table with items it is refused (exit 2).",
            "",
            "--max-wcu holds for the whole job: the driver splits it among the tasks",
            "running. Items that cannot be written go to one dead-letter file per data",
            "file, and the job exits 1.",
            "",
            "The checkpoint directory records each data file as its task finishes; after",
            "a failed or killed driver, --resume checks and writes only the others (the",
            "same puts again for a file that finished just before a kill). A finished",
            "import removes its checkpoint.",
            "",
        },
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {
            "0:success",
            "1:runtime failure, a damaged data file (nothing written), or items left in",
            "  :dead-letter files",
            "2:usage error (bad option, no export at SRC, unfinished export, unknown",
            " :table, keys that differ); nothing was written",
            "130:interrupted",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  spark-submit --class dev.dynamo.spark.DynamoSpark dynamo-spark.jar import \\",
            "      -t Orders -e dev --from s3://backups/orders --max-wcu 2000",
            "  ./dynamo-spark --master 'local[4]' import -t Orders-copy \\",
            "      -e http://localhost:8000 --from ./orders --create-table",
            "",
            "[API: DescribeTable, CreateTable, UpdateTimeToLive, Scan, BatchWriteItem;",
            " S3: ListObjectsV2, GetObject]",
        })
final class SparkImportCommand implements Callable<Integer> {
    @ParentCommand
    DynamoSpark.Root root;

    @Mixin
    SparkEnvironmentOptions table;

    @Mixin
    SparkWriteOptions writes;

    @Mixin
    SparkJobOptions job;

    @Option(names = "--from", required = true, paramLabel = "SRC",
            description = "What to import (see above); repeat for several, applied in the order given.")
    List<String> sources;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "merge", converter = SparkCopyCommand.ModeConverter.class,
            description = "merge or replace (see above). Default: ${DEFAULT-VALUE}.")
    CopyMode mode;

    @Option(names = "--dead-letter", paramLabel = "DIR",
            description = "Where items that cannot be written go, one file per data file. Default: ~/.dynamo/dead-letters.")
    Path deadLetterDirectory;

    @Option(names = "--checkpoint", paramLabel = "DIR|S3URL",
            description = "The job's checkpoint: a directory the driver can read, or s3://bucket/prefix. "
                    + "Default: a directory in ~/.dynamo/checkpoints.")
    String checkpoint;

    @Option(names = "--resume", description = "Continue the import of the checkpoint: only the data files it does not hold.")
    boolean resume;

    @Option(names = "--dry-run", description = "Read the manifests and show what would be imported; write nothing, start no job.")
    boolean dryRun;

    @Mixin
    SparkS3Options s3;

    @Override
    public Integer call() throws InterruptedException {
        writes.check();
        job.check();
        check(writes.maxWriteUnits >= 0, "--max-wcu must be positive");
        check(!(resume && dryRun), "--dry-run shows a whole import; it does not combine with --resume");
        SparkImportPlan plan = SparkImportPlan.builder().environment(table.spec())
                .table(table.table).sources(List.copyOf(sources)).mode(mode).createTable(writes.createTable).pageSize(job.pageSize)
                .writers(writes.writers).maxRetries(job.maxRetries).requestTimeoutMillis(job.requestTimeoutMillis())
                .maxWriteUnits(writes.maxWriteUnits).s3(s3.description()).checkpoint(checkpoint).resume(resume)
                .deadLetterDirectory(deadLetterDirectory).allowProtectedTarget(writes.allowProtectedTarget).dryRun(dryRun).build();
        SparkImportStats stats = new SparkImportJob(root.spark(), plan, root.resolver(), root.out(), root.err(), job.progressMillis(root))
                .run();
        if (stats == null) { // --dry-run
            return ExitCode.OK.code();
        }
        if (job.json()) {
            root.out().println(SparkImportSummary.json(stats));
            root.out().flush();
        } else {
            root.err().println("dynamo: " + SparkImportSummary.text(stats));
        }
        if (stats.failed() > 0) {
            // 3 items could not be written; they are in /x/dead (one file per data file: DynamoDB JSON lines, with the
            // error of each)
            throw DynamoException.failure(Counts.items(stats.failed()) + " could not be written; "
                    + (stats.failed() == 1 ? "it is" : "they are") + " in " + stats.deadLetterDirectory()
                    + " (one file per data file: DynamoDB JSON lines, with the error of each)", null);
        }
        return ExitCode.OK.code();
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw DynamoException.usage(message);
        }
    }
}
