package dev.dynamo.table;

import static org.apiguardian.api.API.Status.INTERNAL;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dynamo.DynamoException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apiguardian.api.API;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingModeSummary;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputDescription;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * A table's definition as a small JSON file, in DescribeTable's own field names: what creating the table again needs
 * (keys, attribute definitions, indexes with their projections, billing mode and capacity, the TTL attribute) and
 * nothing account-specific. An export keeps it beside its manifests (dynamo-table.json), so that
 * {@code dynamo import --create-table} can rebuild the table:
 * <pre>
 * {"Table":{"TableName":"Orders","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"AttributeDefinitions":[...],
 *  "BillingModeSummary":{"BillingMode":"PAY_PER_REQUEST"},"GlobalSecondaryIndexes":[...]},"TimeToLiveAttribute":"expires"}
 * </pre>
 */
@API(status = INTERNAL, since = "0.1")
public final class TableDefinitionJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A definition read back: the table (the fields above only) and its TTL attribute, or null for none. */
    public record Definition(TableDescription table, String timeToLiveAttribute) {
    }

    private TableDefinitionJson() {
    }

    public static byte[] write(TableDescription table, String timeToLiveAttribute) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode out = root.putObject("Table");
        out.put("TableName", table.tableName());
        keys(out.putArray("KeySchema"), table.keySchema());
        ArrayNode definitions = out.putArray("AttributeDefinitions");
        for (AttributeDefinition definition : table.attributeDefinitions()) {
            definitions.addObject().put("AttributeName", definition.attributeName())
                    .put("AttributeType", definition.attributeTypeAsString());
        }
        String billing = table.billingModeSummary() == null ? "PROVISIONED" : table.billingModeSummary().billingModeAsString();
        out.putObject("BillingModeSummary").put("BillingMode", billing);
        throughput(out, table.provisionedThroughput());
        if (table.hasGlobalSecondaryIndexes() && !table.globalSecondaryIndexes().isEmpty()) {
            ArrayNode indexes = out.putArray("GlobalSecondaryIndexes");
            for (GlobalSecondaryIndexDescription index : table.globalSecondaryIndexes()) {
                ObjectNode node = indexes.addObject().put("IndexName", index.indexName());
                keys(node.putArray("KeySchema"), index.keySchema());
                projection(node, index.projection());
                throughput(node, index.provisionedThroughput());
            }
        }
        if (table.hasLocalSecondaryIndexes() && !table.localSecondaryIndexes().isEmpty()) {
            ArrayNode indexes = out.putArray("LocalSecondaryIndexes");
            for (LocalSecondaryIndexDescription index : table.localSecondaryIndexes()) {
                ObjectNode node = indexes.addObject().put("IndexName", index.indexName());
                keys(node.putArray("KeySchema"), index.keySchema());
                projection(node, index.projection());
            }
        }
        root.put("TimeToLiveAttribute", timeToLiveAttribute);
        return (root.toPrettyString() + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads a definition.
     *
     * @throws DynamoException (usage) naming {@code where} when it is not such a file
     */
    public static Definition read(byte[] bytes, String where) {
        try {
            JsonNode root = JSON.readTree(bytes);
            JsonNode table = root == null ? null : root.get("Table");
            if (table == null || !table.isObject() || !table.path("TableName").isTextual() || !table.path("KeySchema").isArray()) {
                throw DynamoException.usage(where + " is not a table definition dynamo wrote (no Table with TableName and KeySchema)");
            }
            TableDescription.Builder out = TableDescription.builder().tableName(table.get("TableName").asText())
                    .keySchema(keys(table.get("KeySchema")));
            List<AttributeDefinition> definitions = new ArrayList<>();
            for (JsonNode definition : table.path("AttributeDefinitions")) {
                definitions.add(AttributeDefinition.builder().attributeName(definition.path("AttributeName").asText())
                        .attributeType(definition.path("AttributeType").asText()).build());
            }
            out.attributeDefinitions(definitions);
            out.billingModeSummary(BillingModeSummary.builder()
                    .billingMode(table.path("BillingModeSummary").path("BillingMode").asText("PROVISIONED")).build());
            out.provisionedThroughput(throughput(table));
            List<GlobalSecondaryIndexDescription> globals = new ArrayList<>();
            for (JsonNode index : table.path("GlobalSecondaryIndexes")) {
                globals.add(GlobalSecondaryIndexDescription.builder().indexName(index.path("IndexName").asText())
                        .keySchema(keys(index.path("KeySchema"))).projection(projection(index))
                        .provisionedThroughput(throughput(index)).build());
            }
            if (!globals.isEmpty()) {
                out.globalSecondaryIndexes(globals);
            }
            List<LocalSecondaryIndexDescription> locals = new ArrayList<>();
            for (JsonNode index : table.path("LocalSecondaryIndexes")) {
                locals.add(LocalSecondaryIndexDescription.builder().indexName(index.path("IndexName").asText())
                        .keySchema(keys(index.path("KeySchema"))).projection(projection(index)).build());
            }
            if (!locals.isEmpty()) {
                out.localSecondaryIndexes(locals);
            }
            JsonNode ttl = root.get("TimeToLiveAttribute");
            return new Definition(out.build(), ttl == null || ttl.isNull() ? null : ttl.asText());
        } catch (IOException e) {
            throw DynamoException.usage(where + " is not JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private static void keys(ArrayNode out, List<KeySchemaElement> keys) {
        for (KeySchemaElement key : keys) {
            out.addObject().put("AttributeName", key.attributeName()).put("KeyType", key.keyTypeAsString());
        }
    }

    private static List<KeySchemaElement> keys(JsonNode keys) {
        List<KeySchemaElement> out = new ArrayList<>();
        for (JsonNode key : keys) {
            out.add(KeySchemaElement.builder().attributeName(key.path("AttributeName").asText()).keyType(key.path("KeyType").asText())
                    .build());
        }
        return out;
    }

    private static void projection(ObjectNode out, Projection projection) {
        if (projection == null) {
            return;
        }
        ObjectNode node = out.putObject("Projection").put("ProjectionType", projection.projectionTypeAsString());
        if (projection.hasNonKeyAttributes() && !projection.nonKeyAttributes().isEmpty()) {
            ArrayNode names = node.putArray("NonKeyAttributes");
            projection.nonKeyAttributes().forEach(names::add);
        }
    }

    private static Projection projection(JsonNode index) {
        JsonNode node = index.path("Projection");
        Projection.Builder projection = Projection.builder().projectionType(node.path("ProjectionType").asText("ALL"));
        List<String> names = new ArrayList<>();
        node.path("NonKeyAttributes").forEach(name -> names.add(name.asText()));
        if (!names.isEmpty()) {
            projection.nonKeyAttributes(names);
        }
        return projection.build();
    }

    private static void throughput(ObjectNode out, ProvisionedThroughputDescription throughput) {
        if (throughput != null && throughput.readCapacityUnits() != null && throughput.readCapacityUnits() > 0) {
            out.putObject("ProvisionedThroughput").put("ReadCapacityUnits", throughput.readCapacityUnits())
                    .put("WriteCapacityUnits", throughput.writeCapacityUnits());
        }
    }

    private static ProvisionedThroughputDescription throughput(JsonNode node) {
        JsonNode throughput = node.path("ProvisionedThroughput");
        return ProvisionedThroughputDescription.builder().readCapacityUnits(throughput.path("ReadCapacityUnits").asLong(0))
                .writeCapacityUnits(throughput.path("WriteCapacityUnits").asLong(0)).build();
    }
}
