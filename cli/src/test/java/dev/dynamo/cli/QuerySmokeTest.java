package dev.dynamo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.testing.Cli;
import dev.dynamo.testing.CommandResult;
import dev.dynamo.testing.EngineTest;
import dev.dynamo.testing.LocalDynamoDb;
import dev.dynamo.testing.TestTables;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

@EngineTest
class QuerySmokeTest {
    @TempDir
    Path home;

    @Test
    void countsAndPrintsItems_ofOnePartition(LocalDynamoDb db) {
        String table = TestTables.table("smoke").partitionKey("pk", ScalarAttributeType.S)
                .sortKey("sk", ScalarAttributeType.N).create(db.client());
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            items.add(Map.of("pk", AttributeValue.fromS("a"), "sk", AttributeValue.fromN(String.valueOf(i)),
                    "price", AttributeValue.fromN("12345678901234567890.123456789")));
        }
        items.add(Map.of("pk", AttributeValue.fromS("b"), "sk", AttributeValue.fromN("1")));
        TestTables.put(db.client(), table, items);

        Cli cli = Cli.isolated(home);
        assertThat(cli.succeed("query", "-t", table, "--pk", "a", "-e", db.env(), "-o", "summary").stdout())
                .isEqualTo("3 items queried.\n");
        CommandResult jsonl = cli.succeed("query", "-t", table, "a", "-e", db.env(), "-o", "jsonl");
        assertThat(jsonl.lines()).containsExactly(
                "{\"pk\":\"a\",\"sk\":0,\"price\":12345678901234567890.123456789}",
                "{\"pk\":\"a\",\"sk\":1,\"price\":12345678901234567890.123456789}",
                "{\"pk\":\"a\",\"sk\":2,\"price\":12345678901234567890.123456789}");
    }

    @Test
    void failsWithOneLine_whenTheTableDoesNotExist(LocalDynamoDb db) {
        CommandResult result = Cli.isolated(home).fail(2, "query", "-t", "NoSuchTable", "--pk", "a", "-e", db.env());
        assertThat(result.stderr()).isEqualTo("dynamo: table 'NoSuchTable' not found in '" + db.env()
                + "' (us-east-1); list the tables there with: dynamo tables -e " + db.env() + "\n");
    }
}
