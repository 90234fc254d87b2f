package dev.dynamo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dynamo.testing.Cli;
import dev.dynamo.testing.CommandResult;
import dev.dynamo.testing.EngineTest;
import dev.dynamo.testing.Jsonl;
import dev.dynamo.testing.LocalDynamoDb;
import dev.dynamo.testing.TestTables;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Every option of {@code dynamo query} against the local engine, on read-only tables shared by the
 * class: orders (composite S key, a GSI with ALL, a GSI with KEYS_ONLY, an LSI), a table with N
 * keys, one with B keys and one with a simple key.
 */
@EngineTest
class QueryCommandTest {
    private static String env;
    private static String orders;
    private static String numbers;
    private static String binary;
    private static String simple;

    @TempDir
    Path home;

    private Cli cli;

    @BeforeAll
    static void createTables(LocalDynamoDb db) {
        env = db.env();
        orders = TestTables.table("orders")
                .partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.S)
                .gsi("byRegion", "region", ScalarAttributeType.S, "total", ScalarAttributeType.N, ProjectionType.ALL)
                .gsi("byStatus", "status", ScalarAttributeType.S, null, null, ProjectionType.KEYS_ONLY)
                .lsi("byCreated", "created", ScalarAttributeType.N, ProjectionType.ALL)
                .create(db.client());
        TestTables.put(db.client(), orders, List.of(
                order("c1", "order#01", Map.of("status", s("shipped"), "total", n("10"), "created", n("20240105"),
                        "region", s("eu"), "tags", AttributeValue.fromSs(List.of("red")), "paid", AttributeValue.fromBool(true),
                        "address", AttributeValue.fromM(Map.of("city", s("Paris"))),
                        "lines", AttributeValue.fromL(List.of(s("a"), s("b"))), "note", s("first"))),
                order("c1", "order#02", Map.of("status", s("open"), "total", n("250.5"), "created", n("20240101"),
                        "region", s("eu"), "tags", AttributeValue.fromSs(List.of("green")), "paid", AttributeValue.fromBool(false),
                        "address", AttributeValue.fromM(Map.of("city", s("Berlin"))))),
                order("c1", "order#03", Map.of("status", s("shipped"), "total", n("99.99"), "created", n("20240103"),
                        "region", s("eu"), "tags", AttributeValue.fromSs(List.of("red")), "paid", AttributeValue.fromBool(true),
                        "note", s("third"), "deleted", AttributeValue.fromNul(true))),
                order("c1", "order#04", Map.of("status", s("cancelled"), "total", n("1000"), "created", n("20240102"),
                        "region", s("eu"), "paid", AttributeValue.fromBool(false))),
                order("c1", "order#05", Map.of("total", n("5"), "created", n("20240104"), "region", s("us"),
                        "blob", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {1, 2, 3})))),
                order("c2", "order#01", Map.of("status", s("open"), "total", n("7"), "created", n("20240101"), "region", s("us")))));

        numbers = TestTables.table("numbers")
                .partitionKey("id", ScalarAttributeType.N).sortKey("seq", ScalarAttributeType.N).create(db.client());
        List<Map<String, AttributeValue>> numberItems = new ArrayList<>();
        for (String seq : List.of("-12.5", "-3", "0", "2", "10", "12345678901234567890123456789012345678")) {
            numberItems.add(Map.of("id", n("42"), "seq", n(seq)));
        }
        numberItems.add(Map.of("id", n("43"), "seq", n("1")));
        TestTables.put(db.client(), numbers, numberItems);

        binary = TestTables.table("binary")
                .partitionKey("bk", ScalarAttributeType.B).sortKey("bs", ScalarAttributeType.B).create(db.client());
        TestTables.put(db.client(), binary, List.of(
                Map.of("bk", b(1, 2, 3), "bs", b(0x10, 0x01), "label", s("x10-01")),
                Map.of("bk", b(1, 2, 3), "bs", b(0x10, 0x02), "label", s("x10-02")),
                Map.of("bk", b(1, 2, 3), "bs", b(0x20), "label", s("x20")),
                Map.of("bk", b(1, 2, 3), "bs", b(0xFF), "label", s("xff"))));

        simple = TestTables.table("simple").partitionKey("id", ScalarAttributeType.S).create(db.client());
        TestTables.put(db.client(), simple, List.of(
                Map.of("id", s("only"), "value", n("1")), Map.of("id", s("other"), "value", n("2"))));
    }

    @BeforeEach
    void cli() {
        cli = Cli.isolated(home);
    }

    private CommandResult query(String... args) {
        List<String> all = new ArrayList<>(List.of("query", "-e", env));
        all.addAll(List.of(args));
        return cli.succeed(all.toArray(String[]::new));
    }

    // --- the seed's form ---

    @Test
    void printsTheCount_inSummary() {
        assertThat(query("-t", orders, "--pk", "c1", "-o", "summary").stdout()).isEqualTo("5 items queried.\n");
        assertThat(query("-t", orders, "--pk", "c2", "-o", "summary").stdout()).isEqualTo("1 item queried.\n");
    }

    @Test
    void printsNoItemWasFound_whenThePartitionIsEmpty() {
        assertThat(query("-t", orders, "--pk", "nobody", "-o", "summary").stdout()).isEqualTo("No item was found.\n");
        assertThat(query("-t", orders, "--pk", "nobody", "-o", "summary", "--head", "-u", "status").stdout())
                .isEqualTo("No item was found.\n");
        assertThat(query("-t", orders, "--pk", "nobody", "-o", "jsonl").stdout()).isEmpty();
    }

    @Test
    void printsTheFirstItem_withSeedsSingleDashOptions_withoutCountingThePartition() {
        // One Query of Limit 1 reads it; the count would need the whole partition, so it is not stated.
        CommandResult result = query("-t", orders, "-pk", "c1", "-sk", "order#0", "-head", "-o", "summary");
        assertThat(result.stdout()).isEqualTo("""
                First item:
                {
                  "pk": "c1",
                  "sk": "order#01",
                  "address": {
                    "city": "Paris"
                  },
                  "created": 20240105,
                  "lines": [
                    "a",
                    "b"
                  ],
                  "note": "first",
                  "paid": true,
                  "region": "eu",
                  "status": "shipped",
                  "tags": [
                    "red"
                  ],
                  "total": 10
                }
                """);
    }

    @Test
    void statesTheCountWithTheFirstItem_onlyWhenThePagesReadHeldTheWholeResult() {
        // With a filter DynamoDB reads whole pages; this partition's one page holds every match, so the count is free.
        String counted = query("-t", orders, "c1", "--where", "total >= 0", "--count", "-o", "summary").stdout();
        assertThat(counted).matches("[2-9] items queried.\n");
        assertThat(query("-t", orders, "c1", "--where", "total >= 0", "--head", "-o", "summary").lines())
                .startsWith(counted.strip(), "First item:", "{", "  \"pk\": \"c1\",");
        assertThat(query("-t", orders, "c1", "--where", "total >= 0", "--head", "--limit", "1", "-o", "summary").lines())
                .startsWith("1 item queried.", "First item:");
        assertThat(query("-t", orders, "c1", "--where", "total < 0", "--head", "-o", "summary").stdout()).isEqualTo("No item was found.\n");
        assertThat(query("-t", orders, "nobody", "--head", "-o", "summary").stdout()).isEqualTo("No item was found.\n");
    }

    @Test
    void takesThePartitionKey_asPositionalArgument() {
        assertThat(sortKeys(query("-t", orders, "c1", "-o", "jsonl")))
                .containsExactly("order#01", "order#02", "order#03", "order#04", "order#05");
        assertThat(sortKeys(query("c2", "-t", orders, "-o", "jsonl"))).containsExactly("order#01");
    }

    @Test
    void printsCountHeadAndDistinctValues_inSummary() {
        assertThat(query("-t", orders, "c1", "--head", "-u", "status", "--projection", "pk,sk", "-o", "summary").stdout())
                .isEqualTo("""
                        5 items queried.
                        First item:
                        {
                          "pk": "c1",
                          "sk": "order#01"
                        }
                        3 distinct values of status:
                          cancelled  1
                          open       1
                          shipped    2
                        1 item has no status.
                        """);
    }

    @Test
    void defaultsToSummary_onATerminal_andToJsonl_whenPiped() {
        assertThat(cli.withTerminal(new Terminal(true, true)).succeed("query", "-t", orders, "c2", "-e", env).stdout())
                .isEqualTo("1 item queried.\n");
        assertThat(cli.succeed("query", "-t", orders, "c2", "-e", env).stdout())
                .isEqualTo("{\"pk\":\"c2\",\"sk\":\"order#01\",\"created\":20240101,\"region\":\"us\",\"status\":\"open\",\"total\":7}\n");
    }

    // --- sort-key conditions on the table (S), a GSI (N) and an LSI (N) ---

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "--sk     | order#0  | order#01 order#02 order#03 order#04 order#05",
        "--sk     | order#03 | order#03",
        "--sk-eq  | order#03 | order#03",
        "--sk-lt  | order#03 | order#01 order#02",
        "--sk-le  | order#03 | order#01 order#02 order#03",
        "--sk-gt  | order#03 | order#04 order#05",
        "--sk-ge  | order#03 | order#03 order#04 order#05",
        "--sk-eq  | order#9  | ''",
    })
    void selectsSortKeys_onTheTable(String option, String value, String expected) {
        assertThat(sortKeys(query("-t", orders, "c1", option, value, "-o", "jsonl"))).isEqualTo(words(expected));
    }

    @Test
    void selectsARange_withSkBetween_bothEndsIncluded() {
        assertThat(sortKeys(query("-t", orders, "c1", "--sk-between", "order#02", "order#04", "-o", "jsonl")))
                .containsExactly("order#02", "order#03", "order#04");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "--sk-eq | 99.99   | order#03",
        "--sk-eq | 99.990  | order#03",
        "--sk-lt | 99.99   | order#01",
        "--sk-le | 99.99   | order#01 order#03",
        "--sk-gt | 99.99   | order#02 order#04",
        "--sk-ge | 250.5   | order#02 order#04",
        "--sk-ge | 1e3     | order#04",
    })
    void selectsNumericSortKeys_onAGsiWithAllAttributes(String option, String value, String expected) {
        CommandResult result = query("-t", orders, "-i", "byRegion", "--pk", "eu", option, value, "-o", "jsonl");
        assertThat(sortKeys(result)).isEqualTo(words(expected));
        // ALL projection: every attribute comes back, the index's keys first
        assertThat(result.lines().get(0)).startsWith("{\"region\":\"eu\",\"total\":");
        assertThat(Jsonl.items(result).get(0).has("created")).isTrue();
    }

    @Test
    void ordersByTheNumericSortKey_onAGsi_ascendingAndDescending() {
        assertThat(Jsonl.values(query("-t", orders, "-i", "byRegion", "--pk", "eu", "-o", "jsonl"), "total"))
                .containsExactly("10", "99.99", "250.5", "1000");
        assertThat(Jsonl.values(query("-t", orders, "-i", "byRegion", "--pk", "eu", "--desc", "-o", "jsonl"), "total"))
                .containsExactly("1000", "250.5", "99.99", "10");
        assertThat(Jsonl.values(query("-t", orders, "-i", "byRegion", "--pk", "eu", "--sk-between", "10", "250.5", "-o", "jsonl"),
                "total")).containsExactly("10", "99.99", "250.5");
    }

    @Test
    void returnsOnlyKeys_whenTheGsiIsKeysOnly() {
        CommandResult result = query("-t", orders, "-i", "byStatus", "--pk", "shipped", "-o", "jsonl");
        assertThat(result.lines()).containsExactlyInAnyOrder(
                "{\"status\":\"shipped\",\"pk\":\"c1\",\"sk\":\"order#01\"}",
                "{\"status\":\"shipped\",\"pk\":\"c1\",\"sk\":\"order#03\"}");
    }

    @Test
    void countsItems_whenIndexIsKeysOnly() {
        assertThat(query("-t", orders, "-i", "byStatus", "--pk", "shipped", "--count", "-o", "summary").stdout())
                .isEqualTo("2 items queried.\n");
        assertThat(query("-t", orders, "-i", "byStatus", "--pk", "open", "--count", "-o", "json").stdout())
                .isEqualTo("{\"Count\":2,\"ScannedCount\":2}\n");
    }

    @Test
    void printsTheFirstItemOfTheIndex_withTheIndexKeysFirst() {
        assertThat(query("-t", orders, "-i", "byStatus", "--pk", "cancelled", "--head", "-o", "summary").stdout()).isEqualTo("""
                First item:
                {
                  "status": "cancelled",
                  "pk": "c1",
                  "sk": "order#04"
                }
                """);
    }

    @Test
    void selectsARange_onAnLsi_inItsSortKeyOrder() {
        assertThat(sortKeys(query("-t", orders, "-i", "byCreated", "--pk", "c1", "-o", "jsonl")))
                .containsExactly("order#02", "order#04", "order#03", "order#05", "order#01");
        assertThat(sortKeys(query("-t", orders, "-i", "byCreated", "--pk", "c1", "--sk-between", "20240102", "20240104",
                "-o", "jsonl"))).containsExactly("order#04", "order#03", "order#05");
        assertThat(sortKeys(query("-t", orders, "-i", "byCreated", "--pk", "c1", "--sk-gt", "20240103", "--desc", "-o", "jsonl")))
                .containsExactly("order#01", "order#05");
    }

    @Test
    void readsConsistently_fromTheTableAndAnLsi() {
        assertThat(sortKeys(query("-t", orders, "c1", "--consistent", "--sk-ge", "order#04", "-o", "jsonl")))
                .containsExactly("order#04", "order#05");
        assertThat(sortKeys(query("-t", orders, "-i", "byCreated", "--pk", "c1", "--consistent", "--limit", "1", "-o", "jsonl")))
                .containsExactly("order#02");
    }

    // --- N and B keys, simple key ---

    @Test
    void typesNumberKeys_andComparesThemByValue() {
        assertThat(Jsonl.values(query("-t", numbers, "--pk", "42", "-o", "jsonl"), "seq"))
                .containsExactly("-12.5", "-3", "0", "2", "10", "12345678901234567890123456789012345678");
        assertThat(Jsonl.values(query("-t", numbers, "--pk", "42.000", "--sk-between", "-5", "3", "-o", "jsonl"), "seq"))
                .containsExactly("-3", "0", "2");
        assertThat(Jsonl.values(query("-t", numbers, "--pk", "42", "--sk-lt", "-3", "-o", "jsonl"), "seq")).containsExactly("-12.5");
    }

    @Test
    void findsNumberKeys_writtenAnyWay() {
        assertThat(query("-t", numbers, "--pk", "4.2e1", "--sk-eq", "2.00", "-o", "jsonl").stdout())
                .isEqualTo("{\"id\":42,\"seq\":2}\n");
        assertThat(Jsonl.values(query("-t", numbers, "--pk", "42", "--sk-between", "-3", "1E+1", "-o", "jsonl"), "seq"))
                .containsExactly("-3", "0", "2", "10");
        assertThat(query("-t", numbers, "--pk", "42", "--sk-ge", "12345678901234567890123456789012345678", "-o", "jsonl").stdout())
                .isEqualTo("{\"id\":42,\"seq\":12345678901234567890123456789012345678}\n");
        assertThat(query("-t", numbers, "43", "-o", "summary").stdout()).isEqualTo("1 item queried.\n");
    }

    @Test
    void typesBinaryKeys_asBase64() {
        assertThat(Jsonl.values(query("-t", binary, "--pk", "AQID", "-o", "jsonl"), "label"))
                .containsExactly("x10-01", "x10-02", "x20", "xff");
        // begins_with on binary: the prefix 0x10
        assertThat(Jsonl.values(query("-t", binary, "--pk", "AQID", "--sk", "EA==", "-o", "jsonl"), "label"))
                .containsExactly("x10-01", "x10-02");
        // unsigned byte order: 0xFF sorts last
        assertThat(Jsonl.values(query("-t", binary, "--pk", "AQID", "--sk-gt", "IA==", "-o", "jsonl"), "label")).containsExactly("xff");
        assertThat(Jsonl.values(query("-t", binary, "--pk", "AQID", "--sk-between", "EAI=", "IA==", "-o", "jsonl"), "label"))
                .containsExactly("x10-02", "x20");
        assertThat(query("-t", binary, "--pk", "AQID", "--sk-eq", "/w==", "-o", "jsonl").stdout())
                .isEqualTo("{\"bk\":\"AQID\",\"bs\":\"/w==\",\"label\":\"xff\"}\n");
    }

    @Test
    void queriesATableWithASimpleKey() {
        assertThat(query("-t", simple, "only", "-o", "jsonl").stdout()).isEqualTo("{\"id\":\"only\",\"value\":1}\n");
        assertThat(query("-t", simple, "only", "--count", "-o", "summary").stdout()).isEqualTo("1 item queried.\n");
    }

    // --- --unique, --count, --limit, --desc, --projection, --where ---

    @Test
    void countsDistinctValues_ofEveryType_sortedWithCounts() {
        assertThat(query("-t", orders, "c1", "-u", "total", "-o", "summary").stdout()).isEqualTo("""
                5 items queried.
                5 distinct values of total:
                  5      1
                  10     1
                  99.99  1
                  250.5  1
                  1000   1
                """);
        assertThat(query("-t", orders, "c1", "-u", "paid", "-o", "table").stdout()).isEqualTo("""
                paid  | count
                ------+------
                false | 2
                true  | 2
                1 item has no paid.
                """);
        assertThat(query("-t", orders, "c1", "-u", "tags", "-o", "jsonl").stdout()).isEqualTo("""
                {"value":["green"],"count":1}
                {"value":["red"],"count":2}
                """);
        assertThat(query("-t", orders, "c1", "-u", "address", "-o", "jsonl").stdout()).isEqualTo("""
                {"value":{"city":"Berlin"},"count":1}
                {"value":{"city":"Paris"},"count":1}
                """);
        assertThat(query("-t", orders, "c1", "-u", "blob", "-o", "jsonl").stdout()).isEqualTo("{\"value\":\"AQID\",\"count\":1}\n");
        assertThat(query("-t", orders, "c1", "-u", "deleted", "-o", "jsonl").stdout()).isEqualTo("{\"value\":null,\"count\":1}\n");
    }

    @Test
    void printsDistinctValuesAsTypedJson_inDdb() {
        JsonNode document = Jsonl.parse(query("-t", orders, "c1", "-u", "lines", "-o", "ddb").stdout());
        assertThat(document.get("attribute").asText()).isEqualTo("lines");
        assertThat(document.get("values").toString()).isEqualTo("[{\"value\":{\"L\":[{\"S\":\"a\"},{\"S\":\"b\"}]},\"count\":1}]");
        assertThat(document.get("missing").asInt()).isEqualTo(4);
    }

    @Test
    void countsDistinctValues_onlyOfTheItemsThatMatch() {
        assertThat(query("-t", orders, "c1", "-u", "status", "--where", "paid = true", "-o", "summary").stdout()).isEqualTo("""
                2 items queried.
                1 distinct value of status:
                  shipped  2
                """);
    }

    @Test
    void countsWithSelectCount_andHonoursFiltersAndSortKeys() {
        assertThat(query("-t", orders, "c1", "--count", "-o", "summary").stdout()).isEqualTo("5 items queried.\n");
        assertThat(query("-t", orders, "c1", "--count", "--where", "total >= 100", "-o", "jsonl").stdout())
                .isEqualTo("{\"Count\":2,\"ScannedCount\":5}\n");
        assertThat(query("-t", orders, "c1", "--count", "--sk-le", "order#02", "-o", "ddb").stdout())
                .isEqualTo("{\"Count\":2,\"ScannedCount\":2}\n");
        assertThat(query("-t", orders, "c1", "--count", "--limit", "3", "-o", "json").stdout())
                .isEqualTo("{\"Count\":3,\"ScannedCount\":3}\n");
        assertThat(query("-t", orders, "nobody", "--count", "-o", "summary").stdout()).isEqualTo("No item was found.\n");
    }

    @Test
    void stopsAfterTheLimit_inEitherDirection() {
        assertThat(sortKeys(query("-t", orders, "c1", "--limit", "2", "-o", "jsonl"))).containsExactly("order#01", "order#02");
        assertThat(sortKeys(query("-t", orders, "c1", "--limit", "2", "--desc", "-o", "jsonl"))).containsExactly("order#05", "order#04");
        assertThat(sortKeys(query("-t", orders, "c1", "--limit", "99", "-o", "jsonl"))).hasSize(5);
        assertThat(query("-t", orders, "c1", "--limit", "2", "-o", "summary").stdout()).isEqualTo("2 items queried.\n");
    }

    @Test
    void stopsAfterTheLimitOfMatchingItems_whenFiltering() {
        // the filter drops order#01 and order#03 (total < 100): the limit counts items that pass it
        assertThat(sortKeys(query("-t", orders, "c1", "--where", "total >= 100", "--limit", "1", "-o", "jsonl")))
                .containsExactly("order#02");
        assertThat(sortKeys(query("-t", orders, "c1", "--where", "total < 100", "--limit", "2", "--desc", "-o", "jsonl")))
                .containsExactly("order#05", "order#03");
    }

    @Test
    void printsTheLastItem_withHeadAndDesc() {
        assertThat(query("-t", orders, "c1", "--head", "--desc", "-o", "jsonl").lines()).hasSize(1)
                .first().asString().startsWith("{\"pk\":\"c1\",\"sk\":\"order#05\"");
    }

    @Test
    void returnsOnlyTheProjectedAttributes() {
        assertThat(query("-t", orders, "c1", "--projection", "total,sk", "--limit", "2", "-o", "jsonl").lines())
                .containsExactly("{\"sk\":\"order#01\",\"total\":10}", "{\"sk\":\"order#02\",\"total\":250.5}");
        assertThat(query("-t", orders, "c1", "--projection", "address, note", "--sk-eq", "order#01", "-o", "jsonl").stdout())
                .isEqualTo("{\"address\":{\"city\":\"Paris\"},\"note\":\"first\"}\n");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "status = shipped              | order#01 order#03",
        "status != shipped             | order#02 order#04 order#05",
        "status <> shipped             | order#02 order#04 order#05",
        "total >= 100                  | order#02 order#04",
        "total > 99.99                 | order#02 order#04",
        "total < 10                    | order#05",
        "total <= 10                   | order#01 order#05",
        "total = 1E3                   | order#04",
        "paid = true                   | order#01 order#03",
        "paid = false                  | order#02 order#04",
        "deleted = null                | order#03",
        "note exists                   | order#01 order#03",
        "note not_exists               | order#02 order#04 order#05",
        "note begins_with fir          | order#01",
        "note contains hir             | order#03",
        "tags contains red             | order#01 order#03",
        "address.city = Paris          | order#01",
        "address.city = 'Berlin'       | order#02",
        "lines[1] = b                  | order#01",
        "status = \"shipped\"          | order#01 order#03",
        "region = eu                   | order#01 order#02 order#03 order#04",
    })
    void filtersItems_withWhere(String where, String expected) {
        assertThat(sortKeys(query("-t", orders, "c1", "--where", where, "-o", "jsonl"))).isEqualTo(words(expected));
    }

    @Test
    void combinesSeveralWhere_withAnd() {
        assertThat(sortKeys(query("-t", orders, "c1", "--where", "region = eu", "--where", "paid = false",
                "--where", "total > 500", "-o", "jsonl"))).containsExactly("order#04");
    }

    // --- output formats ---

    @Test
    void printsPlainJsonWithExactNumbers_inJsonl() {
        assertThat(query("-t", orders, "c1", "--sk-eq", "order#02", "-o", "jsonl").stdout()).isEqualTo(
                "{\"pk\":\"c1\",\"sk\":\"order#02\",\"address\":{\"city\":\"Berlin\"},\"created\":20240101,\"paid\":false,"
                        + "\"region\":\"eu\",\"status\":\"open\",\"tags\":[\"green\"],\"total\":250.5}\n");
        assertThat(query("-t", orders, "c1", "--sk-eq", "order#05", "-o", "jsonl").stdout()).isEqualTo(
                "{\"pk\":\"c1\",\"sk\":\"order#05\",\"blob\":\"AQID\",\"created\":20240104,\"region\":\"us\",\"total\":5}\n");
    }

    @Test
    void printsAPrettyArray_inJson() {
        assertThat(query("-t", orders, "c1", "--sk-ge", "order#04", "--projection", "pk,sk,total", "-o", "json").stdout()).isEqualTo("""
                [
                  {
                    "pk": "c1",
                    "sk": "order#04",
                    "total": 1000
                  },
                  {
                    "pk": "c1",
                    "sk": "order#05",
                    "total": 5
                  }
                ]
                """);
        assertThat(query("-t", orders, "nobody", "-o", "json").stdout()).isEqualTo("[ ]\n");
    }

    @Test
    void printsTypedJsonLikeTheAwsCli_inDdb() {
        JsonNode document = Jsonl.parse(query("-t", orders, "c1", "--where", "deleted = null", "-o", "ddb").stdout());
        assertThat(document.get("Count").asInt()).isEqualTo(1);
        assertThat(document.get("ScannedCount").asInt()).isEqualTo(5);
        assertThat(document.get("Items").toString()).isEqualTo("[{\"pk\":{\"S\":\"c1\"},\"sk\":{\"S\":\"order#03\"},"
                + "\"created\":{\"N\":\"20240103\"},\"deleted\":{\"NULL\":true},\"note\":{\"S\":\"third\"},\"paid\":{\"BOOL\":true},"
                + "\"region\":{\"S\":\"eu\"},\"status\":{\"S\":\"shipped\"},\"tags\":{\"SS\":[\"red\"]},\"total\":{\"N\":\"99.99\"}}]");
    }

    @Test
    void printsATextTable_keyColumnsFirst() {
        assertThat(query("-t", orders, "c1", "--projection", "total,status,sk,pk", "-o", "table").stdout()).isEqualTo("""
                pk | sk       | status    | total
                ---+----------+-----------+------
                c1 | order#01 | shipped   | 10
                c1 | order#02 | open      | 250.5
                c1 | order#03 | shipped   | 99.99
                c1 | order#04 | cancelled | 1000
                c1 | order#05 |           | 5
                (5 items)
                """);
        assertThat(query("-t", orders, "-i", "byRegion", "--pk", "us", "--projection", "pk,sk,region,total", "-o", "table").stdout())
                .isEqualTo("""
                        region | total | pk | sk
                        -------+-------+----+---------
                        us     | 5     | c1 | order#05
                        us     | 7     | c2 | order#01
                        (2 items)
                        """);
    }

    private static List<String> sortKeys(CommandResult result) {
        return Jsonl.values(result, "sk");
    }

    private static List<String> words(String text) {
        return text.isBlank() ? List.of() : List.of(text.trim().split("\\s+"));
    }

    private static Map<String, AttributeValue> order(String pk, String sk, Map<String, AttributeValue> attributes) {
        Map<String, AttributeValue> item = new HashMap<>(attributes);
        item.put("pk", s(pk));
        item.put("sk", s(sk));
        return item;
    }

    private static AttributeValue s(String text) {
        return AttributeValue.fromS(text);
    }

    private static AttributeValue n(String number) {
        return AttributeValue.fromN(number);
    }

    private static AttributeValue b(int... bytes) {
        byte[] array = new byte[bytes.length];
        IntStream.range(0, bytes.length).forEach(i -> array[i] = (byte) bytes[i]);
        return AttributeValue.fromB(SdkBytes.fromByteArray(array));
    }
}
