package dev.dynamo.cli;

import static dev.dynamo.testing.CopyFixtures.s;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dynamo.testing.Cli;
import dev.dynamo.testing.CommandResult;
import dev.dynamo.testing.CopyFixtures;
import dev.dynamo.testing.EngineTest;
import dev.dynamo.testing.LocalDynamoDb;
import dev.dynamo.testing.LocalEngineExtension;
import dev.dynamo.testing.TestTables;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The write units in the summary: without --max-wcu the copy does not ask DynamoDB for them (that
 * cost DynamoDB Local a quarter of its write speed) and reports its estimate, marked "~"; with
 * --max-wcu it asks, and reports DynamoDB's figure. On the same items the two agree.
 */
@EngineTest
class CopyWriteUnitsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    @Test
    void estimatedWithoutMaxWcu_measuredWithIt_andTheyAgree(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other)
            throws Exception {
        String source = table(db);
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            Map<String, AttributeValue> item = new HashMap<>();
            item.put("pk", s("k" + i));
            item.put("data", s("d".repeat(i % 3 == 0 ? 1500 : 200)));  // 2 units or 1
            if (i % 2 == 0) {
                item.put("status", s("open"));                          // in the sparse GSI (ALL): the same again
            }
            items.add(item);
        }
        TestTables.put(db.client(), source, items);
        long expected = 0;
        for (int i = 0; i < 60; i++) {
            long tableUnits = i % 3 == 0 ? 2 : 1;
            expected += tableUnits * (i % 2 == 0 ? 2 : 1);
        }

        String estimatedTarget = table(other);
        CommandResult estimated = Cli.isolated(home).run("copy", "-t", source, "--target-table", estimatedTarget,
                "--source", db.env(), "--target", other.env(), "--summary", "json", "--no-progress");
        String measuredTarget = table(other);
        CommandResult measured = Cli.isolated(home).run("copy", "-t", source, "--target-table", measuredTarget,
                "--source", db.env(), "--target", other.env(), "--summary", "json", "--no-progress", "--max-wcu", "100000");
        CommandResult text = Cli.isolated(home).run("copy", "-t", source, "--target-table", table(other),
                "--source", db.env(), "--target", other.env(), "--no-progress");

        assertThat(estimated.exitCode()).as("%s", estimated).isZero();
        assertThat(measured.exitCode()).as("%s", measured).isZero();
        JsonNode estimate = JSON.readTree(estimated.stdout());
        JsonNode charged = JSON.readTree(measured.stdout());
        assertThat(estimate.get("writeUnitsMeasured").asBoolean()).isFalse();
        assertThat(charged.get("writeUnitsMeasured").asBoolean()).isTrue();
        assertThat(charged.get("writeUnits").asDouble()).as("the engine's own count for the same writes")
                .isEqualTo(engineCharge(other, items));
        assertThat(estimate.get("writeUnits").asDouble()).as("the estimate").isEqualTo(expected);
        assertThat(text.stderr()).contains(String.format("~%d WCU)", expected));
        CopyFixtures.assertSameItems(db.client(), source, other.client(), estimatedTarget, List.of("pk"));
    }

    /**
     * What the engine charges for writing these items, asked of it directly. DynamoDB charges the GSI's
     * writes too (the {@code expected} above); dynalite charges the table's alone (80 here, not 120), so
     * the measured figure is checked against the engine and the estimate against DynamoDB's rule.
     */
    private static double engineCharge(LocalDynamoDb db, List<Map<String, AttributeValue>> items) {
        String table = table(db);
        double units = 0;
        for (int from = 0; from < items.size(); from += 25) {
            List<WriteRequest> batch = items.subList(from, Math.min(items.size(), from + 25)).stream()
                    .map(item -> WriteRequest.builder().putRequest(p -> p.item(item)).build()).toList();
            BatchWriteItemResponse response = db.client().batchWriteItem(b -> b.requestItems(Map.of(table, batch))
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            assertThat(response.unprocessedItems()).isEmpty();
            for (ConsumedCapacity capacity : response.consumedCapacity()) {
                units += capacity.capacityUnits();
            }
        }
        return units;
    }

    private static String table(LocalDynamoDb db) {
        return TestTables.table("wcu").partitionKey("pk", ScalarAttributeType.S)
                .gsi("byStatus", "status", ScalarAttributeType.S, null, null, ProjectionType.ALL).create(db.client());
    }
}
