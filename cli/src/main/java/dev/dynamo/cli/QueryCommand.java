package dev.dynamo.cli;

import dev.dynamo.DynamoException;
import dev.dynamo.env.DynamoClientFactory;
import dev.dynamo.env.Environment;
import dev.dynamo.output.ItemPrinter;
import dev.dynamo.output.QueryPrinter;
import dev.dynamo.output.OutputFormat;
import dev.dynamo.output.QueryProgressReporter;
import dev.dynamo.output.StatusLine;
import dev.dynamo.query.QueryRunner;
import dev.dynamo.query.QuerySpec;
import dev.dynamo.query.QueryStats;
import dev.dynamo.query.ValueTally;
import dev.dynamo.table.KeySchema;
import dev.dynamo.table.TableCatalog;
import dev.dynamo.table.TableSchema;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** {@code dynamo query}: the items of one partition of a table, a GSI or an LSI. */
@Command(name = "query",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        usageHelpAutoWidth = true,
        sortOptions = false,
        description = {
            "Query one partition of a table or of a secondary index (GSI or LSI).",
            "",
            "Optionally narrowed by a sort-key condition and filters. All pages are read; items stream as they "
                    + "arrive. Key values are typed by the key's schema: S as written, N exactly as written, B as base64.",
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success (also when nothing was found)",
            "1:runtime failure (DynamoDB, network, credentials)",
            "2:usage error (bad option or value, unknown table, index or profile)",
        },
        footerHeading = "%nExamples:%n",
        // Every line fits in 80 columns, so picocli never wraps an example in the middle.
        footer = {
            "  dynamo query -t Orders --pk customer#42 -e dev",
            "      prints: 12 items queried.",
            "  dynamo query -t Orders -pk customer#42 -sk 2024- -head -e dev",
            "      the first item, read alone: the output (and the spellings) of",
            "      dynamo-cmdline, the Python tool dynamo descends from",
            "  dynamo query -t Orders customer#42 --sk-between 2024-01 2024-06 -e dev",
            "  dynamo query -t Orders customer#42 --sk-ge 2024-06 --desc -o table -e dev",
            "  dynamo query -t Orders -i byStatus --pk shipped --count -e dev",
            "  dynamo query -t Orders --pk customer#42 -u status -e dev",
            "      the distinct values of status, sorted, with how many items have each",
            "  dynamo query -t Orders --pk customer#42 --where 'total >= 100' -o jsonl -e dev",
            "",
            "--where PATH OP VALUE",
            "  OP: = != < <= > >= begins_with contains, or PATH exists, PATH not_exists.",
            "  VALUE: a bare word or \"quoted\" string, a number, true, false or null.",
            "  PATH: name, a.b for a map entry, a[0] for a list element.",
            "  Several --where must all hold. They filter after reading: they save",
            "  transfer, not read capacity.",
            "",
            "Output (-o)",
            "  summary  the count; or the first item (--head); or distinct values (-u);",
            "           the default on a terminal",
            "  jsonl    one plain JSON item per line; the default when piped",
            "  json     one JSON array of plain items",
            "  ddb      typed JSON, as the AWS CLI prints a query",
            "  table    a text table, key columns first",
            "",
            "[API: DescribeTable, Query]",
        })
final class QueryCommand implements Callable<Integer> {
    @ParentCommand
    DynamoCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = {"-t", "--table"}, required = true, paramLabel = "TABLE", preprocessor = AttachedTableName.class,
            description = "The table to query.")
    String table;

    @Mixin
    SelectionOptions selection;

    @Option(names = "--projection", split = ",", paramLabel = "ATTR",
            description = "Return only these attributes (comma-separated).")
    List<String> projection = new ArrayList<>();

    @Option(names = "--limit", paramLabel = "N", description = "Stop after N items.")
    Long limit;

    @Option(names = "--desc", description = "Sort key descending (newest first for time-ordered keys).")
    boolean descending;

    @Option(names = "--consistent", description = "Strongly consistent reads (table and LSI only; not on a GSI).")
    boolean consistent;

    @Option(names = "--count", description = "Only count the matching items (Select COUNT: no items are transferred).")
    boolean count;

    @Option(names = {"--head", "-head"},
            description = "Show the first item, read alone (one Query call without a filter): the count is not read.")
    boolean head;

    @Option(names = {"-u", "--unique"}, paramLabel = "ATTR",
            description = "Show the distinct values of ATTR (any type), sorted, with how many items have each.")
    String unique;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", converter = FormatConverter.Query.class, completionCandidates = FormatConverter.Query.class,
            description = "summary, json, jsonl, ddb or table. Default: summary on a terminal, jsonl otherwise.")
    OutputFormat output;

    @Option(names = "--no-progress",
            description = "No live progress line for --count and -u (there is none when stderr is not a terminal).")
    boolean noProgress;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    VerbosityOptions verbosity;

    @Override
    public Integer call() {
        EnvironmentDefaults.apply(spec, root.context().resolver(), connection.toSpec(), EnvironmentDefaults.Key.OUTPUT, EnvironmentDefaults.Key.THREADS,
                EnvironmentDefaults.Key.MAX_RCU);
        QuerySpec query = toSpec();
        OutputFormat format = output != null ? output
                : root.context().terminal().interactive() ? OutputFormat.SUMMARY : OutputFormat.JSONL;
        if (head && unique != null && format != OutputFormat.SUMMARY) {
            // Only the summary shows both; any other format would silently drop one of them.
            throw DynamoException.usage("--head and --unique together need -o summary (the output is "
                    + format.toString().toLowerCase(java.util.Locale.ROOT) + "); give one of them, or add -o summary");
        }
        Environment environment = root.context().resolver().resolve(connection.toSpec());
        try (DynamoDbClient client = DynamoClientFactory.create(environment)) {
            TableSchema schema = new TableCatalog(client, environment).describe(table);
            QueryRunner runner = new QueryRunner(client, environment, schema);
            runner.request(query, false); // types and checks every value before anything is printed
            PrintWriter out = spec.commandLine().getOut();
            QueryPrinter printer = new QueryPrinter(out, format, keyOrder(schema, runner.keysOf(query)));
            if (count) {
                printer.count(withProgress(progress -> runner.count(query, progress)));
            } else if (format == OutputFormat.SUMMARY) {
                summary(runner, query, printer);
            } else if (unique != null) {
                ValueTally tally = new ValueTally(unique);
                withProgress(progress -> tally(runner, query, tally, progress));
                printer.unique(tally);
            } else if (head) {
                printItems(runner, query.withLimit(1), printer, out);
            } else {
                printItems(runner, query, printer, out);
            }
        }
        return 0;
    }

    private void summary(QueryRunner runner, QuerySpec query, QueryPrinter printer) {
        if (head && unique == null) {
            // The first item at once: counting first would read the whole partition (seconds on a large one).
            printer.head(runner.head(query));
            return;
        }
        // With --unique, one pass reads the values and the count alike; without, Select COUNT transfers no item.
        ValueTally tally = unique == null ? null : new ValueTally(unique);
        QueryStats stats = withProgress(progress -> tally == null ? runner.count(query, progress)
                : tally(runner, query, tally, progress));
        printer.count(stats);
        if (stats.count() == 0) {
            return;
        }
        if (head) {
            runner.head(query).first().ifPresent(printer::headItem);
        }
        if (tally != null) {
            printer.unique(tally);
        }
    }

    private QueryStats tally(QueryRunner runner, QuerySpec query, ValueTally tally, Consumer<QueryStats> progress) {
        // Only the attribute is needed, whatever --projection says (it shapes printed items, and none is printed).
        return runner.forEach(query.withProjection(List.of(unique)), tally::add, progress);
    }

    /**
     * Runs a read of a whole partition that prints nothing until it ends (--count, -u) with a live progress line on
     * stderr, erased before the result is printed: only on a terminal, and not with -q or --no-progress.
     */
    private QueryStats withProgress(Function<Consumer<QueryStats>, QueryStats> read) {
        if (noProgress || verbosity.quiet || !root.context().terminal().stderr()) {
            return read.apply(stats -> { });
        }
        AtomicReference<QueryStats> latest = new AtomicReference<>(new QueryStats(0, 0, 0, 0));
        try (StatusLine line = QueryProgressReporter.start(spec.commandLine().getErr(), latest::get)) {
            return read.apply(latest::set);
        }
    }

    /**
     * Prints every item as it arrives. When stdout is closed (as by {@code dynamo query ... | head -1}),
     * PrintWriter does not throw: its error flag is checked at each flush and the query stops reading
     * pages at once, quietly, as a command in a pipe should.
     */
    private static void printItems(QueryRunner runner, QuerySpec query, QueryPrinter printer, PrintWriter out) {
        ItemPrinter items = printer.itemPrinter();
        QueryStats stats;
        try {
            stats = runner.forEach(query, new java.util.function.Consumer<>() {
                private long printed;

                @Override
                public void accept(java.util.Map<String, AttributeValue> item) {
                    items.item(item);
                    if (++printed % FLUSH_EVERY_ITEMS == 0) {
                        items.flush();
                        if (out.checkError()) {
                            throw new OutputClosed();
                        }
                    }
                }
            });
        } catch (OutputClosed closed) {
            return;
        }
        items.finish(stats.count(), stats.scannedCount());
    }

    /** Items printed between flushes (and checks that stdout is still open). */
    static final int FLUSH_EVERY_ITEMS = 100;

    /** Stdout was closed by its reader: stop the query. */
    private static final class OutputClosed extends RuntimeException {
        OutputClosed() {
            super("stdout closed", null, false, false);
        }
    }

    /** The key attributes to print first: the queried index's keys, then the table's. */
    private static List<String> keyOrder(TableSchema schema, KeySchema queried) {
        List<String> names = new ArrayList<>(queried.names());
        for (String name : schema.keys().names()) {
            if (!names.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }

    QuerySpec toSpec() {
        String partition = selection.partition();
        if (partition == null) {
            throw DynamoException.usage("no partition key value: give it as --pk VALUE (or as the positional argument), "
                    + "for example: " + root.context().programWord() + " query -t " + table + " --pk customer#42");
        }
        if (count && (head || unique != null)) {
            throw DynamoException.usage("--count cannot be combined with " + (head ? "--head" : "--unique")
                    + ": --count transfers no items; drop one of them");
        }
        if (limit != null && limit <= 0) {
            throw DynamoException.usage("--limit must be a positive number of items, not " + limit);
        }
        return QuerySpec.builder().table(table).index(selection.index()).partitionValue(partition)
                .sortKey(selection.sortKeyCondition()).where(selection.whereConditions())
                .projection(projection.stream().map(String::trim).filter(s -> !s.isEmpty()).toList())
                .limit(limit == null ? 0 : limit).descending(descending).consistent(consistent).build();
    }
}
