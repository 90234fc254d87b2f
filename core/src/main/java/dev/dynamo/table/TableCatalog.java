package dev.dynamo.table;

import static org.apiguardian.api.API.Status.STABLE;

import dev.dynamo.DynamoException;
import dev.dynamo.env.DamagedAnswer;
import dev.dynamo.env.Environment;
import dev.dynamo.env.ServiceErrors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/** Lists and describes the tables of one environment. [API: ListTables, DescribeTable] */
@API(status = STABLE, since = "0.1")
public final class TableCatalog {
    /** DynamoDB's rule for table and index names. */
    static final Pattern VALID_NAME = Pattern.compile("[A-Za-z0-9_.-]{3,255}");
    private static final Logger LOG = LoggerFactory.getLogger(TableCatalog.class);

    private final DynamoDbClient client;
    private final Environment environment;

    public TableCatalog(DynamoDbClient client, Environment environment) {
        this.client = client;
        this.environment = environment;
    }

    /** Every table name, in the order ListTables gives (sorted), across all pages. */
    public List<String> tableNames() {
        try {
            List<String> names = new ArrayList<>();
            client.listTablesPaginator(b -> { }).tableNames().forEach(names::add);
            return names;
        } catch (SdkException e) {
            throw ServiceErrors.translate(environment, "listing tables", e);
        }
    }

    /**
     * @throws DynamoException (usage) when the table does not exist, naming it and the environment
     */
    public TableSchema describe(String tableName) {
        TableSchema schema = toSchema(description(tableName), environment.describe());
        LOG.debug("DescribeTable {} in {}: key {}, {} indexes, about {} items, {}", tableName, environment.describe(),
                schema.keys(), schema.indexes().size(), schema.itemCount(), schema.status());
        return schema;
    }

    /**
     * The table's description as DynamoDB gave it (every field of DescribeTable's {@code Table}), checked as
     * {@link #describe} checks it.
     *
     * @throws DynamoException (usage) when the table does not exist, naming it and the environment
     */
    public TableDescription description(String tableName) {
        if (!VALID_NAME.matcher(tableName).matches()) {
            // Checked here, not left to the server: engines word the refusal differently (or not at all).
            throw DynamoException.usage("'" + tableName + "' is not a valid table name in " + environment.describe()
                    + ": a DynamoDB table name has 3 to 255 characters, each a letter, a digit, '_', '-' or '.'");
        }
        TableDescription table;
        try {
            table = checked(client.describeTable(b -> b.tableName(tableName)).table(), tableName);
        } catch (ResourceNotFoundException e) {
            throw DynamoException.usage("table '" + tableName + "' not found in " + environment.describe()
                    + "; list the tables there with: dynamo tables -e " + environment.name());
        } catch (DynamoDbException e) {
            if (e.awsErrorDetails() != null && "ValidationException".equals(e.awsErrorDetails().errorCode())) {
                // A name DynamoDB cannot have (too short, a space, ...): the user's mistake, like an unknown table.
                throw DynamoException.usage("'" + tableName + "' is not a valid table name in " + environment.describe()
                        + ": " + ServiceErrors.oneLine(e.awsErrorDetails().errorMessage()));
            }
            throw ServiceErrors.translate(environment, "describing table '" + tableName + "'", e);
        } catch (SdkException e) {
            throw ServiceErrors.translate(environment, "describing table '" + tableName + "'", e);
        }
        return table;
    }

    /**
     * The description, if it can be right: of the table asked for, with a key schema whose attributes
     * are all defined. A 200 without one (an empty body, {@code {}}) is a damaged answer, not a
     * missing table: it is retried where the caller retries, and said as such where it does not.
     *
     * @throws software.amazon.awssdk.core.exception.SdkClientException caused by a {@link DamagedAnswer}
     */
    public static TableDescription checked(TableDescription table, String tableName) {
        if (table == null) {
            throw DamagedAnswer.of("DescribeTable", "no Table");
        }
        if (!tableName.equals(table.tableName())) {
            throw DamagedAnswer.of("DescribeTable", "the description of table '" + table.tableName() + "'");
        }
        if (!table.hasKeySchema() || table.keySchema().isEmpty() || !table.hasAttributeDefinitions()) {
            throw DamagedAnswer.of("DescribeTable", "no KeySchema or AttributeDefinitions");
        }
        for (KeySchemaElement key : table.keySchema()) {
            if (key.attributeName() == null || key.keyType() == null || table.attributeDefinitions().stream()
                    .noneMatch(definition -> key.attributeName().equals(definition.attributeName()) && definition.attributeType() != null)) {
                throw DamagedAnswer.of("DescribeTable", "a key attribute without its definition");
            }
        }
        return table;
    }

    /** The schema of a described table; {@code environmentText} names its environment in messages. */
    public static TableSchema toSchema(TableDescription table, String environmentText) {
        Map<String, software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType> types = new HashMap<>();
        for (AttributeDefinition definition : table.attributeDefinitions()) {
            types.put(definition.attributeName(), definition.attributeType());
        }
        List<IndexSchema> indexes = new ArrayList<>();
        table.globalSecondaryIndexes().forEach(index -> indexes.add(new IndexSchema(index.indexName(), IndexKind.GSI,
                keys(index.keySchema(), types), projection(index.projection()))));
        table.localSecondaryIndexes().forEach(index -> indexes.add(new IndexSchema(index.indexName(), IndexKind.LSI,
                keys(index.keySchema(), types), projection(index.projection()))));
        String billingMode = table.billingModeSummary() != null && table.billingModeSummary().billingMode() != null
                ? table.billingModeSummary().billingMode().toString()
                : (table.provisionedThroughput() != null && nonZero(table.provisionedThroughput().readCapacityUnits())
                        ? BillingMode.PROVISIONED.toString() : BillingMode.PAY_PER_REQUEST.toString());
        long rcu = table.provisionedThroughput() == null ? 0 : orZero(table.provisionedThroughput().readCapacityUnits());
        long wcu = table.provisionedThroughput() == null ? 0 : orZero(table.provisionedThroughput().writeCapacityUnits());
        return TableSchema.builder().name(table.tableName()).environment(environmentText).keys(keys(table.keySchema(), types))
                .indexes(indexes).itemCount(orZero(table.itemCount())).sizeBytes(orZero(table.tableSizeBytes()))
                .billingMode(billingMode).status(table.tableStatusAsString()).readCapacity(rcu).writeCapacity(wcu).build();
    }

    private static KeySchema keys(List<KeySchemaElement> elements,
            Map<String, software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType> types) {
        KeyAttribute partition = null;
        KeyAttribute sort = null;
        for (KeySchemaElement element : elements) {
            KeyAttribute attribute = new KeyAttribute(element.attributeName(),
                    dev.dynamo.table.KeyType.of(types.get(element.attributeName())));
            if (element.keyType() == KeyType.HASH) {
                partition = attribute;
            } else {
                sort = attribute;
            }
        }
        return new KeySchema(partition, sort);
    }

    private static Projection projection(software.amazon.awssdk.services.dynamodb.model.Projection projection) {
        ProjectionType type = projection == null || projection.projectionType() == null ? ProjectionType.ALL : projection.projectionType();
        return new Projection(type, projection == null ? List.of() : projection.nonKeyAttributes());
    }

    private static boolean nonZero(Long value) {
        return value != null && value > 0;
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }
}
