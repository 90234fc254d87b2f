package dev.dynamo.spark;

import dev.dynamo.Counts;
import dev.dynamo.DynamoException;
import dev.dynamo.ExitCode;
import dev.dynamo.copy.CopyMode;
import dev.dynamo.env.EnvironmentSpec;
import dev.dynamo.pipeline.JobDefaults;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code dynamo-spark import}: the command line's import, as a Spark job whose tasks are the export's data files. */
@Command(name = "import", mixinStandardHelpOptions = true,
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
    enum SummaryFormat { text, json }

    @ParentCommand
    DynamoSpark.Root root;

    @Option(names = {"-t", "--table"}, required = true, paramLabel = "TABLE", description = "The table to write.")
    String table;

    @Option(names = "--from", required = true, paramLabel = "SRC",
            description = "What to import (see above); repeat for several, applied in the order given.")
    List<String> sources;

    @Option(names = {"-e", "--env"}, required = true, paramLabel = "ENV",
            description = "Where the table is: an environment named in the environments file, an AWS profile or an endpoint URL.")
    String environment;

    @Option(names = "--profile", paramLabel = "NAME", description = "AWS profile to use (overrides the profile ENV names).")
    String profile;

    @Option(names = "--region", paramLabel = "REGION", description = "AWS region.")
    String region;

    @Option(names = "--endpoint-url", paramLabel = "URL", description = "Endpoint URL (overrides every other endpoint setting).")
    String endpointUrl;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "merge", converter = SparkCopyCommand.ModeConverter.class,
            description = "merge or replace (see above). Default: ${DEFAULT-VALUE}.")
    CopyMode mode;

    @Option(names = "--create-table",
            description = "Create a missing table from the definition dynamo's export keeps (dynamo-table.json).")
    boolean createTable;

    @Option(names = "--allow-protected-target", paramLabel = "NAME",
            description = "Write to an environment the environments file marks protected; NAME must repeat its name.")
    String allowProtectedTarget;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "4",
            description = "Writer threads in each task. Default: ${DEFAULT-VALUE}.")
    int writers;

    @Option(names = "--page-size", paramLabel = "N", defaultValue = "" + JobDefaults.PAGE_SIZE_ITEMS,
            description = "Records handed to a writer at once (at most 1000). Default: ${DEFAULT-VALUE}.")
    int pageSize;

    @Option(names = "--max-wcu", paramLabel = "UNITS", description = "Write at most UNITS write capacity units per second, the whole job.")
    double maxWriteUnits;

    @Option(names = "--max-retries", paramLabel = "N", defaultValue = "" + JobDefaults.MAX_RETRIES,
            description = "Retries of one call before its items go to the dead-letter file. Default: ${DEFAULT-VALUE}.")
    int maxRetries;

    @Option(names = "--request-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "Abandon and retry one DynamoDB call that takes longer. Default: ${DEFAULT-VALUE}.")
    double requestTimeoutSeconds;

    @Option(names = "--dead-letter", paramLabel = "DIR",
            description = "Where items that cannot be written go, one file per data file. Default: ~/.dynamo/dead-letters.")
    Path deadLetterDirectory;

    @Option(names = "--checkpoint", paramLabel = "DIR",
            description = "The job's checkpoint: a directory the driver can read, or s3://bucket/prefix. "
                    + "Default: a directory in ~/.dynamo/checkpoints.")
    String checkpoint;

    @Option(names = "--resume", description = "Continue the import of the checkpoint: only the data files it does not hold.")
    boolean resume;

    @Option(names = "--dry-run", description = "Read the manifests and show what would be imported; write nothing, start no job.")
    boolean dryRun;

    @Mixin
    SparkS3Options s3;

    @Option(names = "--no-progress", description = "No progress line every few seconds on stderr.")
    boolean noProgress;

    @Option(names = "--summary", paramLabel = "FORMAT", defaultValue = "text",
            description = "text: one line on stderr; json: one JSON object on stdout. Default: ${DEFAULT-VALUE}.")
    SummaryFormat summary;

    @Override
    public Integer call() throws InterruptedException {
        check(writers >= 1 && writers <= 64, "--threads must be 1 to 64");
        check(pageSize >= 1 && pageSize <= 10_000, "--page-size must be 1 to 10000");
        check(maxWriteUnits >= 0, "--max-wcu must be positive");
        check(maxRetries >= 0, "--max-retries must be 0 or more");
        check(requestTimeoutSeconds > 0, "--request-timeout must be positive");
        check(!(resume && dryRun), "--dry-run shows a whole import; it does not combine with --resume");
        SparkImportPlan plan = SparkImportPlan.builder().environment(new EnvironmentSpec(environment, profile, region, endpointUrl))
                .table(table).sources(List.copyOf(sources)).mode(mode).createTable(createTable).pageSize(pageSize).writers(writers)
                .maxRetries(maxRetries).requestTimeoutMillis((long) (requestTimeoutSeconds * 1000)).maxWriteUnits(maxWriteUnits)
                .s3(s3.description()).checkpoint(checkpoint).resume(resume).deadLetterDirectory(deadLetterDirectory)
                .allowProtectedTarget(allowProtectedTarget).dryRun(dryRun).build();
        SparkImportStats stats = new SparkImportJob(root.spark(), plan, root.resolver(), root.out(), root.err(),
                noProgress ? 0 : root.progressMillis()).run();
        if (stats == null) { // --dry-run
            return ExitCode.OK.code();
        }
        if (summary == SummaryFormat.json) {
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
