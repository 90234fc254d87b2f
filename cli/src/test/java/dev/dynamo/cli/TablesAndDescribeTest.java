package dev.dynamo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dynamo.output.SdkJson;
import dev.dynamo.testing.Cli;
import dev.dynamo.testing.CommandResult;
import dev.dynamo.testing.EngineTest;
import dev.dynamo.testing.Jsonl;
import dev.dynamo.testing.LocalDynamoDb;
import dev.dynamo.testing.TestTables;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

@EngineTest
class TablesAndDescribeTest {
    private static String env;
    private static String indexed;
    private static String simple;
    /** The engine's own ItemCount of {@code indexed}: DynamoDB updates it about every six hours, DynamoDB Local at once, dynalite never. */
    private static long indexedCount;

    @TempDir
    Path home;

    @BeforeAll
    static void createTables(LocalDynamoDb db) {
        env = db.env();
        indexed = TestTables.table("indexed")
                .partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.N)
                .gsi("byRegion", "region", ScalarAttributeType.S, "total", ScalarAttributeType.N, ProjectionType.ALL)
                .gsi("byStatus", "status", ScalarAttributeType.S, null, null, ProjectionType.KEYS_ONLY)
                .gsi("byTag", "tag", ScalarAttributeType.B, null, null, ProjectionType.INCLUDE, "note", "total")
                .lsi("byCreated", "created", ScalarAttributeType.N, ProjectionType.KEYS_ONLY)
                .create(db.client());
        TestTables.put(db.client(), indexed, List.of(
                Map.of("pk", AttributeValue.fromS("a"), "sk", AttributeValue.fromN("1")),
                Map.of("pk", AttributeValue.fromS("a"), "sk", AttributeValue.fromN("2"))));
        simple = TestTables.table("simple").partitionKey("id", ScalarAttributeType.B).create(db.client());
        indexedCount = db.client().describeTable(b -> b.tableName(indexed)).table().itemCount();
    }

    @Test
    void listsTableNames_onePerLine_sorted() {
        List<String> names = Cli.isolated(home).succeed("tables", "-e", env).lines();
        assertThat(names).contains(indexed, simple).isSorted();
    }

    @Test
    void listsTableNames_asTheAwsClisListTablesShape_inJson() {
        // {"TableNames": [...]}, as `aws dynamodb list-tables` prints it, so `jq -r '.TableNames[]'` works alike.
        JsonNode listed = Jsonl.parse(Cli.isolated(home).succeed("tables", "-e", env, "-o", "json").stdout());
        assertThat(listed.size()).isEqualTo(1);
        List<String> names = new ArrayList<>();
        listed.get("TableNames").forEach(name -> names.add(name.asText()));
        assertThat(names).contains(indexed, simple).isSorted();
    }

    @Test
    void listsTableNames_asOneJsonStringPerLine_inJsonl() {
        CommandResult text = Cli.isolated(home).succeed("tables", "-e", env);
        CommandResult jsonl = Cli.isolated(home).succeed("tables", "-e", env, "-o", "JSONL");
        assertThat(jsonl.lines()).containsExactlyElementsOf(text.lines().stream().map(name -> "\"" + name + "\"").toList());
        // The old spelling of the default still works.
        assertThat(Cli.isolated(home).succeed("tables", "-e", env, "-o", "text").stdout()).isEqualTo(text.stdout());
    }

    @Test
    void describesKeysIndexesAndProjections_asText() {
        List<String> lines = Cli.isolated(home).succeed("describe", "-t", indexed, "-e", env).lines();
        assertThat(lines).containsExactly(
                "Table:          " + indexed + " (ACTIVE)",
                "Environment:    '" + env + "' (us-east-1)",
                "Partition key:  pk (S)",
                "Sort key:       sk (N)",
                "Billing mode:   PAY_PER_REQUEST",
                "Items:          " + indexedCount + " (DynamoDB updates this about every six hours)",
                lines.get(6),
                "Indexes:",
                "  byRegion   GSI  region (S), total (N)  projection ALL",
                "  byStatus   GSI  status (S)  projection KEYS_ONLY",
                "  byTag      GSI  tag (B)  projection INCLUDE note,total",
                "  byCreated  LSI  pk (S), created (N)  projection KEYS_ONLY");
        assertThat(lines.get(6)).matches("Size:           \\d+ B");
    }

    @Test
    void describesATableWithoutSortKeyOrIndexes() {
        assertThat(Cli.isolated(home).succeed("describe", "-t", simple, "-e", env).lines()).containsSubsequence(
                "Partition key:  id (B)", "Sort key:       (none)").contains("Indexes:        (none)", "Size:           0 B");
    }

    @Test
    void describesTheTable_asDescribeTablesOwnJson(LocalDynamoDb db) {
        String printed = Cli.isolated(home).succeed("describe", "-t", indexed, "-e", env, "-o", "json").stdout();
        JsonNode json = Jsonl.parse(printed);

        // Literal paths, as `jq .Table.KeySchema` reads them from `aws dynamodb describe-table`.
        assertThat(json.size()).isEqualTo(1);
        JsonNode table = json.get("Table");
        assertThat(table.get("TableName").asText()).isEqualTo(indexed);
        assertThat(table.get("KeySchema").toString())
                .isEqualTo("[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"},{\"AttributeName\":\"sk\",\"KeyType\":\"RANGE\"}]");
        assertThat(table.get("TableStatus").asText()).isEqualTo("ACTIVE");
        assertThat(table.get("ItemCount").asLong()).isEqualTo(indexedCount);
        assertThat(table.get("CreationDateTime").isNumber()).as("epoch seconds, as DynamoDB sends it").isTrue();
        assertThat(table.get("GlobalSecondaryIndexes")).hasSize(3);
        assertThat(table.get("LocalSecondaryIndexes").get(0).get("IndexName").asText()).isEqualTo("byCreated");
        assertThat(table.at("/AttributeDefinitions").toString()).contains("{\"AttributeName\":\"tag\",\"AttributeType\":\"B\"}");
        JsonNode byTag = null;
        for (JsonNode index : table.get("GlobalSecondaryIndexes")) {
            byTag = index.get("IndexName").asText().equals("byTag") ? index : byTag;
        }
        assertThat(byTag.get("Projection").toString())
                .isEqualTo("{\"ProjectionType\":\"INCLUDE\",\"NonKeyAttributes\":[\"note\",\"total\"]}");
        assertThat(printed).startsWith("{\n  \"Table\": {\n");

        // Read back through the SDK's own model: every field the SDK got is printed, and nothing else.
        DescribeTableResponse sdk = db.client().describeTable(b -> b.tableName(indexed));
        DescribeTableResponse roundTrip = SdkJson.read(json, DescribeTableResponse::builder, DescribeTableResponse.class);
        assertThat(roundTrip.table()).isEqualTo(sdk.table());
        assertThat(roundTrip.table().creationDateTime()).isEqualTo(sdk.table().creationDateTime());
    }

    @Test
    void describesTheTable_asText_withTheOldSpellingAndAnyCase() {
        String text = Cli.isolated(home).succeed("describe", "-t", simple, "-e", env).stdout();
        assertThat(Cli.isolated(home).succeed("describe", "-t", simple, "-e", env, "-o", "text").stdout()).isEqualTo(text);
        assertThat(Cli.isolated(home).succeed("describe", "-t", simple, "-e", env, "-o", "Text").stdout()).isEqualTo(text);
    }

    @Test
    void failsWithOneLine_whenTheTableDoesNotExist() {
        assertThat(Cli.isolated(home).fail(2, "describe", "-t", "NoSuchTable", "-e", env).stderr()).isEqualTo("dynamo: table "
                + "'NoSuchTable' not found in '" + env + "' (us-east-1); list the tables there with: dynamo tables -e " + env + "\n");
        assertThat(Cli.isolated(home).fail(2, "describe", "-e", env).stderr())
                .isEqualTo("dynamo: Missing required option: '--table=TABLE' (see 'dynamo describe --help')\n");
    }

    @Test
    void failsWithOneLine_whenTheEndpointIsUnreachable() throws IOException {
        String closed = "http://127.0.0.1:" + QueryErrorsTest.closedPort();
        assertThat(Cli.isolated(home).fail(1, "tables", "-e", closed).stderr()).isEqualTo("dynamo: cannot reach '"
                + closed + "' (us-east-1) while listing tables (connection refused): check that DynamoDB is running there and "
                + "the --env/--endpoint-url is right\n");
        assertThat(Cli.isolated(home).fail(1, "describe", "-t", indexed, "-e", closed).stderr())
                .startsWith("dynamo: cannot reach '" + closed + "' (us-east-1) while describing table '");
    }

    @Test
    void refusesAFormatTheCommandDoesNotTake_withTheSameLineAsAnUnknownOne() {
        assertThat(Cli.isolated(home).fail(2, "tables", "-e", env, "-o", "yaml").stderr()).isEqualTo("dynamo: Invalid value for "
                + "option '--output': 'yaml' is not an output format for tables; expected one of text, json, jsonl "
                + "(see 'dynamo tables --help')\n");
        assertThat(Cli.isolated(home).fail(2, "tables", "-e", env, "-o", "table").stderr()).isEqualTo("dynamo: Invalid value for "
                + "option '--output': 'table' is not an output format for tables; expected one of text, json, jsonl "
                + "(see 'dynamo tables --help')\n");
        assertThat(Cli.isolated(home).fail(2, "describe", "-t", indexed, "-e", env, "-o", "table").stderr()).isEqualTo("dynamo: "
                + "Invalid value for option '--output': 'table' is not an output format for describe; expected one of text, json "
                + "(see 'dynamo describe --help')\n");
        assertThat(Cli.isolated(home).fail(2, "describe", "-t", indexed, "-e", env, "-o", "jsonl").stderr())
                .contains("'jsonl' is not an output format for describe; expected one of text, json");
    }

    @Test
    void printsTheVersion_forEveryCommand() {
        for (String[] args : List.of(new String[] {"--version"}, new String[] {"query", "--version"},
                new String[] {"tables", "-V"}, new String[] {"describe", "--version"})) {
            assertThat(Cli.isolated(home).succeed(args).lines()).hasSize(2).first().asString().startsWith("dynamo ");
        }
    }

    @Test
    void printsTheRootHelp_whenNoCommandIsGiven() {
        assertThat(Cli.isolated(home).succeed().stdout()).startsWith("Usage: dynamo ").contains("Commands:", "query", "tables", "describe");
        assertThat(Cli.isolated(home).fail(2, "scan").stderr()).isEqualTo("dynamo: unknown command 'scan' (see 'dynamo --help')\n");
    }
}
