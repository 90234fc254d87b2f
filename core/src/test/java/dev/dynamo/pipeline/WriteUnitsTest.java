package dev.dynamo.pipeline;

import static dev.dynamo.testing.CopyFixtures.s;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.env.DynamoClientFactory;
import dev.dynamo.env.Environment;
import dev.dynamo.env.EnvironmentResolver;
import dev.dynamo.env.EnvironmentSpec;
import dev.dynamo.env.RawBodies;
import dev.dynamo.items.ItemSize;
import dev.dynamo.items.RawItems;
import dev.dynamo.table.TableCatalog;
import dev.dynamo.table.TableSchema;
import dev.dynamo.testing.EngineTest;
import dev.dynamo.testing.LocalDynamoDb;
import dev.dynamo.testing.TestTables;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The write-unit estimate a copy reports (without --max-wcu it does not ask DynamoDB) against what
 * DynamoDB itself charges for putting the same new items: items of several sizes, in and out of
 * sparse indexes of every projection.
 */
@EngineTest
class WriteUnitsTest {
    @TempDir
    Path home;

    @Test
    void estimateOfPuttingNewItems_isWhatDynamoDbCharges(LocalDynamoDb db) {
        String table = TestTables.table("units").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.S)
                .gsi("all", "g", ScalarAttributeType.S, null, null, ProjectionType.ALL)
                .gsi("keys", "h", ScalarAttributeType.S, "hs", ScalarAttributeType.N, ProjectionType.KEYS_ONLY)
                .gsi("some", "h", ScalarAttributeType.S, null, null, ProjectionType.INCLUDE, "small", "big")
                .lsi("local", "l", ScalarAttributeType.S, ProjectionType.INCLUDE, "small")
                .create(db.client());
        Environment environment = new EnvironmentResolver(Map.of(), home).resolve(EnvironmentSpec.of(db.env()));
        TableSchema schema = new TableCatalog(db.client(), environment).describe(table);
        WriteUnits units = new WriteUnits(schema);

        String kilobytes = "x".repeat(1500);
        List<Map<String, AttributeValue>> items = List.of(
                item(1, Map.of()),                                                          // in no index
                item(2, Map.of("g", s("a"))),                                               // in 'all'
                item(3, Map.of("g", s("a"), "big", s(kilobytes))),                          // 2 KB in the table and in 'all'
                item(4, Map.of("h", s("b"), "hs", AttributeValue.fromN("7"), "big", s(kilobytes))), // keys, some (with big)
                item(5, Map.of("h", s("b"), "big", s(kilobytes + kilobytes))),              // some (not keys: no hs)
                item(6, Map.of("l", s("c"), "small", s("y"), "big", s(kilobytes))),         // local, with small only
                item(7, Map.of("g", s("a"), "h", s("b"), "hs", AttributeValue.fromN("1"), "l", s("c"),
                        "small", s("y".repeat(1100)), "big", s(kilobytes))));               // every index
        List<Double> chargedUnits = new ArrayList<>();
        List<Double> estimates = new ArrayList<>();
        for (Map<String, AttributeValue> item : items) {
            BatchWriteItemResponse response = db.client().batchWriteItem(b -> b
                    .requestItems(Map.of(table, List.of(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build())))
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            chargedUnits.add(response.consumedCapacity().get(0).capacityUnits());
            estimates.add(units.put(item, ItemSize.of(item)));
        }
        // What DynamoDB charges (by its documented rules, and as DynamoDB Local charged when this suite ran on it): the cases
        // differ, so a wrong index rule would show.
        List<Double> dynamoDbCharges = List.of(1.0, 2.0, 4.0, 5.0, 6.0, 3.0, 12.0);
        assertThat(estimates).isEqualTo(dynamoDbCharges);
        if (chargedUnits.get(1) > 1.0) {
            // An engine that charges index writes (DynamoDB, DynamoDB Local) charges exactly the estimate.
            assertThat(chargedUnits).isEqualTo(estimates);
        } else {
            // dynalite charges the table's write alone, never the indexes': 1 unit per KB of item.
            assertThat(chargedUnits).containsExactly(1.0, 1.0, 2.0, 2.0, 3.0, 2.0, 3.0);
        }

        // The same estimate from the items as a copy reads them: raw Scan pages, sizes taken while parsing.
        RawItems.Shape shape = new RawItems.Shape(schema.keys().names(), units.sizedNames());
        RawItems[] raw = new RawItems[1];
        RawBodies.ResponseFilter filter = body -> {
            RawItems.Parsed parsed = RawItems.parse(body, shape);
            raw[0] = parsed.items();
            return parsed.rest();
        };
        try (DynamoDbClient client = DynamoClientFactory.create(environment)) {
            client.scan(b -> b.tableName(table).overrideConfiguration(o -> o.putExecutionAttribute(RawBodies.RESPONSE_FILTER, filter)));
        }
        assertThat(raw[0]).hasSize(items.size());
        for (int i = 0; i < raw[0].size(); i++) {
            int number = Integer.parseInt(raw[0].keyOf(i).get("sk").s().substring("item-".length()));
            assertThat(units.put(raw[0], i)).as("units of raw item %s", number).isEqualTo(estimates.get(number - 1));
        }
        assertThat(units.delete()).isEqualTo(1 + 4);
    }

    private static Map<String, AttributeValue> item(int number, Map<String, AttributeValue> attributes) {
        Map<String, AttributeValue> item = new HashMap<>(attributes);
        item.put("pk", s("p"));
        item.put("sk", s("item-" + number));
        item.put("n", AttributeValue.fromN(String.valueOf(number)));
        return item;
    }
}
