package dev.dynamo.spark;

import dev.dynamo.DynamoException;
import dev.dynamo.ExitCode;
import dev.dynamo.verify.VerifyPlan;
import dev.dynamo.verify.VerifyReport;
import dev.dynamo.verify.VerifyResult;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code dynamo-spark verify}: the command line's verify, as a Spark job. */
@Command(name = "verify", mixinStandardHelpOptions = true, resourceBundle = "dev.dynamo.spark.SparkOptions",
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

    @ParentCommand
    DynamoSpark.Root root;

    @Mixin
    SparkSourceTargetOptions tables;

    @Mixin
    SparkScanOptions scan;

    @Mixin
    SparkJobOptions job;

    @Option(names = "--partitions", paramLabel = "N",
            description = "Partitions of the shuffle that matches keys. Default: 4 per task slot, or one per million items if more.")
    int partitions;

    @Option(names = "--show", paramLabel = "N", defaultValue = "" + VerifyPlan.SHOW_KEYS,
            description = "List the first N keys (in key order) of each kind of difference; 0 for counts only. "
                    + "Default: ${DEFAULT-VALUE}.")
    int show;

    @Override
    public Integer call() throws InterruptedException {
        scan.check();
        check(partitions >= 0 && partitions <= DigestJoin.MAX_AUTO, "--partitions must be 1 to 100000");
        job.check();
        check(scan.maxReadUnits >= 0, "--max-rcu must be positive");
        check(show >= 0 && show <= MAX_SHOW, "--show must be 0 (counts only) to 10,000 keys, not " + show);
        SparkVerifyPlan plan = SparkVerifyPlan.builder()
                .source(tables.sourceSpec()).target(tables.targetSpec())
                .sourceTable(tables.table).targetTable(tables.targetTableName()).segments(scan.segments).partitions(partitions)
                .pageSize(job.pageSize).maxRetries(job.maxRetries).requestTimeoutMillis(job.requestTimeoutMillis())
                .consistent(scan.consistent).maxReadUnits(scan.maxReadUnits).show(show).build();
        VerifyResult result = new SparkVerifyJob(root.spark(), plan, root.resolver(), root.err(), job.progressMillis(root)).run();
        if (job.json()) {
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
