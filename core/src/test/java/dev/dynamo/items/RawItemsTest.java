package dev.dynamo.items;

import static dev.dynamo.testing.CopyFixtures.n;
import static dev.dynamo.testing.CopyFixtures.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dynamo.env.DynamoClientFactory;
import dev.dynamo.env.Environment;
import dev.dynamo.env.EnvironmentResolver;
import dev.dynamo.env.EnvironmentSpec;
import dev.dynamo.env.RawBodies;
import dev.dynamo.testing.CopyFixtures;
import dev.dynamo.testing.EngineTest;
import dev.dynamo.testing.LocalDynamoDb;
import dev.dynamo.testing.TestTables;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * Items kept as DynamoDB's JSON on the copy path, against a real local engine: what is parsed out
 * of a Scan page (items, sizes, keys, attribute sizes) equals what the SDK reads from the same
 * page, and what a put of the bytes writes equals the source, for every attribute type.
 */
@EngineTest
class RawItemsTest {
    private static final int ITEMS = 40;

    @TempDir
    Path home;
    private final List<DynamoDbClient> clients = new ArrayList<>();

    @AfterEach
    void closeClients() {
        clients.forEach(DynamoDbClient::close);
    }

    @Test
    void scanPageParsedRaw_equalsTheSdksItems_withSizesKeysAndAttributeSizes(LocalDynamoDb db) {
        String table = loadedTable(db);
        DynamoDbClient client = client(db);

        ScanResponse sdk = client.scan(b -> b.tableName(table));
        RawPageRead read = scanRaw(client, ScanRequest.builder().tableName(table).build());

        assertThat(read.response.items()).as("the SDK parses a page without items").isEmpty();
        assertThat(read.response.count()).isEqualTo(ITEMS);
        RawItems raw = read.items;
        assertThat(raw).hasSize(ITEMS);
        assertThat(new ArrayList<>(raw)).as("decoded items, in page order").isEqualTo(sdk.items());
        for (int i = 0; i < raw.size(); i++) {
            Map<String, AttributeValue> item = sdk.items().get(i);
            assertThat(raw.sizeOf(i)).as("size of item %s", i).isEqualTo(ItemSize.of(item));
            assertThat(raw.keyOf(i)).isEqualTo(Map.of("id", item.get("id"), "sk", item.get("sk")));
            for (String name : List.of("text", "map", "missing")) {
                AttributeValue value = item.get(name);
                assertThat(raw.attributeSize(i, name)).as("size of %s in item %s", name, i).isEqualTo(value == null ? -1 : ItemSize.of(value));
            }
        }
        assertThatThrownBy(() -> raw.attributeSize(0, "notSized")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void putRequestBodyOfRawItems_writesThemExactly_andSaysSoInItsCount(LocalDynamoDb db) {
        String source = loadedTable(db);
        String target = numericKeyTable(db);
        DynamoDbClient client = client(db);
        RawItems raw = scanRaw(client, ScanRequest.builder().tableName(source).build()).items;

        int[] firstBatch = IntStream.range(0, 25).toArray();
        int[] secondBatch = IntStream.range(25, raw.size()).toArray();
        for (int[] batch : List.of(firstBatch, secondBatch)) {
            byte[] body = raw.putRequestBody(target, batch, true);
            BatchWriteItemResponse response = client.batchWriteItem(b -> b.requestItems(Map.of(target, List.of()))
                    .overrideConfiguration(o -> o.putExecutionAttribute(RawBodies.REQUEST_BODY, body)));
            assertThat(response.unprocessedItems().getOrDefault(target, List.of())).isEmpty();
            assertThat(response.consumedCapacity()).as("ReturnConsumedCapacity was sent").hasSize(1);
            assertThat(response.consumedCapacity().get(0).capacityUnits()).isGreaterThanOrEqualTo(batch.length);
        }
        CopyFixtures.assertSameItems(db.client(), source, db.client(), target, List.of("id", "sk"));
        assertThat(raw.putRequestBody(target, new int[] {0}, false)).asString(StandardCharsets.UTF_8)
                .startsWith("{\"RequestItems\":{\"" + target + "\":[{\"PutRequest\":{\"Item\":{")
                .endsWith("}}]}}");
    }

    @Test
    void pagesOfAScan_areParsedRaw_withTheirLastEvaluatedKey(LocalDynamoDb db) {
        String table = loadedTable(db);
        DynamoDbClient client = client(db);

        List<Map<String, AttributeValue>> seen = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        int pages = 0;
        do {
            ScanRequest.Builder request = ScanRequest.builder().tableName(table).limit(7);
            if (start != null) {
                request.exclusiveStartKey(start);
            }
            RawPageRead read = scanRaw(client, request.build());
            seen.addAll(read.items);
            start = read.response.hasLastEvaluatedKey() && !read.response.lastEvaluatedKey().isEmpty()
                    ? read.response.lastEvaluatedKey() : null;
            pages++;
        } while (start != null);
        assertThat(pages).isGreaterThan(ITEMS / 7);
        assertThat(seen).hasSize(ITEMS);
        // As DynamoDB holds them (it normalizes numbers: 9.9E+125 comes back as digits), read by the SDK.
        List<Map<String, AttributeValue>> stored = client.scan(b -> b.tableName(table)).items();
        assertThat(CopyFixtures.byKey(seen, List.of("id", "sk"))).isEqualTo(CopyFixtures.byKey(stored, List.of("id", "sk")));
    }

    @Test
    void responsesThatAreNotDynamoDbJson_areRefused() {
        RawItems.Shape shape = new RawItems.Shape(List.of("id"), List.of());
        for (String body : List.of("[]", "{\"Items\":[{\"a\":{\"X\":\"1\"}}]}", "{\"Items\":[{\"a\":{\"S\":1}}]}",
                "{\"Items\":[{\"a\":{\"S\":\"1\",\"N\":\"2\"}}]}", "{\"Items\":[{\"a\":\"plain\"}]}", "{\"Items\":[1]}",
                "{\"Items\":[{\"a\":{\"BOOL\":\"yes\"}}]}", "{\"Items\":[{\"a\":{\"NULL\":false}}]}",
                "{\"Items\":[{\"a\":{\"N\":\"five\"}}]}", "{\"Items\":[{\"id\":{\"N\":\"1x\"}}]}",
                "{\"Items\":[{\"a\":{\"B\":\"not base64\"}}]}", "{\"Items\":[{\"a\":{\"BS\":[\"AQ\"]}}]}",
                "{\"Items\":[{\"a\":{\"S\":\"x\"},\"a\":{\"S\":\"y\"}}]}")) {
            assertThatThrownBy(() -> RawItems.parse(body.getBytes(StandardCharsets.UTF_8), shape)).as(body).isInstanceOf(IOException.class);
        }
    }

    @Test
    void responseWithoutItems_isLeftAsItIs() throws IOException {
        byte[] body = "{\"Count\":0,\"ScannedCount\":3}".getBytes(StandardCharsets.UTF_8);
        RawItems.Parsed parsed = RawItems.parse(body, new RawItems.Shape(List.of("id"), List.of()));
        assertThat(parsed.items()).isEmpty();
        assertThat(parsed.rest()).isEqualTo(body);
    }

    private record RawPageRead(ScanResponse response, RawItems items) {
    }

    private static RawPageRead scanRaw(DynamoDbClient client, ScanRequest request) {
        RawItems.Shape shape = new RawItems.Shape(List.of("id", "sk"), List.of("text", "map", "missing"));
        RawItems[] parsed = new RawItems[1];
        RawBodies.ResponseFilter filter = body -> {
            RawItems.Parsed result = RawItems.parse(body, shape);
            parsed[0] = result.items();
            return result.rest();
        };
        ScanResponse response = client.scan(request.toBuilder()
                .overrideConfiguration(o -> o.putExecutionAttribute(RawBodies.RESPONSE_FILTER, filter)).build());
        assertThat(parsed[0]).as("the filter saw the response").isNotNull();
        return new RawPageRead(response, parsed[0]);
    }

    /** A table keyed by a number and binary sort key: key values that are not strings. */
    private static String numericKeyTable(LocalDynamoDb db) {
        return TestTables.table("raw").partitionKey("id", ScalarAttributeType.N).sortKey("sk", ScalarAttributeType.B).create(db.client());
    }

    /** A table of {@link #ITEMS} items of every type, some with attributes left out or nested deeper. */
    private static String loadedTable(LocalDynamoDb db) {
        String table = numericKeyTable(db);
        TestTables.put(db.client(), table, items());
        return table;
    }

    private static List<Map<String, AttributeValue>> items() {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int i = 0; i < ITEMS; i++) {
            Map<String, AttributeValue> key = new LinkedHashMap<>();
            key.put("id", n(i % 3 == 0 ? "1" + "0".repeat(37) : "-" + i + ".5"));
            key.put("sk", CopyFixtures.b((byte) i, (byte) 0xff));
            Map<String, AttributeValue> item = CopyFixtures.everyType(key, i);
            if (i % 4 == 0) {
                item.remove("text");
                item.put("escaped", s("tab\t newline\n quote\" backslash\\ nul\u0000 \u007f \u2028"));
                item.put("nested", AttributeValue.fromL(List.of(AttributeValue.fromM(Map.of("l", AttributeValue.fromL(List.of(
                        AttributeValue.fromSs(List.of("é", "\uD83D\uDE00")), AttributeValue.fromBool(false))))))));
            }
            items.add(item);
        }
        return items;
    }

    private DynamoDbClient client(LocalDynamoDb db) {
        Environment environment = new EnvironmentResolver(Map.of(), home).resolve(EnvironmentSpec.of(db.env()));
        DynamoDbClient client = DynamoClientFactory.create(environment);
        clients.add(client);
        return client;
    }
}
