package dev.dynamo.cli;

import dev.dynamo.DynamoException;
import dev.dynamo.copy.CopyPlan;
import dev.dynamo.pipeline.JobDefaults;
import dev.dynamo.query.QuerySpec;
import dev.dynamo.verify.VerifyPlan;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What a bulk job reads and how: the options {@code copy} and {@code verify} share (the selection, {@code --consistent},
 * {@code --threads}, {@code --segments}, {@code --page-size}, {@code --max-rcu}, {@code --max-retries},
 * {@code --no-progress}), checked once and set on either plan the same way.
 *
 * <p>Where the two commands describe an option differently ("Writer threads" in copy, "Pages read at once" in verify),
 * the text is in SharedOptions.properties (the commands' bundle) under the command's qualified name
 * ({@code dynamo.copy.threads}). The {@code order} values leave gaps for each command's own options, which its
 * help lists among these (see {@link OrderedOptionsHelp}): 60 between {@code --max-rcu} and {@code --max-retries}, 80 to 89 between
 * {@code --max-retries} and {@code --no-progress}, and 100 after.
 */
final class BulkOptions {
    /** More threads than this is a typo, not a plan. */
    static final int MAX_THREADS = 512;

    @Mixin
    SelectionOptions selection;

    @Option(names = "--consistent", order = 10, descriptionKey = "consistent")
    boolean consistent;

    @Option(names = "--threads", order = 20, paramLabel = "N", defaultValue = "" + JobDefaults.THREADS, descriptionKey = "threads")
    int threads;

    @Option(names = "--segments", order = 30, paramLabel = "N", descriptionKey = "segments")
    Integer segments;

    @Option(names = "--page-size", order = 40, paramLabel = "N", defaultValue = "" + JobDefaults.PAGE_SIZE_ITEMS,
            description = "Items per Scan/Query page (its Limit; a page also ends at 1 MB). Default: ${DEFAULT-VALUE}.")
    int pageSize;

    @Option(names = "--max-rcu", order = 50, paramLabel = "UNITS", converter = CapacityRate.Converter.class,
            descriptionKey = "max-rcu")
    CapacityRate maxReadUnits;

    @Option(names = "--max-retries", order = 70, paramLabel = "N", defaultValue = "" + JobDefaults.MAX_RETRIES,
            descriptionKey = "max-retries")
    int maxRetries;

    @Option(names = "--no-progress", order = 90,
            description = "No live progress line (there is none when stderr is not a terminal).")
    boolean noProgress;

    /** How a command's usage errors name its job; the messages are those each command always gave. */
    private enum Job {
        COPY("copy", "--segments splits the scan of a whole-table copy; a copy selected with --pk is read by one query: "
                + "drop --segments"),
        EXPORT("export", "--segments splits the scan of a whole-table export; an export selected with --pk is read by one "
                + "query: drop --segments"),
        VERIFY("verify", "--segments splits the scan of a whole table; a verification selected with --pk is read by one query "
                + "per table: drop --segments");

        final String verb;
        final String segmentsWithSelection;

        Job(String verb, String segmentsWithSelection) {
            this.verb = verb;
            this.segmentsWithSelection = segmentsWithSelection;
        }
    }

    /**
     * A copy plan of {@code table} with these settings, checked.
     *
     * @throws DynamoException (usage) when an option is out of range or the selection is incomplete
     */
    CopyPlan.Builder copyPlan(String table) {
        QuerySpec query = check(table, Job.COPY);
        return CopyPlan.builder(table).selection(query).threads(threads).segments(segments == null ? 0 : segments)
                .pageSize(pageSize).maxReadUnitsPerSecond(maxReadUnitsPerSecond()).consistent(consistent).maxRetries(maxRetries);
    }

    /**
     * A verify plan of {@code table} with these settings, checked.
     *
     * @throws DynamoException (usage) when an option is out of range or the selection is incomplete
     */
    VerifyPlan.Builder verifyPlan(String table) {
        QuerySpec query = check(table, Job.VERIFY);
        return VerifyPlan.builder(table).selection(query).threads(threads).segments(segments == null ? 0 : segments)
                .pageSize(pageSize).maxReadUnitsPerSecond(maxReadUnitsPerSecond()).consistent(consistent).maxRetries(maxRetries);
    }

    /**
     * An export plan of {@code table} to {@code destination} with these settings, checked.
     *
     * @throws DynamoException (usage) when an option is out of range or the selection is incomplete
     */
    dev.dynamo.transfer.ExportPlan.Builder exportPlan(String table, String destination) {
        QuerySpec query = check(table, Job.EXPORT);
        return dev.dynamo.transfer.ExportPlan.builder(table, destination).selection(query).threads(threads)
                .segments(segments == null ? 0 : segments).pageSize(pageSize).maxReadUnitsPerSecond(maxReadUnitsPerSecond())
                .consistent(consistent).maxRetries(maxRetries);
    }

    /** Whether to draw the live progress line: not with --no-progress or -q, and only on a terminal. */
    boolean showsProgress(VerbosityOptions verbosity, CliContext context) {
        return !noProgress && !verbosity.quiet && context.terminal().stderr();
    }

    /**
     * Checks the options and returns the query selection, or null for the whole table.
     *
     * @throws DynamoException (usage) with the message of the first problem
     */
    private QuerySpec check(String table, Job job) {
        if (threads < 1 || threads > MAX_THREADS) {
            throw DynamoException.usage("--threads must be 1 to " + MAX_THREADS + ", not " + threads);
        }
        if (segments != null && JobDefaults.segmentsProblem(segments) != null) {
            throw DynamoException.usage(JobDefaults.segmentsProblem(segments));
        }
        if (pageSize < 1) {
            throw DynamoException.usage("--page-size must be a positive number of items, not " + pageSize);
        }
        if (maxRetries < 0) {
            throw DynamoException.usage("--max-retries must be 0 or more, not " + maxRetries);
        }
        String partition = selection.partition();
        if (partition == null) {
            List<String> narrowing = selection.narrowingOptions();
            if (!narrowing.isEmpty()) {
                throw DynamoException.usage(String.join(", ", narrowing) + (narrowing.size() == 1 ? " selects" : " select")
                        + " items of one partition: add --pk VALUE, or drop " + (narrowing.size() == 1 ? "it" : "them")
                        + " to " + job.verb + " the whole table");
            }
            return null;
        }
        QuerySpec query = QuerySpec.builder().table(table).index(selection.index()).partitionValue(partition)
                .sortKey(selection.sortKeyCondition()).where(selection.whereConditions()).consistent(consistent).build();
        if (segments != null) {
            throw DynamoException.usage(job.segmentsWithSelection);
        }
        return query;
    }

    private double maxReadUnitsPerSecond() {
        return maxReadUnits == null ? 0 : maxReadUnits.unitsPerSecond();
    }
}
