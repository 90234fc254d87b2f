package dev.dynamo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.env.DynamoClientFactory;
import dev.dynamo.env.Environment;
import dev.dynamo.env.EnvironmentResolver;
import dev.dynamo.env.EnvironmentSpec;
import dev.dynamo.query.QueryRunner;
import dev.dynamo.query.QuerySpec;
import dev.dynamo.query.QueryStats;
import dev.dynamo.table.TableCatalog;
import dev.dynamo.testing.Cli;
import dev.dynamo.testing.CommandResult;
import dev.dynamo.testing.EngineTest;
import dev.dynamo.testing.FaultProxy;
import dev.dynamo.testing.Jsonl;
import dev.dynamo.testing.LocalDynamoDb;
import dev.dynamo.testing.TestTables;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * One partition of {@value #ITEMS} items of about 1 KB: about 1.5 MB, more than one Query page
 * (DynamoDB stops a page at 1 MB), so every result here needs every page.
 */
@EngineTest
class QueryPaginationTest {
    private static final int ITEMS = 1_500;
    private static final int PAYLOAD_CHARS = 1_000;

    private static String env;
    private static String table;

    @TempDir
    Path home;

    @BeforeAll
    static void loadOnePartition(LocalDynamoDb db) {
        env = db.env();
        table = TestTables.table("pages").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.N)
                .create(db.client());
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        String payload = "x".repeat(PAYLOAD_CHARS);
        for (int i = 0; i < ITEMS; i++) {
            items.add(Map.of("pk", AttributeValue.fromS("p"), "sk", AttributeValue.fromN(Integer.toString(i)),
                    "copy", AttributeValue.fromN(Integer.toString(i)), "bucket", AttributeValue.fromS("b" + i % 3),
                    "payload", AttributeValue.fromS(payload)));
        }
        TestTables.put(db.client(), table, items);
    }

    private CommandResult query(String... args) {
        List<String> all = new ArrayList<>(List.of("query", "-t", table, "--pk", "p", "-e", env));
        all.addAll(List.of(args));
        return Cli.isolated(home).succeed(all.toArray(String[]::new));
    }

    @Test
    void readsEveryPage_deliveringEveryItemOnceInSortOrder() {
        CommandResult result = query("-o", "jsonl");
        assertThat(sortKeys(result)).containsExactlyElementsOf(range(0, ITEMS));
        assertThat(Jsonl.items(result)).allSatisfy(item -> assertThat(item.get("payload").asText()).hasSize(PAYLOAD_CHARS));
    }

    @Test
    void readsEveryPage_inDescendingOrder() {
        List<Integer> expected = new ArrayList<>(range(0, ITEMS));
        java.util.Collections.reverse(expected);
        assertThat(sortKeys(query("--desc", "-o", "jsonl"))).containsExactlyElementsOf(expected);
    }

    @Test
    void needsMoreThanOnePage_forThisPartition(LocalDynamoDb db) {
        // Without this, the tests above could pass on one page and prove nothing about pagination.
        Environment environment = new EnvironmentResolver(Map.of(), home).resolve(EnvironmentSpec.of(env));
        try (DynamoDbClient client = DynamoClientFactory.create(environment)) {
            QueryRunner runner = new QueryRunner(client, environment, new TableCatalog(client, environment).describe(table));
            List<Integer> seen = new ArrayList<>();
            QueryStats stats = runner.forEach(QuerySpec.partition(table, "p"), item -> seen.add(Integer.parseInt(item.get("sk").n())));
            assertThat(stats.pages()).isGreaterThanOrEqualTo(2);
            assertThat(stats.count()).isEqualTo(ITEMS);
            assertThat(seen).containsExactlyElementsOf(range(0, ITEMS));
            QueryStats counted = runner.count(QuerySpec.partition(table, "p"));
            assertThat(counted.pages()).isGreaterThanOrEqualTo(2);
            assertThat(counted.count()).isEqualTo(ITEMS);
        }
    }

    @Test
    void countsAcrossPages() {
        assertThat(query("--count", "-o", "summary").stdout()).isEqualTo("1,500 items queried.\n");
        assertThat(query("--count", "--where", "copy >= 1490", "-o", "json").stdout())
                .isEqualTo("{\"Count\":10,\"ScannedCount\":" + ITEMS + "}\n");
    }

    @Test
    void stopsAtTheLimit_acrossAPageBoundary() {
        assertThat(sortKeys(query("--limit", "1100", "-o", "jsonl"))).containsExactlyElementsOf(range(0, 1100));
        assertThat(query("--limit", "1100", "--count", "-o", "summary").stdout()).isEqualTo("1,100 items queried.\n");
    }

    @Test
    void findsFilteredItems_onTheLastPage() {
        assertThat(sortKeys(query("--where", "copy >= 1490", "--projection", "sk", "-o", "jsonl")))
                .containsExactlyElementsOf(range(1490, ITEMS));
        assertThat(sortKeys(query("--where", "copy >= 1400", "--limit", "5", "--desc", "-o", "jsonl")))
                .containsExactly(1499, 1498, 1497, 1496, 1495);
    }

    @Test
    void countsDistinctValues_acrossPages() {
        assertThat(query("-u", "bucket", "-o", "summary").stdout()).isEqualTo("""
                1,500 items queried.
                3 distinct values of bucket:
                  b0  500
                  b1  500
                  b2  500
                """);
    }

    @Test
    void printsEveryRow_inTable() {
        List<String> lines = query("--projection", "pk,sk,bucket", "-o", "table").lines();
        assertThat(lines).hasSize(2 + ITEMS + 1);
        // widths come from the first 200 rows (sort keys up to 199): wider cells later push their row out
        assertThat(lines.get(0)).isEqualTo("pk | sk  | bucket");
        assertThat(lines.get(2)).isEqualTo("p  | 0   | b0");
        assertThat(lines.get(ITEMS + 1)).isEqualTo("p  | 1499 | b2");
        assertThat(lines.get(ITEMS + 2)).isEqualTo("(1,500 items)");
    }

    @Test
    void readsOneQueryPageOfOneItem_forTheFirstItemInSummary() {
        // It used to count the whole partition first (Select COUNT over every page), then read the first item.
        List<String> calls = java.util.Collections.synchronizedList(new ArrayList<>());
        try (FaultProxy proxy = FaultProxy.start(java.net.URI.create(env)).observe((operation, body) -> calls.add(operation + " " + body))) {
            CommandResult result = Cli.isolated(home).succeed("query", "-t", table, "--pk", "p", "--head", "-o", "summary",
                    "-e", proxy.env());

            assertThat(result.lines()).startsWith("First item:", "{", "  \"pk\": \"p\",", "  \"sk\": 0,");
            List<String> queries = calls.stream().filter(call -> call.startsWith("Query ")).toList();
            assertThat(queries).hasSize(1);
            assertThat(queries.get(0)).contains("\"Limit\":1").doesNotContain("COUNT");
        }
    }

    @Test
    void drawsALiveProgressLine_whileCountingOrTallying_onATerminal_andErasesItBeforeTheResult() {
        Cli terminal = Cli.isolated(home).withTerminal(new Terminal(true, true));
        // Each Query page takes 600 ms, so a 2-page read outlasts the line's first redraw (every 500 ms).
        try (FaultProxy proxy = slowQueries()) {
            CommandResult counted = terminal.run("query", "-t", table, "--pk", "p", "--count", "-o", "summary", "-e", proxy.env());
            assertThat(counted.exitCode()).as("%s", counted).isZero();
            assertThat(counted.stdout()).isEqualTo("1,500 items queried.\n");
            assertThat(counted.stderr()).as("%s", counted).contains("\rquerying ").containsPattern("\\d+ pages? RCU \\d");
            assertThat(screen(counted.stderr())).as("what stays on the terminal: the line is erased").isBlank();

            CommandResult tallied = terminal.run("query", "-t", table, "--pk", "p", "-u", "bucket", "-o", "summary", "-e", proxy.env());
            assertThat(tallied.stdout()).startsWith("1,500 items queried.\n3 distinct values of bucket:\n");
            assertThat(tallied.stderr()).as("%s", tallied).contains("\rquerying ");
            assertThat(screen(tallied.stderr())).isBlank();

            CommandResult json = terminal.run("query", "-t", table, "--pk", "p", "--count", "-o", "json", "-e", proxy.env());
            assertThat(json.stdout()).isEqualTo("{\"Count\":1500,\"ScannedCount\":1500}\n");
            assertThat(json.stderr()).as("stderr, not stdout, whatever the format").contains("\rquerying ");
        }
    }

    @Test
    void drawsNoProgressLine_whenStderrIsNoTerminal_orWithQuietOrNoProgress() {
        try (FaultProxy proxy = slowQueries()) {
            Cli terminal = Cli.isolated(home).withTerminal(new Terminal(true, true));
            for (CommandResult result : List.of(
                    Cli.isolated(home).succeed("query", "-t", table, "--pk", "p", "--count", "-o", "summary", "-e", proxy.env()),
                    Cli.isolated(home).withTerminal(new Terminal(true, false))
                            .succeed("query", "-t", table, "--pk", "p", "-u", "bucket", "-e", proxy.env()),
                    terminal.succeed("query", "-t", table, "--pk", "p", "--count", "-q", "-e", proxy.env()),
                    terminal.succeed("query", "-t", table, "--pk", "p", "--count", "--no-progress", "-e", proxy.env()))) {
                // succeed() also asserts an empty stderr; no control character reaches stdout either.
                assertThat(result.stdout()).as("%s", result).startsWith("1,500 items queried.").doesNotContain("\r");
            }
        }
    }

    private static FaultProxy slowQueries() {
        return FaultProxy.start(java.net.URI.create(env)).policy((operation, n) -> operation.equals("Query")
                ? dev.dynamo.testing.Fault.delay(600) : dev.dynamo.testing.Fault.NONE);
    }

    /** What a terminal shows after {@code text}: each carriage return goes back to the start of the line. */
    private static String screen(String text) {
        StringBuilder screen = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            char[] shown = new char[0];
            int column = 0;
            for (char c : line.toCharArray()) {
                if (c == '\r') {
                    column = 0;
                    continue;
                }
                if (column >= shown.length) {
                    shown = java.util.Arrays.copyOf(shown, column + 1);
                }
                shown[column++] = c;
            }
            screen.append(shown).append('\n');
        }
        return screen.toString();
    }

    private static List<Integer> sortKeys(CommandResult result) {
        return Jsonl.values(result, "sk").stream().map(Integer::parseInt).toList();
    }

    private static List<Integer> range(int from, int to) {
        return IntStream.range(from, to).boxed().toList();
    }

    @Test
    void stopsReadingPages_whenStdoutIsClosed_asByHead() {
        // A reader that takes one line and closes the pipe, as `dynamo query ... | head -1` does.
        java.io.OutputStream headOne = new java.io.OutputStream() {
            private boolean closed;

            @Override
            public void write(int b) throws java.io.IOException {
                if (closed) {
                    throw new java.io.IOException("Broken pipe");
                }
                closed = b == '\n';
            }
        };
        java.io.StringWriter err = new java.io.StringWriter();
        try (FaultProxy proxy = FaultProxy.start(java.net.URI.create(env))) {
            CliContext context = new CliContext(new EnvironmentResolver(Map.of(), home), Terminal.NONE);
            int exitCode = CommandLineFactory.create(context, new java.io.PrintWriter(headOne, true), new java.io.PrintWriter(err, true))
                    .execute("query", "-t", table, "--pk", "p", "-o", "jsonl", "-e", proxy.env());

            assertThat(exitCode).isZero();
            assertThat(err.toString()).isEmpty();
            // DescribeTable and the first Query page only: the other pages of the 1.5 MB partition are never read.
            assertThat(proxy.requests()).isEqualTo(2);
        }
    }
}
