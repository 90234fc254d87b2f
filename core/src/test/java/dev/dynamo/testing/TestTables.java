package dev.dynamo.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Creates uniquely named test tables on a server and loads items into them. Every test makes its
 * own tables, so no test depends on another's data.
 */
public final class TestTables {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    /**
     * This run's token in every table name, so that the tables a run made on a shared endpoint can be found and deleted.
     * A run is a test JVM: the build runs two side by side (surefire's forkCount), which may start in the same millisecond,
     * so the token carries the process id too.
     */
    private static final String RUN = "t" + Long.toString(System.currentTimeMillis() % 100_000_000_000L, 36)
            + "-p" + ProcessHandle.current().pid();

    private TestTables() {
    }

    /** A name no other test uses: {@code prefix-run-n}. */
    public static String uniqueName(String prefix) {
        return prefix + "-" + RUN + "-" + COUNTER.incrementAndGet();
    }

    /**
     * Deletes every table whose name carries this run's token: what this run created on an endpoint
     * someone else runs (see {@link LocalDynamoDb}). Tables of other runs and other users are left alone.
     */
    static void deleteThisRunsTables(DynamoDbClient client) {
        String token = "-" + RUN + "-";
        List<String> names = new ArrayList<>();
        try {
            client.listTablesPaginator().tableNames().forEach(names::add);
        } catch (RuntimeException e) {
            System.err.println("could not list the tables to delete on the test endpoint: " + e.getMessage());
            return;
        }
        for (String name : names) {
            if (name.contains(token)) {
                try {
                    client.deleteTable(b -> b.tableName(name));
                } catch (RuntimeException e) {
                    System.err.println("could not delete test table " + name + ": " + e.getMessage());
                }
            }
        }
    }

    /** A table definition under construction. */
    public static Builder table(String prefix) {
        return new Builder(uniqueName(prefix));
    }

    /** Builds CreateTable requests with a readable, chainable shape. */
    public static final class Builder {
        private final String name;
        private final Map<String, ScalarAttributeType> attributes = new LinkedHashMap<>();
        private final List<KeySchemaElement> keys = new ArrayList<>();
        private final List<GlobalSecondaryIndex> gsis = new ArrayList<>();
        private final List<LocalSecondaryIndex> lsis = new ArrayList<>();

        private Builder(String name) {
            this.name = name;
        }

        public Builder partitionKey(String attribute, ScalarAttributeType type) {
            attributes.put(attribute, type);
            keys.add(KeySchemaElement.builder().attributeName(attribute).keyType(KeyType.HASH).build());
            return this;
        }

        public Builder sortKey(String attribute, ScalarAttributeType type) {
            attributes.put(attribute, type);
            keys.add(KeySchemaElement.builder().attributeName(attribute).keyType(KeyType.RANGE).build());
            return this;
        }

        /** A GSI; sortKey may be null. For INCLUDE, pass the non-key attributes. */
        public Builder gsi(String index, String partition, ScalarAttributeType partitionType, String sort,
                ScalarAttributeType sortType, ProjectionType projection, String... include) {
            attributes.put(partition, partitionType);
            List<KeySchemaElement> schema = new ArrayList<>();
            schema.add(KeySchemaElement.builder().attributeName(partition).keyType(KeyType.HASH).build());
            if (sort != null) {
                attributes.put(sort, sortType);
                schema.add(KeySchemaElement.builder().attributeName(sort).keyType(KeyType.RANGE).build());
            }
            gsis.add(GlobalSecondaryIndex.builder().indexName(index).keySchema(schema).projection(projection(projection, include)).build());
            return this;
        }

        /** An LSI: the table's partition key with another sort key. */
        public Builder lsi(String index, String sort, ScalarAttributeType sortType, ProjectionType projection, String... include) {
            attributes.put(sort, sortType);
            List<KeySchemaElement> schema = List.of(keys.get(0),
                    KeySchemaElement.builder().attributeName(sort).keyType(KeyType.RANGE).build());
            lsis.add(LocalSecondaryIndex.builder().indexName(index).keySchema(schema).projection(projection(projection, include)).build());
            return this;
        }

        private static Projection projection(ProjectionType type, String... include) {
            Projection.Builder projection = Projection.builder().projectionType(type);
            if (type == ProjectionType.INCLUDE) {
                projection.nonKeyAttributes(include);
            }
            return projection.build();
        }

        /** Creates the table (on-demand) and returns its name. */
        public String create(DynamoDbClient client) {
            List<AttributeDefinition> definitions = new ArrayList<>();
            attributes.forEach((attribute, type) ->
                    definitions.add(AttributeDefinition.builder().attributeName(attribute).attributeType(type).build()));
            CreateTableRequest.Builder request = CreateTableRequest.builder()
                    .tableName(name)
                    .attributeDefinitions(definitions)
                    .keySchema(keys)
                    .billingMode(BillingMode.PAY_PER_REQUEST);
            if (!gsis.isEmpty()) {
                request.globalSecondaryIndexes(gsis);
            }
            if (!lsis.isEmpty()) {
                request.localSecondaryIndexes(lsis);
            }
            client.createTable(request.build());
            awaitActive(client, name);
            return name;
        }
    }

    /**
     * Waits until the table is ACTIVE, polling every 20 ms. Not the SDK's waiter: it sleeps 20 s after
     * a first answer of CREATING, which dynalite gives when DescribeTable comes right after CreateTable
     * (its tables turn ACTIVE a moment later, createTableMs 0), and that cost the suite minutes.
     */
    public static void awaitActive(DynamoDbClient client, String name) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (client.describeTable(b -> b.tableName(name)).table().tableStatus() != TableStatus.ACTIVE) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("table " + name + " did not become ACTIVE within 5 minutes");
            }
            try {
                TimeUnit.MILLISECONDS.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for table " + name, e);
            }
        }
    }

    /** Writes the items with BatchWriteItem, 25 at a time, retrying unprocessed items. */
    public static void put(DynamoDbClient client, String table, List<Map<String, AttributeValue>> items) {
        for (int start = 0; start < items.size(); start += 25) {
            List<WriteRequest> batch = new ArrayList<>();
            for (Map<String, AttributeValue> item : items.subList(start, Math.min(items.size(), start + 25))) {
                batch.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
            }
            Map<String, List<WriteRequest>> pending = new HashMap<>(Map.of(table, batch));
            while (!pending.isEmpty()) {
                Map<String, List<WriteRequest>> request = pending;
                BatchWriteItemResponse response = client.batchWriteItem(b -> b.requestItems(request));
                pending = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
            }
        }
    }

    /** Every item of the table (parallel to nothing: small tables only). */
    public static List<Map<String, AttributeValue>> scanAll(DynamoDbClient client, String table) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        client.scanPaginator(b -> b.tableName(table).consistentRead(true)).items().forEach(items::add);
        return items;
    }
}
