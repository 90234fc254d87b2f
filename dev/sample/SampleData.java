import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Creates a sample table {@code Orders} on a DynamoDB endpoint and fills it, for the README's quick
 * start. A single-file program run by {@code dev/local-dynamodb --sample} with the AWS SDK that
 * cli/target/dynamo.jar carries ({@code java -cp cli/target/dynamo.jar dev/sample/SampleData.java ...}); it is
 * not part of dynamo.jar. A loopback endpoint gets dummy keys; any other endpoint the SDK's default
 * credentials.
 *
 * <p>{@code Orders}: partition key {@code pk} (S, {@code customer#1} to {@code customer#20}), sort key
 * {@code sk} (S, {@code order#0001}, ...); GSI {@code byStatus} (status, created; ALL); LSI
 * {@code byTotal} (pk, total; KEYS_ONLY). Items hold every attribute type.
 *
 * <p>Arguments: {@code --endpoint URL [--table NAME] [--items N] [--region NAME]}.
 */
public final class SampleData {
    private static final String[] STATUSES = {"pending", "shipped", "delivered", "cancelled"};
    private static final int CUSTOMERS = 20;
    private static final int BATCH_ITEMS = 25;

    public static void main(String[] args) {
        String endpoint = "http://127.0.0.1:8000";
        String table = "Orders";
        int items = 1000;
        String region = "us-east-1";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--endpoint" -> endpoint = args[++i];
                case "--table" -> table = args[++i];
                case "--items" -> items = Integer.parseInt(args[++i]);
                case "--region" -> region = args[++i];
                default -> {
                    System.err.println("unknown argument: " + args[i] + " (expected --endpoint URL, --table NAME, --items N, --region NAME)");
                    System.exit(2);
                }
            }
        }
        try (DynamoDbClient client = DynamoDbClient.builder()
                .endpointOverride(URI.create(endpoint))
                .region(Region.of(region))
                .credentialsProvider(credentials(URI.create(endpoint)))
                .build()) {
            create(client, table);
            load(client, table, items);
            System.out.println("Created table " + table + " with " + items + " items at " + endpoint);
        }
    }

    private static AwsCredentialsProvider credentials(URI endpoint) {
        String host = endpoint.getHost() == null ? "" : endpoint.getHost();
        boolean loopback = host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
        return loopback ? StaticCredentialsProvider.create(AwsBasicCredentials.create("sample", "sample"))
                : DefaultCredentialsProvider.builder().build();
    }

    private static void create(DynamoDbClient client, String table) {
        try {
            client.createTable(b -> b.tableName(table)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(
                            definition("pk", ScalarAttributeType.S), definition("sk", ScalarAttributeType.S),
                            definition("status", ScalarAttributeType.S), definition("created", ScalarAttributeType.S),
                            definition("total", ScalarAttributeType.N))
                    .keySchema(key("pk", KeyType.HASH), key("sk", KeyType.RANGE))
                    .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName("byStatus")
                            .keySchema(key("status", KeyType.HASH), key("created", KeyType.RANGE))
                            .projection(Projection.builder().projectionType(ProjectionType.ALL).build()).build())
                    .localSecondaryIndexes(LocalSecondaryIndex.builder().indexName("byTotal")
                            .keySchema(key("pk", KeyType.HASH), key("total", KeyType.RANGE))
                            .projection(Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build()).build()));
        } catch (ResourceInUseException e) {
            System.out.println("Table " + table + " exists already; loading items into it");
        }
        // Polled every 50 ms: the SDK's waiter sleeps 20 s after a first CREATING, which dynalite may answer at once.
        for (int attempt = 0; client.describeTable(b -> b.tableName(table)).table().tableStatus() != TableStatus.ACTIVE; attempt++) {
            if (attempt > 6000) {
                throw new IllegalStateException("table " + table + " did not become ACTIVE within 5 minutes");
            }
            pause(50);
        }
    }

    private static void load(DynamoDbClient client, String table, int count) {
        List<WriteRequest> batch = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            batch.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item(i)).build()).build());
            if (batch.size() == BATCH_ITEMS || i == count) {
                Map<String, List<WriteRequest>> pending = Map.of(table, batch);
                while (!pending.isEmpty()) {
                    Map<String, List<WriteRequest>> request = pending;
                    BatchWriteItemResponse response = client.batchWriteItem(b -> b.requestItems(request));
                    pending = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
                    if (!pending.isEmpty()) {
                        pause(200);
                    }
                }
                batch = new ArrayList<>();
            }
        }
    }

    static Map<String, AttributeValue> item(int i) {
        int customer = (i - 1) % CUSTOMERS + 1;
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", AttributeValue.fromS("customer#" + customer));
        item.put("sk", AttributeValue.fromS(String.format("order#%04d", i)));
        item.put("status", AttributeValue.fromS(STATUSES[(i / CUSTOMERS + i) % STATUSES.length]));
        item.put("created", AttributeValue.fromS(String.format("2024-%02d-%02dT10:%02d:00Z", i % 12 + 1, i % 28 + 1, i % 60)));
        item.put("total", AttributeValue.fromN(String.format("%d.%02d", 10 + i * 7 % 990, i % 100)));
        item.put("gift", AttributeValue.fromBool(i % 5 == 0));
        item.put("tags", AttributeValue.fromSs(i % 2 == 0 ? List.of("express", "fragile") : List.of("standard")));
        item.put("quantities", AttributeValue.fromNs(List.of(String.valueOf(i % 3 + 1), String.valueOf(i % 7 + 10))));
        item.put("lines", AttributeValue.fromL(List.of(AttributeValue.fromM(Map.of(
                "sku", AttributeValue.fromS("sku-" + (i % 50)),
                "price", AttributeValue.fromN("19.99"))))));
        item.put("thumbnail", AttributeValue.fromB(SdkBytes.fromString("img-" + i, StandardCharsets.UTF_8)));
        if (i % 10 == 0) {
            item.put("note", AttributeValue.fromNul(true));
        }
        return item;
    }

    private static AttributeDefinition definition(String name, ScalarAttributeType type) {
        return AttributeDefinition.builder().attributeName(name).attributeType(type).build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private SampleData() {
    }
}
