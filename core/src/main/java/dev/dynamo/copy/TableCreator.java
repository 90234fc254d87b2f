package dev.dynamo.copy;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.dynamo.DynamoException;
import dev.dynamo.env.Environment;
import dev.dynamo.env.ServiceErrors;
import dev.dynamo.pipeline.Retrier;
import dev.dynamo.table.TableCatalog;
import org.apiguardian.api.API;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughput;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputDescription;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/**
 * Creates the target table from the source's definition. The CreateTable request is built from a
 * whitelist of fields (key schema, the attribute definitions the keys use, GSIs and LSIs with their
 * key schemas and projections, billing mode and provisioned capacity), never by replaying
 * DescribeTable, which carries read-only and account-specific fields (ARNs, status, sizes, stream
 * and encryption settings). TTL is then set like the source's. Streams, tags, encryption keys,
 * deletion protection, table class and auto scaling are not copied.
 * [API: CreateTable, DescribeTable, DescribeTimeToLive, UpdateTimeToLive]
 */
@API(status = INTERNAL, since = "0.1")
public final class TableCreator {
    /** How long to wait for the new table and its indexes to become ACTIVE. */
    static final long ACTIVE_TIMEOUT_MILLIS = TimeUnit.MINUTES.toMillis(15);
    static final long FIRST_POLL_MILLIS = 50;
    static final long MAX_POLL_MILLIS = 5_000;

    private TableCreator() {
    }

    /**
     * The CreateTable request for a copy of {@code source} named {@code targetName}.
     *
     * @param billing the billing mode to use, or null for the source's
     * @throws DynamoException (usage) for PROVISIONED without capacities when the source is on-demand
     */
    public static CreateTableRequest request(TableDescription source, String targetName, BillingChoice billing) {
        boolean sourceProvisioned = !isOnDemand(source);
        BillingMode mode = billing != null ? billing.mode() : sourceProvisioned ? BillingMode.PROVISIONED : BillingMode.PAY_PER_REQUEST;
        boolean explicitCapacity = billing != null && billing.readUnits() > 0;
        if (mode == BillingMode.PROVISIONED && !explicitCapacity && !sourceProvisioned) {
            throw DynamoException.usage("the source table '" + source.tableName() + "' is on-demand, so it has no capacity to copy: "
                    + "give the capacity of the new table, for example --billing-mode provisioned:5,5 (read, write units)");
        }
        Set<String> keyAttributes = new LinkedHashSet<>();
        List<KeySchemaElement> keySchema = copyKeys(source.keySchema(), keyAttributes);
        CreateTableRequest.Builder request = CreateTableRequest.builder()
                .tableName(targetName)
                .keySchema(keySchema)
                .billingMode(mode);
        if (mode == BillingMode.PROVISIONED) {
            request.provisionedThroughput(explicitCapacity
                    ? throughput(billing.readUnits(), billing.writeUnits())
                    : throughput(source.provisionedThroughput()));
        }
        if (source.hasGlobalSecondaryIndexes() && !source.globalSecondaryIndexes().isEmpty()) {
            List<GlobalSecondaryIndex> indexes = new ArrayList<>();
            for (GlobalSecondaryIndexDescription index : source.globalSecondaryIndexes()) {
                GlobalSecondaryIndex.Builder copy = GlobalSecondaryIndex.builder()
                        .indexName(index.indexName())
                        .keySchema(copyKeys(index.keySchema(), keyAttributes))
                        .projection(copyProjection(index.projection()));
                if (mode == BillingMode.PROVISIONED) {
                    copy.provisionedThroughput(explicitCapacity
                            ? throughput(billing.readUnits(), billing.writeUnits())
                            : indexThroughput(index.provisionedThroughput(), source.provisionedThroughput()));
                }
                indexes.add(copy.build());
            }
            request.globalSecondaryIndexes(indexes);
        }
        if (source.hasLocalSecondaryIndexes() && !source.localSecondaryIndexes().isEmpty()) {
            List<LocalSecondaryIndex> indexes = new ArrayList<>();
            for (LocalSecondaryIndexDescription index : source.localSecondaryIndexes()) {
                indexes.add(LocalSecondaryIndex.builder()
                        .indexName(index.indexName())
                        .keySchema(copyKeys(index.keySchema(), keyAttributes))
                        .projection(copyProjection(index.projection()))
                        .build());
            }
            request.localSecondaryIndexes(indexes);
        }
        List<AttributeDefinition> definitions = new ArrayList<>();
        for (AttributeDefinition definition : source.attributeDefinitions()) {
            if (keyAttributes.contains(definition.attributeName())) {
                definitions.add(AttributeDefinition.builder()
                        .attributeName(definition.attributeName())
                        .attributeType(definition.attributeType())
                        .build());
            }
        }
        return request.attributeDefinitions(definitions).build();
    }

    /**
     * Creates the table, waits until it and its indexes are ACTIVE, then enables TTL if
     * {@code ttl} says the source has it.
     *
     * @return the new table's description
     */
    public static TableDescription create(DynamoDbClient client, Environment environment, CreateTableRequest request,
            TimeToLiveDescription ttl, Retrier retrier) throws InterruptedException {
        String where = "table '" + request.tableName() + "' in " + environment.describe();
        try {
            retrier.call(() -> client.createTable(request));
            TableDescription table = awaitActive(client, request.tableName(), where, retrier);
            if (ttl != null && ttl.attributeName() != null && (ttl.timeToLiveStatus() == TimeToLiveStatus.ENABLED
                    || ttl.timeToLiveStatus() == TimeToLiveStatus.ENABLING)) {
                retrier.call(() -> client.updateTimeToLive(b -> b.tableName(request.tableName())
                        .timeToLiveSpecification(s -> s.enabled(true).attributeName(ttl.attributeName()))));
            }
            return table;
        } catch (Retrier.RetriesExhaustedException e) {
            throw ServiceErrors.translate(environment, "creating table '" + request.tableName() + "'", e.last());
        } catch (SdkException e) {
            throw ServiceErrors.translate(environment, "creating table '" + request.tableName() + "'", e);
        }
    }

    /** The source's TTL setting, which a created table copies. */
    public static TimeToLiveDescription describeTtl(DynamoDbClient client, Environment environment, String table, Retrier retrier)
            throws InterruptedException {
        String action = "reading the TTL setting of table '" + table + "'";
        try {
            return retrier.call(() -> client.describeTimeToLive(b -> b.tableName(table)).timeToLiveDescription());
        } catch (Retrier.RetriesExhaustedException e) {
            throw ServiceErrors.translate(environment, action, e.last());
        } catch (SdkException e) {
            throw ServiceErrors.translate(environment, action, e);
        }
    }

    private static TableDescription awaitActive(DynamoDbClient client, String name, String where, Retrier retrier)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ACTIVE_TIMEOUT_MILLIS);
        long pollMillis = FIRST_POLL_MILLIS;
        while (true) {
            TableDescription table = retrier.call(() -> TableCatalog.checked(
                    client.describeTable(b -> b.tableName(name)).table(), name));
            if (table.tableStatus() == TableStatus.ACTIVE && table.globalSecondaryIndexes().stream()
                    .allMatch(index -> index.indexStatus() == null || index.indexStatus() == IndexStatus.ACTIVE)) {
                return table;
            }
            if (System.nanoTime() > deadline) {
                throw DynamoException.failure(where + " is still " + table.tableStatusAsString() + " after "
                        + TimeUnit.MILLISECONDS.toMinutes(ACTIVE_TIMEOUT_MILLIS) + " minutes; run the copy again once it is ACTIVE", null);
            }
            TimeUnit.MILLISECONDS.sleep(pollMillis);
            pollMillis = Math.min(MAX_POLL_MILLIS, pollMillis * 2);
        }
    }

    static boolean isOnDemand(TableDescription table) {
        if (table.billingModeSummary() != null && table.billingModeSummary().billingMode() != null) {
            return table.billingModeSummary().billingMode() == BillingMode.PAY_PER_REQUEST;
        }
        ProvisionedThroughputDescription throughput = table.provisionedThroughput();
        return throughput == null || throughput.readCapacityUnits() == null || throughput.readCapacityUnits() == 0;
    }

    private static List<KeySchemaElement> copyKeys(List<KeySchemaElement> keys, Set<String> attributes) {
        List<KeySchemaElement> copy = new ArrayList<>(keys.size());
        for (KeySchemaElement key : keys) {
            attributes.add(key.attributeName());
            copy.add(KeySchemaElement.builder().attributeName(key.attributeName()).keyType(key.keyType()).build());
        }
        return copy;
    }

    private static Projection copyProjection(Projection projection) {
        ProjectionType type = projection == null || projection.projectionType() == null ? ProjectionType.ALL : projection.projectionType();
        Projection.Builder copy = Projection.builder().projectionType(type);
        if (type == ProjectionType.INCLUDE) {
            copy.nonKeyAttributes(new ArrayList<>(projection.nonKeyAttributes()));
        }
        return copy.build();
    }

    private static ProvisionedThroughput throughput(long read, long write) {
        return ProvisionedThroughput.builder().readCapacityUnits(read).writeCapacityUnits(write).build();
    }

    private static ProvisionedThroughput throughput(ProvisionedThroughputDescription description) {
        return throughput(positive(description.readCapacityUnits()), positive(description.writeCapacityUnits()));
    }

    private static ProvisionedThroughput indexThroughput(ProvisionedThroughputDescription index, ProvisionedThroughputDescription table) {
        boolean hasOwn = index != null && index.readCapacityUnits() != null && index.readCapacityUnits() > 0;
        return throughput(hasOwn ? index : table);
    }

    private static long positive(Long units) {
        return units == null || units < 1 ? 1 : units;
    }
}
