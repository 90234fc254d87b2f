package dev.dynamo.spark;

import dev.dynamo.DynamoException;
import dev.dynamo.ExitCode;
import dev.dynamo.env.EnvironmentSpec;
import dev.dynamo.pipeline.JobDefaults;
import dev.dynamo.verify.VerifyPlan;
import dev.dynamo.verify.VerifyReport;
import dev.dynamo.verify.VerifyResult;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code dynamo-spark verify}: the command line's verify, as a Spark job. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        header = "Compare a table in two environments as a Spark job.",
        description = {
            "Items are matched by key, in any order, and every attribute is compared",
            "exactly, as dynamo verify compares them: numbers by value, sets in any order,",
            "binary by its bytes, maps and lists deeply; a string \"1\" and a number 1",
            "differ. Changes nothing.",
            "",
            "Both tables' scan segments are Spark tasks; each item becomes its key and a",
            "128-bit digest, and Spark's shuffle brings each key's digests together (only",
            "digests cross the network, never items). The report is dynamo verify's: keys",
            "missing from the target, extra in it, or with different items, the first",
            "--show of each, and where the first different items differ.",
            "",
            "--max-rcu holds for each table, the whole job: the driver splits it among",
            "the tasks running. A key that a scan returns twice is an answer not to",
            "trust: the job fails (exit 1) and reports nothing.",
            "",
        },
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {
            "0:identical",
            "1:the two differ (see the report), or a runtime failure (an error",
            " :on stderr, no report)",
            "2:usage error (bad option, unknown table, different keys, same table)",
            "130:interrupted",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  spark-submit --class dev.dynamo.spark.DynamoSpark dynamo-spark.jar verify \\",
            "      -t Orders --source prod --target dev --max-rcu 2000",
            "  ./dynamo-spark --master 'local[4]' verify -t Orders --source prod \\",
            "      --target http://localhost:8000 --summary json --show 100",
            "",
            "[API: DescribeTable, Scan, BatchGetItem]",
        })
final class SparkVerifyCommand implements Callable<Integer> {
    /** More keys than this per kind is a typo; the keys are held in memory until the report (as dynamo verify). */
    static final int MAX_SHOW = 10_000;

    enum SummaryFormat { text, json }

    @ParentCommand
    DynamoSpark.Root root;

    @Option(names = {"-t", "--table"}, required = true, paramLabel = "TABLE", description = "The table to compare.")
    String table;

    @Option(names = {"--source", "--src", "-src"}, required = true, paramLabel = "ENV",
            description = "The source: an environment named in the environments file, an AWS profile or an endpoint URL.")
    String source;

    @Option(names = {"--target", "--dst", "-tgt"}, required = true, paramLabel = "ENV", description = "The target to compare with.")
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

    @Option(names = "--target-table", paramLabel = "NAME", description = "The table compared with. Default: the source's name.")
    String targetTable;

    @Option(names = "--consistent", description = "Strongly consistent reads of both tables.")
    boolean consistent;

    @Option(names = "--segments", paramLabel = "N",
            description = "Scan segments per table, one Spark task each. Default: 4 per task slot, or one per 128 MiB "
                    + "of table if more.")
    int segments;

    @Option(names = "--partitions", paramLabel = "N",
            description = "Partitions of the shuffle that matches keys. Default: 4 per task slot, or one per million items if more.")
    int partitions;

    @Option(names = "--page-size", paramLabel = "N", defaultValue = "" + JobDefaults.PAGE_SIZE_ITEMS,
            description = "Items per Scan page. Default: ${DEFAULT-VALUE}.")
    int pageSize;

    @Option(names = "--max-rcu", paramLabel = "UNITS",
            description = "Read at most UNITS read capacity units per second from each table, the whole job.")
    double maxReadUnits;

    @Option(names = "--max-retries", paramLabel = "N", defaultValue = "" + JobDefaults.MAX_RETRIES,
            description = "Retries of one call before the task fails. Default: ${DEFAULT-VALUE}.")
    int maxRetries;

    @Option(names = "--request-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "Abandon and retry one DynamoDB call that takes longer. Default: ${DEFAULT-VALUE}.")
    double requestTimeoutSeconds;

    @Option(names = "--show", paramLabel = "N", defaultValue = "" + VerifyPlan.SHOW_KEYS,
            description = "List the first N keys (in key order) of each kind of difference; 0 for counts only. "
                    + "Default: ${DEFAULT-VALUE}.")
    int show;

    @Option(names = "--no-progress", description = "No progress lines on stderr.")
    boolean noProgress;

    @Option(names = "--summary", paramLabel = "FORMAT", defaultValue = "text",
            description = "text: the report as lines; json: as one JSON object (for scripts). Both on stdout. "
                    + "Default: ${DEFAULT-VALUE}.")
    SummaryFormat summary;

    @Override
    public Integer call() throws InterruptedException {
        check(segments >= 0, "--segments must be 1 or more");
        check(partitions >= 0 && partitions <= DigestJoin.MAX_AUTO, "--partitions must be 1 to 100000");
        check(pageSize >= 1 && pageSize <= 10_000, "--page-size must be 1 to 10000");
        check(maxReadUnits >= 0, "--max-rcu must be positive");
        check(maxRetries >= 0, "--max-retries must be 0 or more");
        check(requestTimeoutSeconds > 0, "--request-timeout must be positive");
        check(show >= 0 && show <= MAX_SHOW, "--show must be 0 (counts only) to 10,000 keys, not " + show);
        SparkVerifyPlan plan = SparkVerifyPlan.builder()
                .source(new EnvironmentSpec(source, sourceProfile, sourceRegion, sourceEndpointUrl))
                .target(new EnvironmentSpec(target, targetProfile, targetRegion, targetEndpointUrl))
                .sourceTable(table).targetTable(targetTable != null ? targetTable : table).segments(segments).partitions(partitions)
                .pageSize(pageSize).maxRetries(maxRetries).requestTimeoutMillis((long) (requestTimeoutSeconds * 1000))
                .consistent(consistent).maxReadUnits(maxReadUnits).show(show).build();
        VerifyResult result = new SparkVerifyJob(root.spark(), plan, root.resolver(), root.err(), noProgress ? 0 : root.progressMillis())
                .run();
        if (summary == SummaryFormat.json) {
            root.out().println(VerifyReport.json(result, "spark"));
        } else {
            VerifyReport.lines(result).forEach(root.out()::println);
        }
        root.out().flush();
        return result.identical() ? ExitCode.OK.code() : ExitCode.FAILURE.code();
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw DynamoException.usage(message);
        }
    }
}
